-- 志愿服务记录 as the rules ask, and what a volunteer does with their standing.
-- * Official service records (《志愿服务记录与证明出具办法》, 民政部令第67号):
--   every confirmed service yields one record with the volunteer's name, the
--   project and content, place, start and end, hours, the organising community
--   and who recorded it. Records are append-only; a correction is a new record
--   naming the one it corrects (minutes 0 voids it), and only records nobody
--   corrects count.
-- * 志愿服务证明: a certificate for a period, with a serial, a verification code
--   anyone can check (masked name, period, hours, valid or not) and the records
--   it lists; the PDF is drawn by the API (functions/src/certificates/pdf.ts).
-- * Presence confirmed by staff after phoning the resident: a third proof kind,
--   recorded with the staff member and a note, and counted apart.
-- * Blind ratings: each service is credited at the 好 factor on confirmation;
--   the rating part (很好 +20%, 一般 −20%) is settled per volunteer and community
--   in batches of policy rating_batch_size newly rated services (or at the
--   year's end), one transfer per batch, so no rating can be read off a points
--   change. Rating totals are shown to the volunteer only from settled batches,
--   and only from policy rating_min_shown ratings up.
-- * The volunteer's profile: skills (licensed ones back to certification),
--   availability, radius; 休息中 until a date (no offers); hours and points by month.

alter type public.transfer_kind add value if not exists 'rating';

insert into public.policies (key, value, description) values
  ('rating_batch_size', 3, '评价的积分部分攒够几条新评价一起结算（年底不足也结算）'),
  ('rating_min_shown', 3, '志愿者的评价统计满几条才显示');

alter table public.point_transfers drop constraint point_transfers_reference_type_check;
alter table public.point_transfers add constraint point_transfers_reference_type_check
  check (reference_type in ('order', 'redemption', 'adjustment', 'transfer', 'rating_batch'));

-- ---------------------------------------------------------------------------
-- Presence proofs on the order, and the volunteer's number and rest days.

alter table public.orders
  add column check_in_method text check (check_in_method in ('code', 'location', 'staff')),
  add column check_out_method text check (check_out_method in ('code', 'location', 'staff'));
comment on column public.orders.check_in_method is
  'How presence was proved: the resident''s code, location, or staff who phoned the resident (counted apart).';
update public.orders o set check_in_method = e.detail->>'method'
from public.order_events e
where e.order_id = o.id and e.action = 'check_in' and e.detail->>'method' in ('code', 'location');
update public.orders o set check_out_method = e.detail->>'method'
from public.order_events e
where e.order_id = o.id and e.action = 'check_out' and e.detail->>'method' in ('code', 'location');

alter table public.volunteer_profiles
  add column volunteer_no bigint generated always as identity,
  add column paused_until date;
comment on column public.volunteer_profiles.volunteer_no is '志愿者编号 printed on certificates (LLBV + the number).';
comment on column public.volunteer_profiles.paused_until is '休息中: no dispatch offers through this day (Asia/Shanghai), inclusive.';
create unique index volunteer_profiles_no_key on public.volunteer_profiles (volunteer_no);

-- ---------------------------------------------------------------------------
-- Service records: the old one-row-per-order table becomes an append-only list.

-- 服务内容 and 服务地点 as a record states them: the kind of service, never the resident's address.
create or replace function private.service_content(p_category public.service_category, p_mode public.project_mode)
returns text
language sql
immutable
set search_path = ''
as $$
  select (case p_category
      when 'smart_elderly' then '智慧助老' when 'after_school' then '四点半课堂'
      when 'meals_cleaning' then '助餐助洁' when 'legal_aid' then '法律援助'
      when 'medical_clinic' then '医疗义诊' when 'counseling' then '心理疏导'
      when 'appliance_repair' then '家电维修' else '其他服务' end)
    || case when p_mode = 'session' then '·集中服务' else '·上门服务' end;
$$;

create or replace function private.service_place(p_community uuid, p_mode public.project_mode)
returns text
language sql
stable
set search_path = ''
as $$
  select name || case when p_mode = 'session' then ' 社区服务场所' else ' 居民家中' end
  from public.communities where id = p_community;
$$;

alter table public.service_records drop constraint service_records_pkey;
alter table public.service_records
  add column id bigint generated always as identity primary key,
  add column volunteer_name text,
  add column project_id uuid references public.projects (id),
  add column project_title text,
  add column content text,
  add column place text,
  add column started_at timestamptz,
  add column ended_at timestamptz,
  add column recorded_by uuid references public.users (id),
  add column recorded_by_name text,
  add column staff_presence boolean not null default false,
  add column corrects_id bigint unique references public.service_records (id),
  add column correction_reason text check (length(correction_reason) <= 200);
alter table public.service_records alter column order_id drop not null;
alter table public.service_records drop constraint service_records_minutes_check;

update public.service_records r set
  volunteer_name = coalesce(v.real_name, private.display_name(r.volunteer_id)),
  project_id = o.project_id, project_title = p.title,
  content = private.service_content(p.category, p.mode), place = private.service_place(o.community_id, p.mode),
  started_at = o.checked_in_at, ended_at = o.checked_out_at,
  recorded_by_name = case when o.auto_confirmed then '系统自动确认' else '居民确认' end
from public.orders o
join public.projects p on p.id = o.project_id
left join public.volunteer_profiles v on v.user_id = o.volunteer_id
where o.id = r.order_id;

-- A voided record becomes what it now is: the record, and a correction to zero naming it.
insert into public.service_records (order_id, volunteer_id, community_id, minutes, served_on, created_at,
  volunteer_name, project_id, project_title, content, place, started_at, ended_at, recorded_by, recorded_by_name,
  corrects_id, correction_reason)
select r.order_id, r.volunteer_id, r.community_id, 0, r.served_on, r.voided_at, r.volunteer_name, r.project_id,
  r.project_title, r.content, r.place, r.started_at, r.ended_at, o.resolved_by,
  coalesce('社区工作人员 ' || private.display_name(o.resolved_by), '社区'), r.id, '异议核实：服务作废'
from public.service_records r left join public.orders o on o.id = r.order_id
where r.voided_at is not null;
alter table public.service_records drop column voided_at;

alter table public.service_records
  alter column volunteer_name set not null,
  alter column project_title set not null,
  alter column content set not null,
  alter column place set not null,
  alter column recorded_by_name set not null,
  add constraint service_records_minutes_check check (minutes between 0 and 1440),
  -- Only a correction may say zero (作废); it always gives its reason.
  add constraint service_records_correction_check check (
    (corrects_id is null) = (correction_reason is null) and (corrects_id is not null or minutes > 0));
create unique index service_records_order_key on public.service_records (order_id) where corrects_id is null;
create index service_records_served_idx on public.service_records (volunteer_id, served_on);
drop index if exists public.service_records_volunteer_idx;
comment on table public.service_records is
  '志愿服务记录 (民政部令第67号): one record per confirmed service, append-only. A correction is a new record
   naming the one it corrects (corrects_id; minutes 0 voids it). A record counts while nothing corrects it.';
comment on column public.service_records.staff_presence is
  'Presence was confirmed by staff phoning the resident, not by the resident''s code or location.';

-- Append-only, except for 注销: a deleted account's name leaves the records and
-- certificates (the hours stay, as the ledger does). delete_account sets llb.erasing.
create or replace function private.forbid_change()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' and tg_table_name in ('order_events', 'service_records', 'service_certificates')
     and current_setting('llb.erasing', true) = 'on' then
    return new;
  end if;
  raise exception using errcode = 'P0001', message = 'illegal_transition',
    detail = format('%s 只能追加，不能修改或删除', tg_table_name);
end;
$$;

create trigger service_records_append_only before update or delete on public.service_records
  for each row execute function private.forbid_change();

-- The record of an order that counts now (the last of its corrections), or null.
create or replace function private.current_record(p_order_id uuid)
returns public.service_records
language sql
stable
set search_path = ''
as $$
  select r.* from public.service_records r
  where r.order_id = p_order_id
    and not exists (select 1 from public.service_records c where c.corrects_id = r.id);
$$;

-- Writes the correction of a record: the same service with new minutes (0 = 作废).
create or replace function private.correct_record(
  p_record public.service_records, p_minutes integer, p_reason text, p_actor uuid)
returns public.service_records
language sql
set search_path = ''
as $$
  insert into public.service_records (order_id, volunteer_id, community_id, minutes, served_on,
    volunteer_name, project_id, project_title, content, place, started_at, ended_at, recorded_by, recorded_by_name,
    staff_presence, corrects_id, correction_reason)
  values (p_record.order_id, p_record.volunteer_id, p_record.community_id, p_minutes, p_record.served_on,
    p_record.volunteer_name, p_record.project_id, p_record.project_title, p_record.content, p_record.place,
    p_record.started_at, p_record.ended_at, p_actor,
    coalesce('社区工作人员 ' || private.display_name(p_actor), '社区'), p_record.staff_presence, p_record.id, p_reason)
  returning *;
$$;

create or replace function private.record_json(p_record public.service_records, p_actor uuid)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', p_record.id,
    'orderId', p_record.order_id,
    'volunteerId', p_record.volunteer_id,
    'volunteerName', p_record.volunteer_name,
    'servedOn', p_record.served_on,
    'startedAt', p_record.started_at,
    'endedAt', p_record.ended_at,
    'projectTitle', p_record.project_title,
    'content', p_record.content,
    'place', p_record.place,
    'minutes', p_record.minutes,
    'communityId', p_record.community_id,
    'communityName', (select name from public.communities where id = p_record.community_id),
    'recordedBy', p_record.recorded_by_name,
    'staffConfirmedPresence', p_record.staff_presence,
    'correctsId', p_record.corrects_id,
    'correctionReason', p_record.correction_reason,
    'correctedById', c.id,
    'effective', c.id is null,
    'createdAt', p_record.created_at,
    'actions', case when c.id is null and private.is_staff_of(p_actor, p_record.community_id)
                    then '["correct"]'::jsonb else '[]'::jsonb end)
  from (select 1) one
  left join public.service_records c on c.corrects_id = p_record.id;
