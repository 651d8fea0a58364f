-- 群众点单 → 社区派单 → 志愿者接单 → 群众评单. Every write is one transaction:
-- idempotency key first, then row locks, then the checks, then the change and its
-- timeline event. The acting user's id comes from the verified session token.

-- How an order looks to one viewer. Contact details are full for the resident
-- and staff (p_full false masks them in lists), for the volunteer only between
-- acceptance and check-out, never for candidates browsing the task hall. The
-- rating is never shown to volunteers (一事一评 is blind).
create or replace function private.order_json(p_order public.orders, p_kind text, p_full boolean)
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
    'respondBy', p_order.respond_by,
    'overdue', p_order.status = 'open' and p_order.respond_by < now(),
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
      when p_order.volunteer_id is not null and p_kind in ('resident', 'staff')
        and (p_kind = 'staff' or p_order.status in ('accepted', 'in_service'))
      then (select phone from public.volunteer_profiles where user_id = p_order.volunteer_id) end,
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
    'rating', case when p_kind in ('resident', 'staff') then p_order.rating end,
    'ratingTags', case when p_kind in ('resident', 'staff') then to_jsonb(p_order.rating_tags) end,
    'ratingComment', case when p_kind in ('resident', 'staff') then p_order.rating_comment end,
    'disputeReason', case when p_kind in ('resident', 'staff') then p_order.dispute_reason end,
    'resolutionNote', case when p_kind in ('resident', 'staff') then p_order.resolution_note end,
    'createdAt', p_order.created_at,
    'viewerKind', p_kind)
  from public.projects p, public.communities c,
    lateral (select case
      when p_kind = 'volunteer' then p_order.status in ('accepted', 'in_service')
      when p_kind = 'candidate' then false
      else coalesce(p_full, true)
    end) f(v_full)
  where p.id = p_order.project_id and c.id = p_order.community_id;
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
    when p_order.status = 'open' and private.why_not_qualified(p_actor, p_order, now()) is null then 'candidate'
  end;
$$;

-- Locks and returns an order the actor may act on in this role, or fails.
create or replace function private.lock_order(p_order_id uuid)
returns public.orders
language plpgsql
set search_path = ''
as $$
declare
  v_order public.orders;
begin
  select * into v_order from public.orders where id = p_order_id for update;
  if v_order.id is null then
    perform private.fail('not_found', '没有找到这个订单');
  end if;
  return v_order;
end;
$$;

