-- One rule, one place. Policy numbers (windows, limits, lockouts, escalation
-- steps) live in one table that every SQL function reads and the app receives
-- through get_me; who may take an order is one function (private.may_take); what
-- a viewer may do with an order, a redemption or a project is one function each,
-- and views carry its answer as `actions`, so pages render buttons, never rules.

create table public.policies (
  key text primary key check (key ~ '^[a-z][a-z0-9_]{1,60}$'),
  value integer not null check (value >= 0),
  description text not null
);
comment on table public.policies is
  'Policy numbers of this deployment, read by the SQL functions (private.policy) and sent to the app (get_me.policy).';
alter table public.policies enable row level security;
revoke all on public.policies from anon, authenticated;

insert into public.policies (key, value, description) values
  ('order_notice_minutes', 30, '预约至少提前多少分钟'),
  ('order_horizon_days', 30, '最多预约多少天以内'),
  ('open_orders_per_resident', 10, '每位居民同时进行中的订单上限'),
  ('auto_confirm_hours', 48, '服务完成后多少小时未评价自动确认'),
  ('dispute_days', 7, '确认后多少天内可以提出异议'),
  ('pickup_days', 7, '兑换后多少天内领取，过期积分退回'),
  ('presence_code_seconds', 120, '到场验证码多少秒换一次'),
  ('presence_max_failures', 5, '验证连续失败多少次后暂停'),
  ('presence_lockout_minutes', 10, '验证失败太多后暂停多少分钟'),
  ('check_in_radius_m', 200, '定位签到的距离（米）'),
  ('check_in_lead_minutes', 15, '预约开始前多少分钟可以签到'),
  ('check_in_late_minutes', 120, '预约结束后多少分钟内还能签到'),
  ('offer_window_minutes', 15, '派单后志愿者多少分钟内答复'),
  ('escalation_step_minutes', 30, '无人接单时每隔多少分钟升级一次'),
  ('escalation_bonus_points', 5, '每次升级加多少积分'),
  ('escalation_max_steps', 4, '最多升级几次'),
  ('escalation_widen_at_step', 2, '第几次升级起派给全街道的志愿者'),
  ('escalation_scarce_candidates', 10, '候选志愿者不多于几人时立即升到最后一级（最高加分、全街道），0 为不用'),
  ('idempotency_key_hours', 72, '请求编号保留多少小时（重发在此期间返回第一次的结果）'),
  ('rate_reminder_hours', 24, '服务完成后多少小时提醒评价'),
  ('pickup_reminder_hours', 24, '取货码到期前多少小时提醒');

-- A policy number; an unknown key is a programming error, not a user's.
create or replace function private.policy(p_key text)
returns integer
language plpgsql
stable
set search_path = ''
as $$
declare
  v integer;
begin
  select value into v from public.policies where key = p_key;
  if v is null then
    raise exception 'unknown policy %', p_key;
  end if;
  return v;
end;
$$;

-- Every policy number, for the app's texts and forms.
create or replace function private.policy_json()
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_object_agg(
    lower(substr(k, 1, 1)) || substr(replace(initcap(replace(k, '_', ' ')), ' ', ''), 2), value)
  from public.policies, lateral (select key) x(k);
$$;

-- The time the rules are judged at: now(), or a simulated clock that benchmarks
-- and tests set on their own session (`set llb.clock = '…'`). The API never sets it.
create or replace function private.clock()
returns timestamptz
language sql
stable
set search_path = ''
as $$
  select coalesce(nullif(current_setting('llb.clock', true), '')::timestamptz, now());
$$;

alter table public.projects
  add column min_service_minutes smallint not null default 15 check (min_service_minutes between 0 and 240);
comment on column public.projects.min_service_minutes is
  'A service shorter than this (check-in to check-out) is held for staff review instead of earning points.';

alter table public.orders
  add column review_status text check (review_status in ('pending', 'approved', 'rejected')),
  add column review_reason text check (length(review_reason) <= 200),
  add column reviewed_by uuid references public.users (id);
comment on column public.orders.review_status is
  'Set when the recorded service needs staff review (too short); points wait for it.';
create index orders_review_pending_idx on public.orders (community_id) where review_status = 'pending';

-- Tasks a volunteer has on the (Shanghai) day of this order: their daily cap counts these.
create or replace function private.tasks_that_day(p_volunteer uuid, p_order public.orders)
returns integer
language sql
stable
set search_path = ''
as $$
  select count(*)::integer from public.orders o
  where o.volunteer_id = p_volunteer and o.id <> p_order.id
    and o.status in ('accepted', 'in_service', 'completed', 'confirmed')
    and (o.window_start at time zone 'Asia/Shanghai')::date = (p_order.window_start at time zone 'Asia/Shanghai')::date;