$$;

-- ---------------------------------------------------------------------------
-- Blind ratings: the rating part of each service, settled in batches.

create table public.rating_batches (
  id bigint generated always as identity primary key,
  volunteer_id uuid not null references public.users (id),
  community_id uuid not null references public.communities (id),
  orders integer not null check (orders > 0),
  amount bigint not null,
  moved bigint not null default 0,
  transfer_id bigint references public.point_transfers (id),
  year_end boolean not null default false,
  settled_at timestamptz not null default now()
);
comment on table public.rating_batches is
  'One settlement of the rating part (很好 +20%, 一般 −20%) of several services of one volunteer: amount is their
   sum, moved what the ledger moved (a negative sum takes no more than the wallet holds).';
alter table public.rating_batches enable row level security;
create index rating_batches_volunteer_idx on public.rating_batches (volunteer_id, settled_at);

alter table public.orders add column rating_batch_id bigint references public.rating_batches (id);
comment on column public.orders.rating_batch_id is 'The batch that settled this order''s rating part; null until then.';
create index orders_unsettled_rating_idx on public.orders (volunteer_id, community_id)
  where rating is not null and rating_batch_id is null;

-- What 很好 adds or 一般 takes off one service against the 好 factor it was credited at.
create or replace function private.rating_share(p_minutes integer, p_rate integer, p_rating integer)
returns bigint
language sql
immutable
set search_path = ''
as $$
  select private.service_points(p_minutes, p_rate, p_rating, 0) - private.service_points(p_minutes, p_rate, 2, 0);
$$;

-- Settles the rating parts of a volunteer's credited, rated, unsettled services in one
-- community: once there are rating_batch_size of them, or (the year's end: p_before,
-- the start of the new year) all of those confirmed before p_before, however few.
-- One batch, one transfer. Serialised on the volunteer's wallet row.
create or replace function private.settle_ratings(p_volunteer uuid, p_community uuid, p_before timestamptz)
returns bigint
language plpgsql
set search_path = ''
as $$
declare
  v_wallet uuid := private.wallet_of(p_volunteer);
  v_balance bigint;
  v_ids uuid[];
  v_sum bigint;
  v_batch bigint;
  v_moved bigint := 0;
  v_transfer bigint;
  v_year_end boolean := p_before is not null;
begin
  select balance into v_balance from public.point_accounts where id = v_wallet for update;
  select array_agg(o.id order by o.confirmed_at, o.id),
         coalesce(sum(private.rating_share(o.service_minutes, o.points_per_hour, o.rating)), 0)
  into v_ids, v_sum
  from public.orders o
  where o.volunteer_id = p_volunteer and o.community_id = p_community
    and o.rating is not null and o.rating_batch_id is null and o.status = 'confirmed'
    and exists (select 1 from public.service_records r where r.order_id = o.id and r.corrects_id is null)
    and (not v_year_end or o.confirmed_at < p_before);
  if v_ids is null or (not v_year_end and cardinality(v_ids) < private.policy('rating_batch_size')) then
    return null;
  end if;
  insert into public.rating_batches (volunteer_id, community_id, orders, amount, year_end, settled_at)
  values (p_volunteer, p_community, cardinality(v_ids), v_sum, v_year_end, private.clock())
  returning id into v_batch;
  if v_sum > 0 then
    v_moved := v_sum;
    v_transfer := private.transfer('rating', private.account_id('issuance', p_community, null), v_wallet, v_sum,
      'rating_batch', v_batch::text, 'rating:' || v_batch, format('评价结算：%s 次服务', cardinality(v_ids)), null);
  elsif v_sum < 0 and v_balance > 0 then
    v_moved := -least(-v_sum, v_balance);
    v_transfer := private.transfer('rating', v_wallet, private.account_id('issuance', p_community, null), -v_moved,
      'rating_batch', v_batch::text, 'rating:' || v_batch, format('评价结算：%s 次服务', cardinality(v_ids)), null);
  end if;
  update public.rating_batches set moved = v_moved, transfer_id = v_transfer where id = v_batch;
  update public.orders set rating_batch_id = v_batch where id = any (v_ids);
  perform private.notify(p_volunteer, 'rating_settled', 'rating_settled:' || v_batch, '评价积分已结算',
    format('最近 %s 次服务的评价已结算，积分明细见钱包', cardinality(v_ids)), '/store/pages/wallet/index',
    jsonb_build_object('orders', cardinality(v_ids)));
  return v_batch;
end;
$$;

-- On confirmation (by the resident, by the tick, by staff upholding a dispute or
-- approving a held service): the official record and the points at the 好 factor,
-- once per order; then the rating part waits for its batch.
create or replace function private.credit_service(p_order_id uuid)
returns bigint
language plpgsql
set search_path = ''
as $$
declare
  v_order public.orders;
  v_project public.projects;
  v_points bigint;
begin
  select * into v_order from public.orders where id = p_order_id;
  -- A service held for review earns when staff approve it (review_service), not before.
  if v_order.review_status in ('pending', 'rejected') then
    return 0;
  end if;
  if not exists (select 1 from public.service_records where order_id = p_order_id and corrects_id is null) then
    select * into v_project from public.projects where id = v_order.project_id;
    insert into public.service_records (order_id, volunteer_id, community_id, minutes, served_on,
      volunteer_name, project_id, project_title, content, place, started_at, ended_at,
      recorded_by, recorded_by_name, staff_presence)
    values (v_order.id, v_order.volunteer_id, v_order.community_id, greatest(v_order.service_minutes, 1),
      (v_order.checked_in_at at time zone 'Asia/Shanghai')::date,
      coalesce((select real_name from public.volunteer_profiles where user_id = v_order.volunteer_id),
               private.display_name(v_order.volunteer_id)),
      v_project.id, v_project.title, private.service_content(v_project.category, v_project.mode),
      private.service_place(v_order.community_id, v_project.mode), v_order.checked_in_at, v_order.checked_out_at,
      coalesce(v_order.resolved_by, v_order.reviewed_by),
      case
        when v_order.resolved_by is not null then '社区工作人员 ' || private.display_name(v_order.resolved_by) || '（异议核实）'
        when v_order.review_status = 'approved' then '社区工作人员 ' || private.display_name(v_order.reviewed_by) || '（核实）'
        when v_order.auto_confirmed then '系统自动确认'
        else '居民确认' end,
      'staff' in (coalesce(v_order.check_in_method, ''), coalesce(v_order.check_out_method, '')));
    v_points := private.service_points(v_order.service_minutes, v_order.points_per_hour, 2, v_order.bonus_points);
    if v_points > 0 then
      perform private.transfer('earn', private.account_id('issuance', v_order.community_id, null),
        private.wallet_of(v_order.volunteer_id), v_points, 'order', v_order.id::text, 'earn:' || v_order.id,
        '服务：' || v_project.title, null);
    end if;
    update public.orders set points_awarded = v_points where id = p_order_id;
  else
    v_points := v_order.points_awarded;
  end if;
  if v_order.rating is not null then
    perform private.settle_ratings(v_order.volunteer_id, v_order.community_id, null);
  end if;
  return v_points;
end;
$$;