create or replace function public.place_order(p_actor uuid, p_input jsonb, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_project public.projects;
  v_resident uuid := coalesce((p_input->>'residentId')::uuid, p_actor);
  v_user public.users;
  v_home uuid;
  v_start timestamptz := (p_input->>'windowStart')::timestamptz;
  v_end timestamptz := (p_input->>'windowEnd')::timestamptz;
  v_order public.orders;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'place_order', p_input);
  if v_replay is not null then return v_replay; end if;

  select * into v_user from public.users where id = v_resident;
  v_home := private.home_community(v_resident);
  if v_user.id is null or v_home is null then
    perform private.fail('invalid_input', '服务对象还没有登记所在社区');
  end if;
  -- 代下单: ordering for someone else is for staff of that person's community.
  if v_resident <> p_actor then
    perform private.require_staff_of(p_actor, v_home);
  end if;

  select * into v_project from public.projects where id = (p_input->>'projectId')::uuid;
  if v_project.id is null then
    perform private.fail('not_found', '没有找到这个服务项目');
  end if;
  if v_project.status <> 'published' then
    perform private.fail('project_unavailable', '这个服务暂停预约了，请选择其他服务或打电话给社区');
  end if;
  if not exists (select 1 from public.project_communities
                 where project_id = v_project.id and community_id = v_home) then
    perform private.fail('project_unavailable', '这个服务不在您所在的社区提供');
  end if;
  if v_start < now() + interval '30 minutes' then
    perform private.fail('invalid_input', '请预约半小时以后的时间');
  end if;
  if v_start > now() + interval '30 days' then
    perform private.fail('invalid_input', '只能预约 30 天以内的时间');
  end if;
  if v_end - v_start < make_interval(mins => v_project.expected_minutes) then
    perform private.fail('invalid_input', format('时间段要至少留出 %s 分钟', v_project.expected_minutes));
  end if;
  if (select count(*) from public.orders
      where resident_id = v_resident and status in ('open', 'accepted', 'in_service')) >= 10 then
    perform private.fail('conflict', '进行中的订单太多了，请先完成或取消一些');
  end if;

  insert into public.orders (
    project_id, community_id, resident_id, ordered_by, window_start, window_end, address, contact_phone,
    notes, latitude, longitude, points_per_hour, max_minutes, respond_by)
  values (
    v_project.id, v_home, v_resident, p_actor, v_start, v_end,
    coalesce(nullif(p_input->>'address', ''), v_user.address),
    coalesce(nullif(p_input->>'contactPhone', ''), v_user.phone),
    coalesce(p_input->>'notes', ''),
    (p_input->>'latitude')::double precision, (p_input->>'longitude')::double precision,
    v_project.points_per_hour, v_project.max_minutes, now() + make_interval(hours => v_project.response_hours))
  returning * into v_order;
  perform private.log_order_event(v_order.id, p_actor, case when v_resident = p_actor then 'resident' else 'staff' end,
    'create', null, 'open', jsonb_build_object('proxy', v_resident <> p_actor));
  return private.idem_finish(p_actor, p_key, private.order_json(v_order, 'resident', true));
exception
  when not_null_violation then
    perform private.fail('invalid_input', '请填写服务地址和联系电话');
end;
$$;
comment on function public.place_order(uuid, jsonb, text) is '点单, or 代下单 when staff give residentId: records who ordered and who is served.';

create or replace function public.cancel_order(p_actor uuid, p_order_id uuid, p_reason text, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_order public.orders;
  v_kind text;
  v_to text;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'cancel_order',
    jsonb_build_object('orderId', p_order_id, 'reason', p_reason));
  if v_replay is not null then return v_replay; end if;
  v_order := private.lock_order(p_order_id);
  v_kind := private.viewer_kind(p_actor, v_order);
  if v_kind is null or v_kind not in ('resident', 'staff') then
    perform private.fail('forbidden', '只有下单的居民或社区工作人员可以取消');
  end if;
  v_to := private.next_status('order', 'cancel', v_order.status::text);
  perform private.log_order_event(p_order_id, p_actor, v_kind, 'cancel', v_order.status, v_to::public.order_status,
    jsonb_build_object('reason', p_reason));
  update public.orders set status = v_to::public.order_status, cancelled_at = now(), cancel_reason = p_reason
  where id = p_order_id returning * into v_order;
  return private.idem_finish(p_actor, p_key, private.order_json(v_order, v_kind, null));
end;
$$;

-- 接单: exactly one volunteer gets an open order. The volunteer's profile row is
-- locked first (so their own overlapping accepts queue up), then the order.
create or replace function public.accept_order(p_actor uuid, p_order_id uuid, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_order public.orders;
  v_reason text;
  v_to text;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'accept_order', jsonb_build_object('orderId', p_order_id));
  if v_replay is not null then return v_replay; end if;
  perform 1 from public.volunteer_profiles where user_id = p_actor for update;
  v_order := private.lock_order(p_order_id);
  if v_order.status <> 'open' and v_order.volunteer_id is not null and v_order.volunteer_id <> p_actor then
    perform private.fail('order_taken', '这个订单已经被其他志愿者接了，看看别的吧');
  end if;
  v_to := private.next_status('order', 'accept', v_order.status::text);
  -- While offered to others (派单, see the dispatch migration), the order is theirs to take.
  if private.offered_elsewhere(p_order_id, p_actor, now()) then
    perform private.fail('order_taken', '这个订单正在派给其他志愿者，看看别的吧');
  end if;
  v_reason := private.why_not_qualified(p_actor, v_order, now());
  if v_reason is not null then
    perform private.fail('not_qualified', private.qualification_message(v_reason, true));
  end if;
  if private.has_overlap(p_actor, v_order) then
    perform private.fail('schedule_conflict', '这个时间您已经接了别的服务');
  end if;
  update public.orders set status = v_to::public.order_status, volunteer_id = p_actor, accepted_at = now()
  where id = p_order_id returning * into v_order;
  perform private.settle_offers(p_order_id, p_actor);
  perform private.log_order_event(p_order_id, p_actor, 'volunteer', 'accept', 'open', 'accepted');
  return private.idem_finish(p_actor, p_key, private.order_json(v_order, 'volunteer', null));