$$;

-- Who may take an order: the one rule behind the task hall, accepting, staff
-- assignment and dispatch offers. Null when the volunteer may; else why not.
-- Binds everyone, self-accept from the hall included: an approved volunteer, of
-- the order's community (or of its street once the order is widened), with
-- every required skill, before the window ends, not their own order, no
-- overlapping task, and under the daily cap they set themselves.
-- Radius and weekly availability are NOT here: they say what we push to a
-- volunteer (private.wants_offer), not what they may choose to do.
-- dispatch_candidates writes the same rule set-based; tests/db/qualification
-- proves the two agree on a generated street.
-- Whether a volunteer in this standing serves at all (approved: not pending, rejected
-- or suspended). The first clause of private.may_take, and get_me's take_tasks action.
create or replace function private.volunteer_serves(p_status public.verification_status)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select p_status is not distinct from 'approved';
$$;

create or replace function private.may_take(p_volunteer uuid, p_order public.orders, p_at timestamptz)
returns text
language sql
stable
set search_path = ''
as $$
  select case
    when v.user_id is null or not private.volunteer_serves(v.status) then 'not_volunteer'
    when v.community_id <> p_order.community_id
      and not (p_order.widened and vc.street_id = oc.street_id) then 'other_community'
    when exists (
      select 1 from public.project_skills ps
      where ps.project_id = p_order.project_id
        and not exists (select 1 from public.volunteer_skills vs
                        where vs.user_id = p_volunteer and vs.skill_code = ps.skill_code))
      then 'missing_skill'
    when p_order.window_end <= p_at then 'window_passed'
    when p_order.resident_id = p_volunteer then 'own_order'
    when private.has_overlap(p_volunteer, p_order) then 'overlap'
    when private.tasks_that_day(p_volunteer, p_order) >= v.daily_cap then 'daily_cap'
  end
  from (select 1) one
  left join public.volunteer_profiles v on v.user_id = p_volunteer
  left join public.communities vc on vc.id = v.community_id
  left join public.communities oc on oc.id = p_order.community_id;
$$;

-- Whether dispatch should push this order to a volunteer who may take it:
-- within their service radius and inside a weekly slot they declared (no slots
-- declared means flexible).
create or replace function private.wants_offer(p_volunteer uuid, p_order public.orders)
returns boolean
language sql
stable
set search_path = ''
as $$
  select
    (v.latitude is null or coalesce(p_order.latitude, c.latitude) is null
      or private.distance_m(coalesce(p_order.latitude, c.latitude), coalesce(p_order.longitude, c.longitude),
                            v.latitude, v.longitude) <= v.service_radius_m)
    and (not exists (select 1 from public.volunteer_availability a where a.user_id = p_volunteer)
      or exists (select 1 from public.volunteer_availability a
                 where a.user_id = p_volunteer
                   and a.weekday = extract(isodow from p_order.window_start at time zone 'Asia/Shanghai')
                   and a.starts_at <= (p_order.window_start at time zone 'Asia/Shanghai')::time
                   and a.ends_at >= (p_order.window_end at time zone 'Asia/Shanghai')::time))
  from public.volunteer_profiles v, public.communities c
  where v.user_id = p_volunteer and c.id = p_order.community_id;
$$;

-- A reason code in words, said to the volunteer ("您") or to staff about them ("该志愿者").
create or replace function private.qualification_message(p_reason text, p_to_volunteer boolean)
returns text
language sql
immutable
set search_path = ''
as $$
  select (case when p_to_volunteer then '您' else '该志愿者' end) || case p_reason
    when 'not_volunteer' then '还不是审核通过的志愿者'
    when 'other_community' then '不在这个订单的服务社区'
    when 'missing_skill' then '还没有登记这个服务需要的专长'
    when 'window_passed' then '赶不上了：这个订单的服务时间已经过了'
    when 'own_order' then '不能接自己下的订单'
    when 'overlap' then '这个时间已经接了别的服务'
    when 'daily_cap' then '这一天接的服务已经到了每日上限'
    else '暂时不能接这个订单'
  end;
$$;

-- Fails with the reason in words when the volunteer may not take the order.
create or replace function private.require_may_take(p_volunteer uuid, p_order public.orders, p_to_volunteer boolean)
returns void
language plpgsql
stable
set search_path = ''
as $$
declare
  v_reason text := private.may_take(p_volunteer, p_order, private.clock());
