-- Helpers the order-loop functions share: idempotency, transitions, masking,
-- authorization and presence checks. All in the private schema: never callable
-- through the API.

-- Claims an idempotency key inside the caller's transaction. Returns the stored
-- response when the key was used before (a resend), null when this is the first
-- time. The insert comes first: a concurrent request with the same key waits on
-- the primary key until the first commits, then reads its response.
create or replace function private.idem_begin(p_actor uuid, p_key text, p_operation text, p_request jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_row public.idempotency_keys;
begin
  if p_key is null or p_key !~ '^[A-Za-z0-9_-]{8,100}$' then
    perform private.fail('invalid_input', '缺少请求编号，请刷新后再试');
  end if;
  insert into public.idempotency_keys (actor_id, key, operation, request)
  values (p_actor, p_key, p_operation, p_request)
  on conflict do nothing;
  if found then
    return null;
  end if;
  select * into v_row from public.idempotency_keys where actor_id = p_actor and key = p_key;
  if v_row.operation <> p_operation or v_row.request <> p_request then
    perform private.fail('idempotency_reused', '这个请求编号已经用于别的操作');
  end if;
  return v_row.response;
end;
$$;

create or replace function private.idem_finish(p_actor uuid, p_key text, p_response jsonb)
returns jsonb
language sql
set search_path = ''
as $$
  update public.idempotency_keys set response = p_response where actor_id = p_actor and key = p_key;
  select p_response;
$$;

-- The state an action leads to, or a specific error saying why not.
create or replace function private.next_status(p_machine text, p_action text, p_from text)
returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  v_to text;
begin
  select to_status into v_to from public.status_transitions
  where machine = p_machine and action = p_action and from_status = p_from;
  if v_to is null then
    perform private.fail('illegal_transition', case p_action
      when 'accept' then '这个订单现在不能接了'
      when 'assign' then '只有待接单的订单可以派单'
      when 'release' then '只有已接单、还没开始服务的订单可以退回'
      when 'check_in' then '只有已接单的订单可以签到'
      when 'check_out' then '还没有签到，不能签退'
      when 'confirm' then '服务完成后才能评价'
      when 'auto_confirm' then '服务完成后才能确认'
      when 'dispute' then '只有待评价的订单可以提出异议'
      when 'uphold' then '只有有异议的订单需要处理'
      when 'void' then '只有有异议的订单需要处理'
      when 'cancel' then '服务已经开始或结束，不能取消'
      when 'publish' then '这个项目现在不能发布'
      when 'pause' then '只有已发布的项目可以暂停'
      when 'archive' then '这个项目已经归档'
      else '当前状态不能进行这个操作'
    end);
  end if;
  return v_to;
end;
$$;

create or replace function private.require_staff_of(p_actor uuid, p_community_id uuid)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if not private.is_staff_of(p_actor, p_community_id) then
    perform private.fail('forbidden', '只有本社区的工作人员可以操作');
  end if;
end;
$$;

-- The community a resident lives in (their resident role), or null.
create or replace function private.home_community(p_user_id uuid)
returns uuid
language sql
stable
set search_path = ''
as $$
  select community_id from public.user_roles where user_id = p_user_id and role = 'resident';
$$;

create or replace function private.log_order_event(
  p_order_id uuid, p_actor uuid, p_actor_role text, p_action text,
  p_from public.order_status, p_to public.order_status,
  p_detail jsonb default '{}', p_latitude double precision default null, p_longitude double precision default null)
returns void
language sql
set search_path = ''
as $$
  insert into public.order_events (order_id, actor_id, actor_role, action, from_status, to_status, detail, latitude, longitude)
  values (p_order_id, p_actor, p_actor_role, p_action, p_from, p_to, coalesce(p_detail, '{}'), p_latitude, p_longitude);
$$;

-- Why this volunteer may not take this order (a reason code), or null when they
-- may. Shared by the task hall, accepting and staff assignment, so all three agree.
create or replace function private.why_not_qualified(p_volunteer uuid, p_order public.orders, p_now timestamptz)
returns text
language sql
stable
set search_path = ''
as $$
  select case
    when v.user_id is null or v.status <> 'approved' then 'not_volunteer'
    when v.community_id <> p_order.community_id then 'other_community'
    when exists (
      select 1 from public.project_skills ps
      where ps.project_id = p_order.project_id
        and not exists (select 1 from public.volunteer_skills vs
                        where vs.user_id = p_volunteer and vs.skill_code = ps.skill_code))
      then 'missing_skill'
    when p_order.window_end <= p_now then 'window_passed'
    when p_order.resident_id = p_volunteer then 'own_order'
  end
  from (select 1) one
  left join public.volunteer_profiles v on v.user_id = p_volunteer;
$$;

-- The reason in words, said to the volunteer ("您") or to staff about them ("该志愿者").
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
    else '暂时不能接这个订单'
  end;
$$;

-- True when the volunteer already has a task overlapping this order's window.
create or replace function private.has_overlap(p_volunteer uuid, p_order public.orders)
returns boolean
language sql
stable
set search_path = ''
as $$
  select exists (
    select 1 from public.orders o
    where o.volunteer_id = p_volunteer
      and o.id <> p_order.id
      and o.status in ('accepted', 'in_service')
      and o.window_start < p_order.window_end
      and p_order.window_start < o.window_end);
$$;

-- The six digits the resident's phone shows; changes every 2 minutes.
create or replace function private.presence_code(p_secret text, p_step bigint)
returns text
language sql
immutable
set search_path = ''
as $$
  select lpad((('x' || substr(encode(sha256(convert_to(p_secret || ':' || p_step, 'UTF8')), 'hex'), 1, 8))::bit(32)::bigint
    % 1000000)::text, 6, '0');
$$;

create or replace function private.presence_step(p_at timestamptz)
returns bigint
language sql
immutable
set search_path = ''
as $$
  select floor(extract(epoch from p_at) / 120)::bigint;
$$;

-- Great-circle distance in metres (haversine); plain SQL, no PostGIS needed.
-- No `set search_path` (it only calls pg_catalog functions, which are always found
-- first, and it is not security definer): a function with SET is never inlined,
-- and dispatch computes this for every candidate volunteer. tests/db/security.test.ts
-- names this exception.
create or replace function private.distance_m(
  p_lat1 double precision, p_lng1 double precision, p_lat2 double precision, p_lng2 double precision)
returns double precision
language sql
immutable
as $$
  select 2 * 6371000 * pg_catalog.asin(pg_catalog.sqrt(
    pg_catalog.power(pg_catalog.sin(pg_catalog.radians(p_lat2 - p_lat1) / 2), 2)
    + pg_catalog.cos(pg_catalog.radians(p_lat1)) * pg_catalog.cos(pg_catalog.radians(p_lat2))
      * pg_catalog.power(pg_catalog.sin(pg_catalog.radians(p_lng2 - p_lng1) / 2), 2)));
$$;

revoke execute on all functions in schema private from public, anon, authenticated;