end;
$$;

-- 派单: staff give an open order to a volunteer they choose.
create or replace function public.assign_order(p_actor uuid, p_order_id uuid, p_volunteer_id uuid, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_order public.orders;
  v_reason text;
  v_to text;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'assign_order',
    jsonb_build_object('orderId', p_order_id, 'volunteerId', p_volunteer_id));
  if v_replay is not null then return v_replay; end if;
  perform 1 from public.volunteer_profiles where user_id = p_volunteer_id for update;
  v_order := private.lock_order(p_order_id);
  perform private.require_staff_of(p_actor, v_order.community_id);
  v_to := private.next_status('order', 'assign', v_order.status::text);
  v_reason := private.why_not_qualified(p_volunteer_id, v_order, now());
  if v_reason is not null then
    perform private.fail('not_qualified', private.qualification_message(v_reason, false));
  end if;
  if private.has_overlap(p_volunteer_id, v_order) then
    perform private.fail('schedule_conflict', '该志愿者这个时间已经有别的服务');
  end if;
  update public.orders set status = v_to::public.order_status, volunteer_id = p_volunteer_id, accepted_at = now()
  where id = p_order_id returning * into v_order;
  perform private.settle_offers(p_order_id, p_volunteer_id);
  perform private.log_order_event(p_order_id, p_actor, 'staff', 'assign', 'open', 'accepted',
    jsonb_build_object('volunteerName', private.display_name(p_volunteer_id)));
  return private.idem_finish(p_actor, p_key, private.order_json(v_order, 'staff', false));
end;
$$;

-- The volunteer (or staff) hands an accepted order back before service starts.
create or replace function public.release_order(p_actor uuid, p_order_id uuid, p_reason text, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_order public.orders;
  v_kind text;
  v_to text;
  v_previous uuid;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'release_order',
    jsonb_build_object('orderId', p_order_id, 'reason', p_reason));
  if v_replay is not null then return v_replay; end if;
  v_order := private.lock_order(p_order_id);
  v_kind := private.viewer_kind(p_actor, v_order);
  if v_kind is null or v_kind not in ('volunteer', 'staff') then
    perform private.fail('forbidden', '只有接单的志愿者或社区工作人员可以退回订单');
  end if;
  v_to := private.next_status('order', 'release', v_order.status::text);
  v_previous := v_order.volunteer_id;
  update public.orders set status = v_to::public.order_status, volunteer_id = null, accepted_at = null
  where id = p_order_id returning * into v_order;
  perform private.log_order_event(p_order_id, p_actor, v_kind, 'release', 'accepted', 'open',
    jsonb_build_object('reason', p_reason, 'volunteerName', private.display_name(v_previous)));
  return private.idem_finish(p_actor, p_key, private.order_json(v_order, v_kind, false));
end;
$$;

revoke execute on all functions in schema public from public, anon, authenticated;
revoke execute on all functions in schema private from public, anon, authenticated;
grant execute on function
  public.place_order(uuid, jsonb, text),
  public.cancel_order(uuid, uuid, text, text),
  public.accept_order(uuid, uuid, text),
  public.assign_order(uuid, uuid, uuid, text),
  public.release_order(uuid, uuid, text, text)
to service_role;