begin
  if v_reason is not null then
    perform private.fail(case when v_reason = 'overlap' then 'schedule_conflict' else 'not_qualified' end,
      private.qualification_message(v_reason, p_to_volunteer));
  end if;
end;
$$;

-- An order under live offers belongs to those volunteers until the offers end.
create or replace function private.offered_elsewhere(p_order_id uuid, p_volunteer uuid, p_now timestamptz)
returns boolean
language sql
stable
set search_path = ''
as $$
  select exists (select 1 from public.dispatch_offers
                 where order_id = p_order_id and status = 'pending' and expires_at > p_now and volunteer_id <> p_volunteer)
     and not exists (select 1 from public.dispatch_offers
                     where order_id = p_order_id and status = 'pending' and expires_at > p_now and volunteer_id = p_volunteer);
$$;

-- Who the actor is to this order; null when they have no business seeing it.
create or replace function private.viewer_kind(p_actor uuid, p_order public.orders)
returns text
language sql
stable
set search_path = ''
as $$
  select case
    when p_actor in (p_order.resident_id, p_order.ordered_by) then 'resident'
    when private.is_staff_of(p_actor, p_order.community_id) then 'staff'
    when p_actor = p_order.volunteer_id then 'volunteer'
    when p_order.status = 'open' and private.may_take(p_actor, p_order, private.clock()) is null then 'candidate'
  end;
$$;

-- Whether a viewer of this kind may take this step with the order now: the
-- state machine (public.status_transitions) and who does what. The write
-- functions ask this same question before acting (private.require_order_action).
create or replace function private.order_may(p_order public.orders, p_kind text, p_action text)
returns boolean
language sql
stable
set search_path = ''
as $$
  select exists (select 1 from public.status_transitions t
                 where t.machine = 'order' and t.action = p_action and t.from_status = p_order.status::text)
    and case p_action
      when 'cancel' then p_kind in ('resident', 'staff')
      when 'accept' then p_kind = 'candidate'
      when 'assign' then p_kind = 'staff'
      when 'release' then p_kind in ('volunteer', 'staff')
      when 'check_in' then p_kind = 'volunteer'
      when 'check_out' then p_kind = 'volunteer'
      when 'confirm' then p_kind = 'resident'
      when 'dispute' then p_kind = 'resident'
        and (p_order.status <> 'confirmed'
             or p_order.confirmed_at >= private.clock() - make_interval(days => private.policy('dispute_days')))
      when 'uphold' then p_kind = 'staff'
      when 'void' then p_kind = 'staff'
      else false
    end;
$$;

-- Fails with a message that says why this viewer can't take this step now.
create or replace function private.require_order_action(p_order public.orders, p_kind text, p_action text)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if p_kind is null then
    perform private.fail('not_found', '没有找到这个订单');
  end if;
  if private.order_may(p_order, p_kind, p_action) then
    return;
  end if;
  -- The state machine first (its messages say what state is needed), then who may.
  perform private.next_status('order', p_action, p_order.status::text);
  if p_action = 'dispute' and p_kind = 'resident' then
    perform private.fail('illegal_transition',
      format('确认已超过 %s 天，如有问题请直接打电话给社区', private.policy('dispute_days')));
  end if;
  perform private.fail('forbidden', case p_action
    when 'cancel' then '只有下单的居民或社区工作人员可以取消'
    when 'release' then '只有接单的志愿者或社区工作人员可以退回订单'
    when 'check_in' then '这不是您接的订单'
    when 'check_out' then '这不是您接的订单'
    when 'confirm' then '只有被服务的居民可以评价'
    when 'dispute' then '只有被服务的居民可以提出异议'
    else '只有本社区的工作人员可以操作'
  end);
end;
$$;

-- What this viewer may do with the order now, in the order the page shows them.
-- 'accept' for a candidate also needs the order not to be offered to others;
-- 'show_presence_code' is the resident's phone showing the code the volunteer
-- proves presence with; 'review_service' is staff deciding a service held for
-- review (too short).
create or replace function private.order_actions(p_order public.orders, p_kind text, p_actor uuid)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(a order by n), '[]'::jsonb)
  from unnest(array['accept', 'check_in', 'check_out', 'show_presence_code', 'confirm', 'dispute',
                    'review_service', 'assign', 'uphold', 'void', 'release', 'cancel']) with ordinality x(a, n)
  where case a
    when 'accept' then private.order_may(p_order, p_kind, a)
      and (p_actor is null or not private.offered_elsewhere(p_order.id, p_actor, private.clock()))
    -- The resident's phone shows the code while the volunteer has a check-in or check-out to prove.
    when 'show_presence_code' then p_kind = 'resident'
      and (private.order_may(p_order, 'volunteer', 'check_in') or private.order_may(p_order, 'volunteer', 'check_out'))
    when 'review_service' then p_kind = 'staff' and p_order.review_status = 'pending'
    else private.order_may(p_order, p_kind, a)
  end;