-- A dispute decided against the volunteer: the record is corrected to zero and the
-- points taken back as far as the wallet still holds them (it can't go negative),
-- the rating part too if its batch was already settled.
create or replace function private.reverse_service(p_order_id uuid, p_actor uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_record public.service_records := private.current_record(p_order_id);
  v_order public.orders;
  v_earn public.point_transfers;
  v_wallet uuid;
  v_balance bigint;
  v_taken bigint := 0;
  v_share bigint;
begin
  if v_record.id is not null and v_record.minutes > 0 then
    perform private.correct_record(v_record, 0, '异议核实：服务作废', p_actor);
  end if;
  select * into v_order from public.orders where id = p_order_id;
  select * into v_earn from public.point_transfers where idempotency_key = 'earn:' || p_order_id;
  if v_earn.id is not null then
    select balance into v_balance from public.point_accounts where id = v_earn.to_account for update;
    v_taken := least(v_earn.amount, v_balance);
    if v_taken > 0 then
      perform private.transfer('reversal', v_earn.to_account, v_earn.from_account, v_taken, 'transfer', v_earn.id::text,
        'reversal:' || v_earn.id, '异议核实：服务作废', p_actor, v_earn.id);
    end if;
  end if;
  -- Its rating part, if already settled in a batch: the service no longer counts at all.
  if v_order.rating_batch_id is not null then
    v_share := private.rating_share(v_order.service_minutes, v_order.points_per_hour, v_order.rating);
    v_wallet := private.wallet_of(v_order.volunteer_id);
    select balance into v_balance from public.point_accounts where id = v_wallet for update;
    if v_share > 0 and v_balance > 0 then
      perform private.transfer('rating', v_wallet, private.account_id('issuance', v_order.community_id, null),
        least(v_share, v_balance), 'order', p_order_id::text, 'rating-void:' || p_order_id, '异议核实：服务作废', p_actor);
    elsif v_share < 0 then
      perform private.transfer('rating', private.account_id('issuance', v_order.community_id, null), v_wallet,
        -v_share, 'order', p_order_id::text, 'rating-void:' || p_order_id, '异议核实：服务作废', p_actor);
    end if;
  end if;
  update public.orders set points_reversed = v_taken where id = p_order_id;
  return jsonb_build_object('pointsReversed', v_taken, 'unrecovered', coalesce(v_earn.amount, 0) - v_taken);
end;
$$;

-- ---------------------------------------------------------------------------
-- Presence confirmed by staff: a third proof, next to the code and the location.

create or replace function private.order_may(p_order public.orders, p_kind text, p_action text)
returns boolean
language sql
stable
set search_path = ''
as $$
  select case p_action
    -- Staff of the community confirm a step the volunteer could take now, after phoning the resident.
    when 'staff_check_in' then p_kind = 'staff' and private.order_may(p_order, 'volunteer', 'check_in')
    when 'staff_check_out' then p_kind = 'staff' and private.order_may(p_order, 'volunteer', 'check_out')
    else exists (select 1 from public.status_transitions t
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
    end
  end;
$$;

create or replace function private.order_actions(p_order public.orders, p_kind text, p_actor uuid)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(a order by n), '[]'::jsonb)
  from unnest(array['accept', 'check_in', 'check_out', 'show_presence_code', 'confirm', 'dispute',
                    'review_service', 'staff_check_in', 'staff_check_out', 'assign', 'uphold', 'void', 'release', 'cancel']) with ordinality x(a, n)
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
    'checkInMethod', p_order.check_in_method,
    'checkOutMethod', p_order.check_out_method,
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

-- p_note: what staff write when they confirm (proof method 'staff'); the proof itself is the
-- client's (the code, or a location) or {method: 'staff'}.
drop function private.record_presence(uuid, uuid, jsonb, text, text);
create or replace function private.record_presence(
  p_actor uuid, p_order_id uuid, p_proof jsonb, p_key text, p_action text, p_note text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_order public.orders;
  v_to text;
  v_problem text;
  v_minutes integer;
  v_min integer;
  v_now timestamptz := private.clock();
  v_staff boolean;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, p_action, jsonb_build_object('orderId', p_order_id, 'proof', p_proof)
    || case when p_note is null then '{}'::jsonb else jsonb_build_object('note', p_note) end);
  if v_replay is not null then return v_replay; end if;
  v_order := private.lock_order(p_order_id);
  v_staff := p_proof->>'method' = 'staff';
  if v_staff then
    -- Staff confirm after phoning the resident: recorded with their name and note, counted apart.
    if not private.is_staff_of(p_actor, v_order.community_id) then
      perform private.fail('forbidden', '只有本社区的工作人员可以代为确认');
    end if;
    if length(btrim(coalesce(p_note, ''))) < 4 then
      perform private.fail('invalid_input', '请写明核实情况，例如：已电话联系居民，确认志愿者已到');
    end if;
    if not private.order_may(v_order, 'staff', 'staff_' || p_action) then
      perform private.next_status('order', p_action, v_order.status::text);
      perform private.fail('illegal_transition', '现在不能代为确认这一步');
    end if;
  else
    if v_order.volunteer_id is distinct from p_actor then
      perform private.fail('forbidden', '这不是您接的订单');
    end if;
    perform private.require_order_action(v_order, 'volunteer', p_action);
  end if;
  v_to := private.next_status('order', p_action, v_order.status::text);
  if p_action = 'check_in'
     and v_now < v_order.window_start - make_interval(mins => private.policy('check_in_lead_minutes')) then
    perform private.fail('presence_failed', format('还没到服务时间，预约开始前 %s 分钟内才能签到',
      private.policy('check_in_lead_minutes')));
  end if;
  if p_action = 'check_in' and v_now > v_order.window_end + make_interval(mins => private.policy('check_in_late_minutes')) then
    perform private.fail('presence_failed', '已经超过预约时间很久了，请联系社区');
  end if;
  if not v_staff and v_order.presence_failures >= private.policy('presence_max_failures')
     and v_order.presence_failed_at > v_now - make_interval(mins => private.policy('presence_lockout_minutes')) then
    perform private.fail('rate_limited', format('验证失败次数太多，请 %s 分钟后再试', private.policy('presence_lockout_minutes')));
  end if;

  v_problem := case when not v_staff then private.presence_problem(v_order, p_proof) end;
  if v_problem is not null then
    update public.orders set
      presence_failures = case
        when presence_failed_at > v_now - make_interval(mins => private.policy('presence_lockout_minutes'))
        then presence_failures + 1 else 1 end,
      presence_failed_at = v_now
    where id = p_order_id;
    return private.idem_finish(p_actor, p_key,
      jsonb_build_object('error', jsonb_build_object('code', 'presence_failed', 'message', v_problem)));
  end if;

  if p_action = 'check_in' then
    update public.orders set status = v_to::public.order_status, checked_in_at = v_now, presence_failures = 0,
      check_in_method = p_proof->>'method'
    where id = p_order_id returning * into v_order;
  else
    -- Hours come from check-in and check-out, capped by the project's maximum.
    v_minutes := least(v_order.max_minutes, greatest(1, ceil(extract(epoch from v_now - v_order.checked_in_at) / 60)));
    -- Shorter than the project's minimum: held for staff to check, not silently worth nothing.
    select min_service_minutes into v_min from public.projects where id = v_order.project_id;
    update public.orders set status = v_to::public.order_status, checked_out_at = v_now, completed_at = v_now,
      service_minutes = v_minutes, presence_failures = 0, check_out_method = p_proof->>'method',
      review_status = case when v_minutes < v_min then 'pending' end,
      review_reason = case when v_minutes < v_min then format('服务只有 %s 分钟，不到 %s 分钟', v_minutes, v_min) end
    where id = p_order_id returning * into v_order;
  end if;
  if p_action = 'check_in' then
    perform private.notify_order_people(v_order, 'volunteer_arrived', 'arrived:' || v_order.id, '志愿者已到达',
      format('%s 已到，开始服务：%s', private.display_name(p_actor),
        (select title from public.projects where id = v_order.project_id)));
  else
    perform private.notify_order_people(v_order, 'service_done', 'done:' || v_order.id, '服务完成，请评价',
      format('%s 已完成，请在订单里评一评；%s 小时内没有评价将自动确认',
        (select title from public.projects where id = v_order.project_id), private.policy('auto_confirm_hours')));
  end if;
  if v_staff then
    perform private.notify_order_volunteer(v_order, v_order.volunteer_id, 'presence_confirmed_by_staff',
      'staff_presence:' || p_action || ':' || v_order.id,
      case when p_action = 'check_in' then '社区已确认您到达' else '社区已确认服务结束' end,
      format('%s 电话核实后代为确认：%s', private.display_name(p_actor), btrim(p_note)));
  end if;
  perform private.log_order_event(p_order_id, p_actor, case when v_staff then 'staff' else 'volunteer' end, p_action,
    case when p_action = 'check_in' then 'accepted' else 'in_service' end::public.order_status,
    v_to::public.order_status,
    jsonb_build_object('method', p_proof->>'method')
      || case when v_staff then jsonb_build_object('note', btrim(p_note)) else '{}'::jsonb end
      || case when v_minutes is null then '{}'::jsonb
      else jsonb_build_object('serviceMinutes', v_minutes) end,
    (p_proof->>'latitude')::double precision, (p_proof->>'longitude')::double precision);
  return private.idem_finish(p_actor, p_key,
    private.order_json(v_order, case when v_staff then 'staff' else 'volunteer' end, null, p_actor));
end;
$$;


-- The volunteer's own check-in and check-out take the resident's code or a location only
-- ({method: 'staff'} is staff_confirm_presence's).
create or replace function private.volunteer_presence(
  p_actor uuid, p_order_id uuid, p_proof jsonb, p_key text, p_action text)
returns jsonb
language plpgsql
set search_path = ''
as $$
begin
  if p_proof->>'method' is distinct from 'code' and p_proof->>'method' is distinct from 'location' then
    perform private.fail('invalid_input', '请扫码、输入验证码或使用定位');
  end if;
  return private.record_presence(p_actor, p_order_id, p_proof, p_key, p_action);
end;
$$;

create or replace function public.check_in(p_actor uuid, p_order_id uuid, p_proof jsonb, p_key text)
returns jsonb
language sql
security definer
set search_path = ''
as $$
  select private.volunteer_presence(p_actor, p_order_id, p_proof, p_key, 'check_in');
$$;

create or replace function public.check_out(p_actor uuid, p_order_id uuid, p_proof jsonb, p_key text)
returns jsonb
language sql
security definer
set search_path = ''
as $$
  select private.volunteer_presence(p_actor, p_order_id, p_proof, p_key, 'check_out');
$$;

create or replace function public.staff_confirm_presence(
  p_actor uuid, p_order_id uuid, p_step text, p_note text, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  if p_step is null or p_step not in ('check_in', 'check_out') then
    perform private.fail('invalid_input', '请选择确认到场还是确认离开');
  end if;
  return private.record_presence(p_actor, p_order_id, '{"method": "staff"}'::jsonb, p_key, p_step,
    left(btrim(coalesce(p_note, '')), 200));
end;
$$;
comment on function public.staff_confirm_presence(uuid, uuid, text, text, text) is
  'Staff of the community confirm a volunteer''s check-in or check-out after phoning the resident (a third proof kind).';

-- ---------------------------------------------------------------------------
-- 休息中: no offers for services on days through paused_until (they may still take
-- tasks from the hall themselves, as with radius and availability).

create or replace function private.wants_offer(p_volunteer uuid, p_order public.orders)
returns boolean
language sql
stable
set search_path = ''
as $$
  select
    (v.paused_until is null or v.paused_until < (p_order.window_start at time zone 'Asia/Shanghai')::date)
    and (v.latitude is null or coalesce(p_order.latitude, c.latitude) is null
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

create or replace function public.dispatch_candidates(p_order_id uuid, p_now timestamptz default now())
returns json
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_order public.orders;
  v_street uuid;
  v_lat double precision;
  v_lng double precision;
  v_day date;
  v_weekday integer;
  v_from time;
  v_to time;
begin
  select * into v_order from public.orders where id = p_order_id;
  if v_order.id is null or v_order.status <> 'open' then
    return null;
  end if;
  select coalesce(v_order.latitude, c.latitude), coalesce(v_order.longitude, c.longitude), c.street_id
  into v_lat, v_lng, v_street
  from public.communities c where c.id = v_order.community_id;
  v_day := (v_order.window_start at time zone 'Asia/Shanghai')::date;
  v_weekday := extract(isodow from v_order.window_start at time zone 'Asia/Shanghai');
  v_from := (v_order.window_start at time zone 'Asia/Shanghai')::time;
  v_to := (v_order.window_end at time zone 'Asia/Shanghai')::time;
  -- Set-based: each statistic is aggregated once for all candidates, not per volunteer;
  -- json, not jsonb: built as text, it costs a fraction with thousands of candidates.
  return json_build_object(
    'orderId', v_order.id,
    'windowStart', v_order.window_start,
    'requiredSkills', coalesce((select json_agg(skill_code) from public.project_skills where project_id = v_order.project_id), '[]'::json),
    -- With this few candidates or fewer, the tick first jumps the order to its last
    -- escalation step (public.escalate_scarce_order): none of the few is spent on an
    -- offer at no bonus, since nobody is offered an order twice. -1: no jump.
    'jumpAtOrBelow', case when private.policy('escalation_scarce_candidates') > 0
                           and v_order.escalation_level < private.policy('escalation_max_steps')
                          then private.policy('escalation_scarce_candidates') else -1 end,
    'candidates', coalesce((
      with cand as (
        select v.*,
          case when v.latitude is null or v_lat is null then null
            else private.distance_m(v_lat, v_lng, v.latitude, v.longitude) end as distance
        from public.volunteer_profiles v
        join public.communities vc on vc.id = v.community_id
        where v.status = 'approved'
          and v_order.window_end > p_now
          -- private.wants_offer: not resting (休息中) on the day of the service.
          and (v.paused_until is null or v.paused_until < v_day)
          and (v.community_id = v_order.community_id or (v_order.widened and vc.street_id = v_street))
          and v.user_id <> v_order.resident_id
          and not exists (select 1 from public.dispatch_offers f where f.order_id = v_order.id and f.volunteer_id = v.user_id)
          and not exists (select 1 from public.project_skills ps where ps.project_id = v_order.project_id
                          and not exists (select 1 from public.volunteer_skills vs
                                          where vs.user_id = v.user_id and vs.skill_code = ps.skill_code))
          -- private.has_overlap as a join: called per volunteer it is a subplan for each of
          -- thousands of rows (measured 58 ms p95 against 38 ms this way).
          and not exists (select 1 from public.orders x
                          where x.volunteer_id = v.user_id and x.status in ('accepted', 'in_service')
                            and x.window_start < v_order.window_end and v_order.window_start < x.window_end)
          -- private.wants_offer: weekly slots (none declared = flexible).
          and (not exists (select 1 from public.volunteer_availability a where a.user_id = v.user_id)
               or exists (select 1 from public.volunteer_availability a
                          where a.user_id = v.user_id and a.weekday = v_weekday
                            and a.starts_at <= v_from and a.ends_at >= v_to))
      ), near as (
        -- private.wants_offer: within the volunteer's radius.
        select * from cand where distance is null or distance <= service_radius_m
      ), tasks as (
        select o.volunteer_id,
          count(*) filter (where o.accepted_at > p_now - interval '30 days' and o.status not in ('cancelled', 'voided')) as recent,
          -- private.tasks_that_day, for the daily cap.
          count(*) filter (where o.status in ('accepted', 'in_service', 'completed', 'confirmed')
            and (o.window_start at time zone 'Asia/Shanghai')::date = v_day) as that_day,
          coalesce(sum(o.rating), 0) as rating_sum,
          count(o.rating) as rating_count,
          bool_or(o.resident_id = v_order.resident_id and o.status = 'confirmed') as served_before
        from public.orders o where o.volunteer_id in (select user_id from near) group by o.volunteer_id
      ), offers as (
        select f.volunteer_id,
          count(*) filter (where f.status = 'accepted') as accepted,
          count(*) filter (where f.status in ('declined', 'expired')) as missed
        from public.dispatch_offers f where f.volunteer_id in (select user_id from near) group by f.volunteer_id
      ), releases as (
        select e.actor_id, count(*) as n from public.order_events e
        where e.action = 'release' and e.actor_id in (select user_id from near) group by e.actor_id
      ), skills as (
        select vs.user_id, json_agg(vs.skill_code) as codes
        from public.volunteer_skills vs where vs.user_id in (select user_id from near) group by vs.user_id
      )
      -- One positional array per candidate, in the order decodeFacts in
      -- shared/src/dispatch/rank.ts reads: keys repeated 3,000 times cost more than the facts.
      select json_agg(json_build_array(
        c.user_id,
        round(c.distance),
        c.service_radius_m,
        c.community_id <> v_order.community_id,
        coalesce(sk.codes, '[]'::json),
        coalesce(t.recent, 0),
        coalesce(t.that_day, 0),
        coalesce(t.rating_sum, 0),
        coalesce(t.rating_count, 0),
        coalesce(f.accepted, 0),
        coalesce(f.missed, 0),
        coalesce(r.n, 0),
        exists (select 1 from public.resident_pairs p where p.resident_id = v_order.resident_id and p.volunteer_id = c.user_id),
        coalesce(t.served_before, false)))
      from near c
      left join tasks t on t.volunteer_id = c.user_id
      left join offers f on f.volunteer_id = c.user_id
      left join releases r on r.actor_id = c.user_id
      left join skills sk on sk.user_id = c.user_id
      where coalesce(t.that_day, 0) < c.daily_cap), '[]'::json));
end;
$$;


alter table public.volunteer_status_events drop constraint volunteer_status_events_action_check;
alter table public.volunteer_status_events add constraint volunteer_status_events_action_check
  check (action in ('apply', 'approve', 'reject', 'more_info', 'suspend', 'reinstate', 'certify_skill', 'revoke_skill',
                    'edit_profile', 'pause', 'resume'));

-- The volunteer's totals: services and hours from the records that count, points earned
-- (everything into the wallet but the store's flows), by month for the last twelve;
-- ratings only from settled batches and only from rating_min_shown up.
create or replace function private.volunteer_summary_json(p_user uuid)
returns jsonb
language sql
stable
set search_path = ''
as $$
  with recs as (
    select r.* from public.service_records r
    where r.volunteer_id = p_user and r.minutes > 0
      and not exists (select 1 from public.service_records c where c.corrects_id = r.id)
  ), pts as (
    select e.amount, e.created_at from public.point_entries e
    join public.point_transfers t on t.id = e.transfer_id
    join public.point_accounts a on a.id = e.account_id
    where a.kind = 'wallet' and a.user_id = p_user and t.kind not in ('redeem', 'refund')
  ), months as (
    select to_char(m, 'YYYY-MM') as month from generate_series(
      date_trunc('month', private.clock() at time zone 'Asia/Shanghai') - interval '11 months',
      date_trunc('month', private.clock() at time zone 'Asia/Shanghai'), interval '1 month') m
  ), rated as (
    select o.rating, o.rating_tags from public.orders o
    where o.volunteer_id = p_user and o.rating_batch_id is not null and o.status = 'confirmed'
  )
  select jsonb_build_object(
    'completedOrders', (select count(*) from recs),
    'serviceMinutes', (select coalesce(sum(minutes), 0) from recs),
    'points', (select coalesce(sum(amount), 0) from pts),
    'pausedUntil', v.paused_until,
    'months', coalesce((
      select jsonb_agg(jsonb_build_object('month', m.month,
          'services', (select count(*) from recs where to_char(served_on, 'YYYY-MM') = m.month),
          'minutes', (select coalesce(sum(minutes), 0) from recs where to_char(served_on, 'YYYY-MM') = m.month),
          'points', (select coalesce(sum(amount), 0) from pts
                     where to_char(created_at at time zone 'Asia/Shanghai', 'YYYY-MM') = m.month))
        order by m.month desc)
      from months m), '[]'::jsonb),
    'ratings', case when (select count(*) from rated) >= private.policy('rating_min_shown') then (
      select jsonb_build_object(
        'rated', count(*),
        'averageRating', round(avg(rating), 2),
        'veryGood', count(*) filter (where rating = 3),
        'good', count(*) filter (where rating = 2),
        'fair', count(*) filter (where rating = 1),
        'tags', coalesce((select jsonb_agg(jsonb_build_object('tag', tag, 'count', n) order by n desc, tag)
                          from (select tag, count(*) as n from rated, unnest(rated.rating_tags) tag group by tag) t),
                         '[]'::jsonb))
      from rated) end,
    'actions', coalesce((
      select jsonb_agg(a order by n) from unnest(array['edit_profile', 'pause', 'resume', 'certificate'])
        with ordinality x(a, n)
      where case a
        when 'edit_profile' then v.status in ('approved', 'suspended')
        when 'pause' then v.status = 'approved'
          and (v.paused_until is null or v.paused_until < (private.clock() at time zone 'Asia/Shanghai')::date)
        when 'resume' then v.paused_until >= (private.clock() at time zone 'Asia/Shanghai')::date
        when 'certificate' then exists (select 1 from recs)
      end), '[]'::jsonb))
  from public.volunteer_profiles v where v.user_id = p_user;
$$;

create or replace function public.get_volunteer_summary(p_actor uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_user(p_actor);
  if not exists (select 1 from public.volunteer_profiles where user_id = p_actor and phone is not null) then
    perform private.fail('forbidden', '您还不是志愿者');
  end if;
  return private.volunteer_summary_json(p_actor);
end;
$$;
comment on function public.get_volunteer_summary(uuid) is
  'A volunteer''s own totals, by month; ratings only settled and only from rating_min_shown up (blind).';

-- 休息中 until a day (inclusive), or back now (null). Live offers for services in
-- the rest go back to dispatch; accepted tasks stay theirs (they can release them).
create or replace function public.set_volunteer_pause(p_actor uuid, p_until date, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_profile public.volunteer_profiles;
  v_today date := (private.clock() at time zone 'Asia/Shanghai')::date;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'set_volunteer_pause', jsonb_build_object('until', p_until));
  if v_replay is not null then return v_replay; end if;
  select * into v_profile from public.volunteer_profiles where user_id = p_actor and phone is not null for update;
  if v_profile.user_id is null or v_profile.status not in ('approved', 'suspended') then
    perform private.fail('forbidden', '您还不是志愿者');
  end if;
  if p_until is not null then
    if v_profile.status <> 'approved' then
      perform private.fail('illegal_transition', '您的志愿服务已暂停，不需要再设置休息');
    end if;
    if p_until < v_today then
      perform private.fail('invalid_input', '休息的日期不能早于今天');
    end if;
    if p_until > v_today + 365 then
      perform private.fail('invalid_input', '最多休息一年，请选近一些的日期');
    end if;
  end if;
  update public.volunteer_profiles set paused_until = p_until where user_id = p_actor;
  if p_until is not null then
    update public.dispatch_offers f
    set status = 'withdrawn', responded_at = now(), decline_reason = '志愿者休息中'
    from public.orders o
    where f.volunteer_id = p_actor and f.status = 'pending' and o.id = f.order_id
      and (o.window_start at time zone 'Asia/Shanghai')::date <= p_until;
  end if;
  insert into public.volunteer_status_events (user_id, actor_id, action, reason)
  values (p_actor, p_actor, case when p_until is null then 'resume' else 'pause' end,
    case when p_until is not null then '休息到 ' || to_char(p_until, 'YYYY-MM-DD') end);
  return private.idem_finish(p_actor, p_key, private.volunteer_summary_json(p_actor));
end;
$$;

-- A volunteer changes what they offer: skills (a licensed one new or with a new proof
-- goes back to certification and stops counting for dispatch until certified; one
-- removed stops counting at once), weekly availability and radius.
create or replace function public.update_volunteer_profile(p_actor uuid, p_input jsonb, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_profile public.volunteer_profiles;
  v_skill jsonb;
  v_slot jsonb;
  v_licensed boolean;
  v_claim public.volunteer_skill_claims;
  v_codes text[];
  v_to_certify text[] := '{}';
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'update_volunteer_profile', p_input);
  if v_replay is not null then return v_replay; end if;
  select * into v_profile from public.volunteer_profiles where user_id = p_actor and phone is not null for update;
  if v_profile.user_id is null or v_profile.status not in ('approved', 'suspended') then
    perform private.fail('forbidden', '审核通过后才能修改志愿者资料；申请中的资料请重新提交申请');
  end if;
  if jsonb_array_length(coalesce(p_input->'skills', '[]')) = 0 then
    perform private.fail('invalid_input', '请至少选择一项专长');
  end if;
  select array_agg(x->>'code') into v_codes from jsonb_array_elements(p_input->'skills') x;

  for v_skill in select * from jsonb_array_elements(p_input->'skills') loop
    select licensed into v_licensed from public.skills where code = v_skill->>'code';
    if v_licensed is null then
      perform private.fail('invalid_input', '没有这项专长');
    end if;
    select * into v_claim from public.volunteer_skill_claims where user_id = p_actor and skill_code = v_skill->>'code';
    if not v_licensed then
      insert into public.volunteer_skill_claims (user_id, skill_code, status, reviewed_at)
      values (p_actor, v_skill->>'code', 'certified', now())
      on conflict (user_id, skill_code) do update set status = 'certified', proof_url = null;
      insert into public.volunteer_skills (user_id, skill_code) values (p_actor, v_skill->>'code') on conflict do nothing;
    elsif v_claim.user_id is null and coalesce(v_skill->>'proofUrl', '') = '' and exists (
      select 1 from public.volunteer_skills where user_id = p_actor and skill_code = v_skill->>'code') then
      -- Counted before skill claims were kept (a volunteer registered on paper): it stands as certified.
      insert into public.volunteer_skill_claims (user_id, skill_code, status, reviewed_at)
      values (p_actor, v_skill->>'code', 'certified', now());
    elsif coalesce(v_skill->>'proofUrl', '') = '' and v_claim.proof_url is null then
      perform private.fail('invalid_input', format('“%s”需要上传资质证明照片',
        (select name from public.skills where code = v_skill->>'code')));
    elsif v_claim.user_id is null or v_claim.status = 'revoked'
       or coalesce(nullif(v_skill->>'proofUrl', ''), v_claim.proof_url) is distinct from v_claim.proof_url then
      -- New, or a new proof: back to certification, and out of dispatch until then.
      insert into public.volunteer_skill_claims (user_id, skill_code, proof_url, status)
      values (p_actor, v_skill->>'code', coalesce(nullif(v_skill->>'proofUrl', ''), v_claim.proof_url), 'pending')
      on conflict (user_id, skill_code) do update set
        proof_url = excluded.proof_url, status = 'pending', reviewed_by = null, reviewed_at = null, note = null;
      delete from public.volunteer_skills where user_id = p_actor and skill_code = v_skill->>'code';
      v_to_certify := v_to_certify || (select name from public.skills where code = v_skill->>'code');
    end if;
  end loop;
  delete from public.volunteer_skills where user_id = p_actor and skill_code <> all (v_codes);
  delete from public.volunteer_skill_claims where user_id = p_actor and skill_code <> all (v_codes);

  update public.volunteer_profiles set service_radius_m = (p_input->>'serviceRadiusM')::integer where user_id = p_actor;
  delete from public.volunteer_availability where user_id = p_actor;
  for v_slot in select * from jsonb_array_elements(coalesce(p_input->'availability', '[]')) loop
    insert into public.volunteer_availability (user_id, weekday, starts_at, ends_at)
    values (p_actor, (v_slot->>'weekday')::smallint, (v_slot->>'start')::time, (v_slot->>'end')::time);
  end loop;
  insert into public.volunteer_status_events (user_id, actor_id, action, reason)
  values (p_actor, p_actor, 'edit_profile',
    case when cardinality(v_to_certify) > 0 then left('待认证：' || array_to_string(v_to_certify, '、'), 200) end);
  if cardinality(v_to_certify) > 0 then
    perform private.notify_staff(v_profile.community_id, 'skill_claim_received',
      'skill_claim:' || p_actor || ':' || extract(epoch from now()), '专长待认证',
      format('%s 提交了“%s”的资质证明，请认证', v_profile.real_name, array_to_string(v_to_certify, '、')),
      '/staff/pages/people/index?communityId=' || v_profile.community_id,
      jsonb_build_object('userId', p_actor));
  end if;
  return private.idem_finish(p_actor, p_key, private.volunteer_application_json(p_actor, false));
end;
$$;
comment on function public.update_volunteer_profile(uuid, jsonb, text) is
  'A volunteer edits skills (licensed ones back to certification), weekly availability and service radius.';

-- ---------------------------------------------------------------------------
-- Reading and correcting records.

-- Whose records the actor may read: their own (p_volunteer null), or, as staff, those
-- of a volunteer of a community they run.
create or replace function private.require_record_reader(p_actor uuid, p_volunteer uuid)
returns public.volunteer_profiles
language plpgsql
stable
set search_path = ''
as $$
declare
  v_profile public.volunteer_profiles;
begin
  select * into v_profile from public.volunteer_profiles where user_id = coalesce(p_volunteer, p_actor);
  if p_volunteer is null and v_profile.user_id is null then
    perform private.fail('not_found', '您还不是志愿者');
  end if;
  if p_volunteer is not null
     and (v_profile.user_id is null or v_profile.phone is null or not private.is_staff_of(p_actor, v_profile.community_id)) then
    perform private.fail('not_found', '没有找到这位志愿者');
  end if;
  return v_profile;
end;
$$;

create or replace function public.list_service_records(p_actor uuid, p_volunteer_id uuid, p_from date, p_to date)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_volunteer uuid := coalesce(p_volunteer_id, p_actor);
  v_profile public.volunteer_profiles;
begin
  perform private.require_user(p_actor);
  v_profile := private.require_record_reader(p_actor, p_volunteer_id);
  if p_from > p_to then
    perform private.fail('invalid_input', '开始日期不能晚于结束日期');
  end if;
  return (
    with recs as (
      select r.*, private.record_json(r, p_actor) as j from public.service_records r
      where r.volunteer_id = v_volunteer
        and (p_from is null or r.served_on >= p_from) and (p_to is null or r.served_on <= p_to)
    )
    select jsonb_build_object(
      'volunteerId', v_volunteer,
      'volunteerName', coalesce(v_profile.real_name, private.display_name(v_volunteer)),
      'from', p_from,
      'to', p_to,
      'totalMinutes', coalesce(sum(minutes) filter (where (j->>'effective')::boolean), 0),
      'count', count(*) filter (where (j->>'effective')::boolean and minutes > 0),
      'records', coalesce(jsonb_agg(j order by served_on desc, id desc), '[]'::jsonb))
    from recs);
end;
$$;
comment on function public.list_service_records(uuid, uuid, date, date) is
  'A volunteer''s official service records in a period: their own, or for staff of their community; corrections included.';

-- Staff correct a record: a new record naming it, with the reason (minutes 0 voids it).
-- Points are not moved here: a wrong service is voided through a dispute, points
-- adjusted through the ledger.
create or replace function public.correct_service_record(
  p_actor uuid, p_record_id bigint, p_minutes integer, p_reason text, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_record public.service_records;
  v_new public.service_records;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'correct_service_record',
    jsonb_build_object('recordId', p_record_id, 'minutes', p_minutes, 'reason', p_reason));
  if v_replay is not null then return v_replay; end if;
  -- Two corrections of one record at once: the second waits here, then finds it corrected.
  select * into v_record from public.service_records where id = p_record_id for update;
  if v_record.id is null or not private.is_staff_of(p_actor, v_record.community_id) then
    perform private.fail('not_found', '没有找到这条服务记录');
  end if;
  if exists (select 1 from public.service_records where corrects_id = p_record_id) then
    perform private.fail('conflict', '这条记录已经更正过了，请刷新后更正最新的一条');
  end if;
  if p_minutes is null or p_minutes not between 0 and 720 then
    perform private.fail('invalid_input', '更正后的分钟数要在 0 到 720 之间（0 表示作废）');
  end if;
  if p_minutes = v_record.minutes then
    perform private.fail('invalid_input', '更正后的分钟数和原来一样');
  end if;
  if length(btrim(coalesce(p_reason, ''))) < 2 then
    perform private.fail('invalid_input', '请写明更正原因');
  end if;
  v_new := private.correct_record(v_record, p_minutes, left(btrim(p_reason), 200), p_actor);
  perform private.notify(v_record.volunteer_id, 'service_record_corrected', 'record_corrected:' || v_new.id,
    '服务记录已更正', format('%s %s：%s 分钟 → %s 分钟。原因：%s', to_char(v_record.served_on, 'MM月DD日'),
      v_record.project_title, v_record.minutes, p_minutes, btrim(p_reason)),
    '/volunteer/pages/records/index', jsonb_build_object('recordId', v_new.id));
  return private.idem_finish(p_actor, p_key, private.record_json(v_new, p_actor));
end;
$$;

-- ---------------------------------------------------------------------------
-- 志愿服务证明.

create sequence public.service_certificate_serial_seq;
create table public.service_certificates (
  id uuid primary key default gen_random_uuid(),
  serial text not null unique check (serial ~ '^LLB[0-9]{4}-[0-9]{6,}$'),
  verify_code text not null unique check (verify_code ~ '^[0-9A-F]{12}$'),
  volunteer_id uuid not null references public.users (id),
  community_id uuid not null references public.communities (id),
  period_start date not null,
  period_end date not null,
  record_ids bigint[] not null check (cardinality(record_ids) > 0),
  total_minutes integer not null check (total_minutes > 0),
  service_count integer not null check (service_count > 0),
  volunteer_name text not null,
  id_number_masked text,
  issued_by uuid references public.users (id),
  handler_name text not null,
  issued_at timestamptz not null default now(),
  check (period_start <= period_end)
);
comment on table public.service_certificates is
  '志愿服务证明: what was certified (the records listed, their total), by whom and when; append-only. Valid
   while none of its records has been corrected since. The verify code is what the public page asks for.';
create index service_certificates_volunteer_idx on public.service_certificates (volunteer_id, issued_at desc);
alter table public.service_certificates enable row level security;
create trigger service_certificates_append_only before update or delete on public.service_certificates
  for each row execute function private.forbid_change();

-- 陈* / 欧阳** : the family name's first character and stars.
create or replace function private.mask_name(p_name text)
returns text
language sql
immutable
set search_path = ''
as $$
  select case when p_name is null or length(p_name) = 0 then '' else left(p_name, 1) || repeat('*', greatest(length(p_name) - 1, 1)) end;
$$;

create or replace function private.certificate_valid(p_cert public.service_certificates)
returns boolean
language sql
stable
set search_path = ''
as $$
  select not exists (select 1 from public.service_records c where c.corrects_id = any (p_cert.record_ids));
$$;

create or replace function private.certificate_json(p_cert public.service_certificates, p_actor uuid, p_records boolean)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', p_cert.id,
    'serial', p_cert.serial,
    'verifyCode', p_cert.verify_code,
    'volunteerId', p_cert.volunteer_id,
    'volunteerName', p_cert.volunteer_name,
    'idNumberMasked', p_cert.id_number_masked,
    'volunteerNumber', 'LLBV' || lpad(v.volunteer_no::text, 6, '0'),
    'periodStart', p_cert.period_start,
    'periodEnd', p_cert.period_end,
    'totalMinutes', p_cert.total_minutes,
    'serviceCount', p_cert.service_count,
    'issuer', jsonb_build_object('id', c.id, 'name', c.name, 'streetName', s.name, 'address', c.address,
                                 'phone', c.service_phone),
    'handlerName', p_cert.handler_name,
    'issuedAt', p_cert.issued_at,
    'valid', private.certificate_valid(p_cert))
    || case when p_records then jsonb_build_object('records', coalesce((
      select jsonb_agg(private.record_json(r, p_actor) order by r.served_on, r.id)
      from public.service_records r where r.id = any (p_cert.record_ids)), '[]'::jsonb)) else '{}'::jsonb end
  from public.communities c
  join public.streets s on s.id = c.street_id
  left join public.volunteer_profiles v on v.user_id = p_cert.volunteer_id
  where c.id = p_cert.community_id;
$$;

-- Issues a certificate for a period: by the volunteer (self-service) or by staff of
-- their community for them. Lists the records that count, served in the period.
create or replace function public.issue_service_certificate(
  p_actor uuid, p_volunteer_id uuid, p_from date, p_to date, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_volunteer uuid := coalesce(p_volunteer_id, p_actor);
  v_profile public.volunteer_profiles;
  v_ids bigint[];
  v_minutes integer;
  v_count integer;
  v_now timestamptz := private.clock();
  v_cert public.service_certificates;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'issue_service_certificate',
    jsonb_build_object('volunteerId', v_volunteer, 'from', p_from, 'to', p_to));
  if v_replay is not null then return v_replay; end if;
  v_profile := private.require_record_reader(p_actor, p_volunteer_id);
  if p_from is null or p_to is null or p_from > p_to then
    perform private.fail('invalid_input', '请选择开始和结束日期，开始不能晚于结束');
  end if;
  if p_to > (v_now at time zone 'Asia/Shanghai')::date then
    perform private.fail('invalid_input', '结束日期不能晚于今天');
  end if;
  select array_agg(r.id order by r.served_on, r.id), sum(r.minutes), count(*)
  into v_ids, v_minutes, v_count
  from public.service_records r
  where r.volunteer_id = v_volunteer and r.minutes > 0 and r.served_on between p_from and p_to
    and not exists (select 1 from public.service_records c where c.corrects_id = r.id);
  if v_ids is null then
    perform private.fail('invalid_input', '这段时间没有服务记录，换个时间段试试');
  end if;
  insert into public.service_certificates (serial, verify_code, volunteer_id, community_id, period_start, period_end,
    record_ids, total_minutes, service_count, volunteer_name, id_number_masked, issued_by, handler_name, issued_at)
  values (
    'LLB' || to_char(v_now at time zone 'Asia/Shanghai', 'YYYY') || '-'
      || lpad(nextval('public.service_certificate_serial_seq')::text, 6, '0'),
    upper(left(replace(gen_random_uuid()::text, '-', ''), 12)),
    v_volunteer, v_profile.community_id, p_from, p_to, v_ids, v_minutes, v_count,
    coalesce(v_profile.real_name, private.display_name(v_volunteer)), v_profile.id_number_masked,
    case when p_actor <> v_volunteer then p_actor end,
    case when p_actor <> v_volunteer then private.display_name(p_actor) else '本人在线申请，系统出具' end,
    v_now)
  returning * into v_cert;
  if p_actor <> v_volunteer then
    perform private.notify(v_volunteer, 'certificate_issued', 'certificate:' || v_cert.id, '志愿服务证明已开具',
      format('社区为您开具了 %s 至 %s 的志愿服务证明，共 %s 小时', p_from, p_to, round(v_minutes / 60.0, 1)),
      '/volunteer/pages/certificates/index', jsonb_build_object('certificateId', v_cert.id));
  end if;
  return private.idem_finish(p_actor, p_key, private.certificate_json(v_cert, p_actor, true));
end;
$$;
comment on function public.issue_service_certificate(uuid, uuid, date, date, text) is
  '志愿服务证明 for a period, by the volunteer or by staff of their community; serial and verify code unique.';

create or replace function public.get_service_certificate(p_actor uuid, p_certificate_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_cert public.service_certificates;
begin
  perform private.require_user(p_actor);
  select * into v_cert from public.service_certificates where id = p_certificate_id;
  if v_cert.id is null or (v_cert.volunteer_id <> p_actor and not private.is_staff_of(p_actor, v_cert.community_id)) then
    perform private.fail('not_found', '没有找到这份证明');
  end if;
  return private.certificate_json(v_cert, p_actor, true);
end;
$$;

create or replace function public.list_service_certificates(p_actor uuid, p_volunteer_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_volunteer uuid := coalesce(p_volunteer_id, p_actor);
begin
  perform private.require_user(p_actor);
  perform private.require_record_reader(p_actor, p_volunteer_id);
  return coalesce((
    select jsonb_agg(private.certificate_json(c, p_actor, false) order by c.issued_at desc)
    from public.service_certificates c where c.volunteer_id = v_volunteer), '[]'::jsonb);
end;
$$;

-- The public check: anyone with the code sees the masked name, period, hours and
-- whether it still stands; nothing else.
create or replace function public.verify_service_certificate(p_code text)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_cert public.service_certificates;
begin
  select * into v_cert from public.service_certificates where verify_code = upper(p_code);
  if v_cert.id is null then
    perform private.fail('not_found', '没有找到这份证明，请核对验证码');
  end if;
  return jsonb_build_object(
    'serial', v_cert.serial,
    'volunteerNameMasked', private.mask_name(v_cert.volunteer_name),
    'periodStart', v_cert.period_start,
    'periodEnd', v_cert.period_end,
    'totalMinutes', v_cert.total_minutes,
    'serviceCount', v_cert.service_count,
    'issuerName', (select name from public.communities where id = v_cert.community_id),
    'issuedAt', v_cert.issued_at,
    'valid', private.certificate_valid(v_cert));
end;
$$;
comment on function public.verify_service_certificate(text) is
  'Public check of a 志愿服务证明 by its code: masked name, period, hours, issuer, valid.';

create or replace function public.tick(p_now timestamptz default now())
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_order public.orders;
  v_redemption public.redemptions;
  v_confirmed integer := 0;
  v_expired integer := 0;
  v_keys integer;
  v_year_start timestamptz;
begin
  for v_order in
    select * from public.orders
    where status = 'completed' and completed_at <= p_now - make_interval(hours => private.policy('auto_confirm_hours'))
    for update skip locked
  loop
    update public.orders set status = 'confirmed', confirmed_at = p_now, auto_confirmed = true where id = v_order.id;
    insert into public.order_events (order_id, actor_id, actor_role, action, from_status, to_status, at)
    values (v_order.id, null, 'system', 'auto_confirm', 'completed', 'confirmed', p_now);
    perform private.credit_service(v_order.id);
    v_confirmed := v_confirmed + 1;
  end loop;

  for v_redemption in
    select * from public.redemptions
    where status = 'reserved' and expires_at <= p_now
    for update skip locked
  loop
    perform private.release_redemption(v_redemption, 'expired', null);
    v_expired := v_expired + 1;
  end loop;
  -- Reminders, each once (the outbox's unique key): rate after rate_reminder_hours,
  -- pickups about to expire, and staff told of orders past their response deadline.
  for v_order in
    select * from public.orders
    where status = 'completed' and completed_at <= p_now - make_interval(hours => private.policy('rate_reminder_hours'))
  loop
    perform private.notify_order_people(v_order, 'rate_reminder', 'rate_reminder:' || v_order.id, '别忘了评价',
      format('%s 已经完成，请花一分钟评一评', (select title from public.projects where id = v_order.project_id)));
  end loop;
  perform private.notify(r.volunteer_id, 'pickup_expiring', 'pickup_expiring:' || r.id, '取货码快到期了',
      format('%s × %s 请在 %s 前领取，过期积分退回', g.name, r.quantity, private.message_time(r.expires_at)),
      '/store/pages/redemptions/index', jsonb_build_object('goodsName', g.name, 'expiresAt', r.expires_at))
  from public.redemptions r join public.goods g on g.id = r.goods_id
  where r.status = 'reserved' and r.expires_at <= p_now + make_interval(hours => private.policy('pickup_reminder_hours'));
  perform private.notify_staff(o.community_id, 'order_overdue', 'overdue:' || o.id, '订单超时未接',
      format('%s 的 %s（%s）超过响应时限还没有人接，请派单', private.display_name(o.resident_id), p.title,
        private.message_time(o.window_start)),
      '/staff/pages/order/index?id=' || o.id,
      jsonb_build_object('orderId', o.id, 'projectTitle', p.title, 'time', private.message_time(o.window_start)))
  from public.orders o join public.projects p on p.id = o.project_id
  where o.status = 'open' and o.respond_by < p_now and o.window_end > p_now;

  -- The year's end: rating parts still waiting for a batch are settled with what there is.
  v_year_start := date_trunc('year', p_now at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai';
  perform private.settle_ratings(u.volunteer_id, u.community_id, v_year_start)
  from (select distinct o.volunteer_id, o.community_id from public.orders o
        where o.rating is not null and o.rating_batch_id is null and o.status = 'confirmed'
          and o.confirmed_at < v_year_start) u;

  -- A resend comes within minutes; keys kept longer only keep answers around.
  delete from public.idempotency_keys
  where created_at < p_now - make_interval(hours => private.policy('idempotency_key_hours'));
  get diagnostics v_keys = row_count;
  return jsonb_build_object('autoConfirmed', v_confirmed, 'expiredRedemptions', v_expired, 'expiredKeys', v_keys);
end;
$$;


create or replace function private.wallet_json(p_user_id uuid)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'userId', p_user_id,
    'name', private.display_name(p_user_id),
    'balance', coalesce(a.balance, 0),
    'serviceMinutes', coalesce((select sum(r.minutes) from public.service_records r
                                where r.volunteer_id = p_user_id
                                  and not exists (select 1 from public.service_records c where c.corrects_id = r.id)), 0),
    'serviceCount', (select count(*) from public.service_records r
                     where r.volunteer_id = p_user_id and r.minutes > 0
                       and not exists (select 1 from public.service_records c where c.corrects_id = r.id)),
    'entries', case when a.id is null then '[]'::jsonb else private.ledger_entries(a.id, 100) end)
  from (select 1) one
  left join public.point_accounts a on a.kind = 'wallet' and a.user_id = p_user_id;
$$;


-- The console's presence counts (code / location / staff) are in get_community_overview, in
-- 20261125000900_create_needs.sql with the needs it counts too.



-- 注销 of a volunteer or of staff: their name leaves the records and certificates they
-- stand in (as volunteer, recorder or handler); what was served stays.
create or replace function private.erase_name_from_records()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.deleted_at is not null and old.deleted_at is null then
    perform set_config('llb.erasing', 'on', true);
    update public.service_records set volunteer_name = '已注销' where volunteer_id = new.id;
    update public.service_records set recorded_by_name = '社区工作人员' where recorded_by = new.id;
    update public.service_certificates set volunteer_name = '已注销', id_number_masked = null where volunteer_id = new.id;
    update public.service_certificates set handler_name = '社区工作人员' where issued_by = new.id;
    perform set_config('llb.erasing', 'off', true);
  end if;
  return new;
end;
$$;
create trigger users_erase_name_from_records after update of deleted_at on public.users
for each row execute function private.erase_name_from_records();

create or replace function public.make_offers(p_order_id uuid, p_offers jsonb, p_now timestamptz)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_order public.orders;
  v_made integer := 0;
  v_offer public.dispatch_offers;
begin
  select * into v_order from public.orders where id = p_order_id for update;
  if v_order.id is null or v_order.status <> 'open'
     or exists (select 1 from public.dispatch_offers where order_id = p_order_id and status = 'pending' and expires_at > p_now) then
    return 0;
  end if;
  for v_offer in
    insert into public.dispatch_offers (order_id, volunteer_id, score, offered_at, expires_at)
    select p_order_id, (o->>'volunteerId')::uuid, (o->>'score')::double precision, p_now,
      p_now + make_interval(mins => private.policy('offer_window_minutes'))
    from jsonb_array_elements(p_offers) o
    -- The candidates were read in an earlier transaction: one who took another task,
    -- reached their cap, left or started resting (休息中) since must not hold the order
    -- for the offer window.
    where private.may_take((o->>'volunteerId')::uuid, v_order, p_now) is null
      and private.wants_offer((o->>'volunteerId')::uuid, v_order)
    on conflict (order_id, volunteer_id) do nothing
    returning *
  loop
    v_made := v_made + 1;
    perform private.notify(v_offer.volunteer_id, 'offer_made', 'offer:' || v_offer.id,
      '新任务：' || (select title from public.projects where id = v_order.project_id),
      format('%s，%s。请在 %s 分钟内答复', private.message_time(v_order.window_start),
        (select name from public.communities where id = v_order.community_id), private.policy('offer_window_minutes')),
      '/volunteer/pages/offers/index',
      jsonb_build_object('orderId', v_order.id, 'projectTitle', (select title from public.projects where id = v_order.project_id),
        'windowStart', v_order.window_start, 'time', private.message_time(v_order.window_start),
        'expiresAt', v_offer.expires_at));
  end loop;
  return v_made;
end;
$$;


-- Staff certify the proof they looked at (p_proof_url): a proof replaced meanwhile is
-- not certified unseen.
drop function public.certify_volunteer_skill(uuid, uuid, text, boolean, text, text);
create or replace function public.certify_volunteer_skill(
  p_actor uuid, p_user_id uuid, p_skill_code text, p_certified boolean, p_note text, p_proof_url text, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_profile public.volunteer_profiles;
  v_claim public.volunteer_skill_claims;
  v_name text;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'certify_volunteer_skill',
    jsonb_build_object('userId', p_user_id, 'skill', p_skill_code, 'certified', p_certified, 'note', p_note,
      'proofUrl', p_proof_url));
  if v_replay is not null then return v_replay; end if;
  v_profile := private.lock_volunteer_for_staff(p_actor, p_user_id);
  select name into v_name from public.skills where code = p_skill_code;
  if v_name is null then
    perform private.fail('not_found', '没有这项专长');
  end if;
  select * into v_claim from public.volunteer_skill_claims where user_id = p_user_id and skill_code = p_skill_code;
  if p_certified then
    if v_claim.user_id is null or not private.skill_step_open(v_claim, 'certify') then
      perform private.fail('invalid_input', '这位志愿者还没有提交这项专长的资质证明，或已经认证过了');
    end if;
    if p_proof_url is distinct from v_claim.proof_url then
      perform private.fail('conflict', '资质证明刚刚换过了，请刷新后看看新的照片再认证');
    end if;
    update public.volunteer_skill_claims
    set status = 'certified', reviewed_by = p_actor, reviewed_at = now(), note = nullif(btrim(p_note), '')
    where user_id = p_user_id and skill_code = p_skill_code;
    if v_profile.status in ('approved', 'suspended') then
      insert into public.volunteer_skills (user_id, skill_code) values (p_user_id, p_skill_code)
      on conflict do nothing;
    end if;
    perform private.notify(p_user_id, 'skill_certified', 'skill:' || p_user_id || ':' || p_skill_code || ':' ||
      extract(epoch from now()), '专长认证通过', format('您的“%s”专长已通过社区认证', v_name),
      '/volunteer/pages/apply/index', jsonb_build_object('skill', p_skill_code));
  else
    if coalesce(btrim(p_note), '') = '' then
      perform private.fail('invalid_input', '请写明撤销认证的原因');
    end if;
    insert into public.volunteer_skill_claims (user_id, skill_code, status, reviewed_by, reviewed_at, note)
    values (p_user_id, p_skill_code, 'revoked', p_actor, now(), btrim(p_note))
    on conflict (user_id, skill_code) do update set
      status = 'revoked', reviewed_by = p_actor, reviewed_at = now(), note = btrim(p_note);
    delete from public.volunteer_skills where user_id = p_user_id and skill_code = p_skill_code;
    perform private.notify(p_user_id, 'skill_revoked', 'skill:' || p_user_id || ':' || p_skill_code || ':' ||
      extract(epoch from now()), '专长认证已撤销', format('“%s”：%s', v_name, btrim(p_note)),
      '/volunteer/pages/apply/index', jsonb_build_object('skill', p_skill_code));
  end if;
  insert into public.volunteer_status_events (user_id, actor_id, action, reason)
  values (p_user_id, p_actor, case when p_certified then 'certify_skill' else 'revoke_skill' end,
    left(v_name || coalesce('：' || nullif(btrim(p_note), ''), ''), 200));
  return private.idem_finish(p_actor, p_key, private.volunteer_application_json(p_user_id, true));
end;
$$;


revoke execute on all functions in schema public from public, anon, authenticated;
revoke execute on all functions in schema private from public, anon, authenticated;
grant execute on function
  public.certify_volunteer_skill(uuid, uuid, text, boolean, text, text, text),
  public.staff_confirm_presence(uuid, uuid, text, text, text),
  public.set_volunteer_pause(uuid, date, text),
  public.update_volunteer_profile(uuid, jsonb, text),
  public.list_service_records(uuid, uuid, date, date),
  public.correct_service_record(uuid, bigint, integer, text, text),
  public.issue_service_certificate(uuid, uuid, date, date, text),
  public.get_service_certificate(uuid, uuid),
  public.list_service_certificates(uuid, uuid),
  public.verify_service_certificate(text)
to service_role;