$$;

-- Why the points of a service are zero or still to come, in words; null otherwise.
create or replace function private.points_note(p_order public.orders)
returns text
language sql
stable
set search_path = ''
as $$
  select case
    when p_order.review_status = 'pending' then coalesce(p_order.review_reason, '服务记录待社区核实') || '，核实后再计积分'
    when p_order.review_status = 'rejected' then '社区核实后，这次服务不计积分'
    when p_order.status = 'voided' then '异议核实后服务作废，积分已收回'
    when p_order.status = 'confirmed' and coalesce(p_order.points_awarded, 0) = 0 then '服务时间太短，按规则积分为 0'
  end;
$$;

-- How an order looks to one viewer. Contact details (the resident's address and
-- phone, the volunteer's phone) are full for the served resident, for the
-- volunteer only between acceptance and check-out, for staff only when p_full
-- (get_order, which logs it), never for candidates browsing the task hall. The
-- rating is never shown to volunteers (一事一评 is blind). `actions` is what the
-- viewer may do now (private.order_actions); p_actor is needed for a candidate.
drop function private.order_json(public.orders, text, boolean);
create or replace function private.order_json(
  p_order public.orders, p_kind text, p_full boolean, p_actor uuid default null)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', p_order.id,
    'status', p_order.status,
    'projectId', p_order.project_id,
    'projectTitle', p.title,
    'category', p.category,
    'communityId', p_order.community_id,
    'communityName', c.name,
    'windowStart', p_order.window_start,
    'windowEnd', p_order.window_end,
    'checkInOpensAt', p_order.window_start - make_interval(mins => private.policy('check_in_lead_minutes')),
    'respondBy', p_order.respond_by,
    'overdue', p_order.status = 'open' and p_order.respond_by < now(),
    'widened', p_order.widened,
    'address', case when v_full then p_order.address else private.mask_address(p_order.address) end,
    'contactPhone', case when v_full then p_order.contact_phone else private.mask_phone(p_order.contact_phone) end,
    'contactVisible', v_full,
    'notes', p_order.notes,
    'hasLocation', p_order.latitude is not null,
    'residentId', p_order.resident_id,
    'residentName', private.display_name(p_order.resident_id),
    'proxy', p_order.ordered_by <> p_order.resident_id,
    'orderedByName', private.display_name(p_order.ordered_by),
    'volunteerId', p_order.volunteer_id,
    'volunteerName', private.display_name(p_order.volunteer_id),
    'volunteerPhone', case
      when p_order.volunteer_id is null or p_kind not in ('resident', 'staff') then null
      when (p_kind = 'staff' and v_full)
        or (p_kind = 'resident' and v_full and p_order.status in ('accepted', 'in_service'))
      then (select phone from public.volunteer_profiles where user_id = p_order.volunteer_id)
      else private.mask_phone((select phone from public.volunteer_profiles where user_id = p_order.volunteer_id)) end,
    'pointsPerHour', p_order.points_per_hour,
    'maxMinutes', p_order.max_minutes,
    'acceptedAt', p_order.accepted_at,
    'checkedInAt', p_order.checked_in_at,
    'checkedOutAt', p_order.checked_out_at,
    'serviceMinutes', p_order.service_minutes,
    'completedAt', p_order.completed_at,
    'confirmedAt', p_order.confirmed_at,
    'autoConfirmed', p_order.auto_confirmed,
    'bonusPoints', p_order.bonus_points,
    'pointsAwarded', p_order.points_awarded,
    'pointsReversed', p_order.points_reversed,
    'pointsNote', case when p_kind in ('volunteer', 'staff') then private.points_note(p_order) end,
    'reviewStatus', case when p_kind in ('volunteer', 'staff') then p_order.review_status end,
    'rating', case when p_kind in ('resident', 'staff') then p_order.rating end,
    'ratingTags', case when p_kind in ('resident', 'staff') then to_jsonb(p_order.rating_tags) end,
    'ratingComment', case when p_kind in ('resident', 'staff') then p_order.rating_comment end,
    'disputeReason', case when p_kind in ('resident', 'staff') then p_order.dispute_reason end,
    'resolutionNote', case when p_kind in ('resident', 'staff') then p_order.resolution_note end,
    'createdAt', p_order.created_at,
    'viewerKind', p_kind,
    'actions', private.order_actions(p_order, p_kind, p_actor))
  from public.projects p, public.communities c,
    lateral (select case
      when p_kind = 'volunteer' then p_order.status in ('accepted', 'in_service')
      when p_kind = 'candidate' then false
      -- Staff, and staff who placed a 代下单 order, get full contact only when the caller
      -- asks (get_order, which logs the read); the served resident always: it is theirs.
      when p_kind = 'staff' then coalesce(p_full, false)
      else coalesce(p_full, p_actor is null or p_actor = p_order.resident_id)
    end) f(v_full)
  where p.id = p_order.project_id and c.id = p_order.community_id;
$$;

-- A redemption as its volunteer (p_with_code) or staff see it, with what they may do.
create or replace function private.redemption_json(p_redemption public.redemptions, p_with_code boolean)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', p_redemption.id, 'goodsId', p_redemption.goods_id, 'goodsName', g.name,
    'volunteerId', p_redemption.volunteer_id, 'volunteerName', private.display_name(p_redemption.volunteer_id),
    'quantity', p_redemption.quantity, 'points', p_redemption.points, 'status', p_redemption.status,
    'pickupCode', case when p_with_code then p_redemption.pickup_code end,
    'expiresAt', p_redemption.expires_at, 'pickedUpAt', p_redemption.picked_up_at,
    'createdAt', p_redemption.created_at,
    'actions', coalesce((
      select jsonb_agg(t.action order by t.action)
      from public.status_transitions t
      where t.machine = 'redemption' and t.from_status = p_redemption.status::text
        and ((p_with_code and t.action = 'cancel') or (not p_with_code and t.action = 'pick_up'))), '[]'::jsonb))
  from public.goods g where g.id = p_redemption.goods_id;
$$;

-- Whether this resident may order the project now: published, and serving their community.
create or replace function private.project_orderable(p_project public.projects, p_resident uuid)
returns boolean
language sql
stable
set search_path = ''
as $$
  select p_project.status = 'published' and exists (
    select 1 from public.project_communities pc
    where pc.project_id = p_project.id and pc.community_id = private.home_community(p_resident));
$$;

-- A project with what the viewer may do: staff of its community edit and move
-- it along its states; a resident it serves may order it while published. In
-- list_menu the viewer is the resident ordered for (代下单 included).
drop function private.project_json(public.projects);
create or replace function private.project_json(p_project public.projects, p_actor uuid default null)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', p_project.id,
    'communityId', p_project.community_id,
    'communityName', (select name from public.communities where id = p_project.community_id),
    'title', p_project.title,
    'category', p_project.category,
    'description', p_project.description,
    'mode', p_project.mode,
    'pointsPerHour', p_project.points_per_hour,
    'expectedMinutes', p_project.expected_minutes,
    'maxMinutes', p_project.max_minutes,
    'minServiceMinutes', p_project.min_service_minutes,
    'responseHours', p_project.response_hours,
    'locationNote', p_project.location_note,
    'status', p_project.status,
    'version', p_project.version,
    'updatedAt', p_project.updated_at,
    'requiredSkills', coalesce((
      select jsonb_agg(jsonb_build_object('code', k.code, 'name', k.name) order by k.sort_order)
      from public.project_skills ps join public.skills k on k.code = ps.skill_code
      where ps.project_id = p_project.id), '[]'::jsonb),
    'serviceCommunities', coalesce((
      select jsonb_agg(jsonb_build_object('id', c.id, 'name', c.name) order by c.name)
      from public.project_communities pc join public.communities c on c.id = pc.community_id
      where pc.project_id = p_project.id), '[]'::jsonb),
    'actions', case
      when p_actor is null then '[]'::jsonb
      when private.is_staff_of(p_actor, p_project.community_id) then
        (case when p_project.status <> 'archived' then '["edit"]'::jsonb else '[]'::jsonb end)
        || coalesce((select jsonb_agg(distinct t.action) from public.status_transitions t
                     where t.machine = 'project' and t.from_status = p_project.status::text), '[]'::jsonb)
      when private.project_orderable(p_project, p_actor) then '["order"]'::jsonb
      else '[]'::jsonb
    end);
$$;

revoke execute on all functions in schema private from public, anon, authenticated;
