-- The write and read functions re-created on the one rule of the previous
-- migration: qualification (private.may_take), actions (private.order_may),
-- policy numbers (private.policy) and the clock (private.clock). Besides:
-- * check-in opens check_in_lead_minutes before the window; a check-out by code
--   needs a code issued after the check-in; a service shorter than its project's
--   minimum is held for staff review (review_service) instead of silently
--   earning nothing; a location check-in says only that it is too far;
-- * the resident's open-order limit is counted under a lock on the resident;
-- * QR payloads are built by the app (shared/src/qr.ts): SQL returns the codes.
-- * Each event writes its notifications in its own transaction (private.notify,
--   the outbox of the previous migration).

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

  -- Locks the resident before reading them: serialises their orders (the limit below holds
  -- under concurrency) and a deletion of their account (注销) can't interleave. Not
  -- `for update`: idem_begin's key row holds a key-share lock on this user (its foreign
  -- key), and upgrading that in two requests at once deadlocks.
  select * into v_user from public.users where id = v_resident for no key update;
  if v_user.deleted_at is not null then
    perform private.fail('not_found', '没有找到这位居民');
  end if;
  v_home := private.home_community(v_resident);
  if v_user.id is null or v_home is null then
    perform private.fail('invalid_input', '服务对象还没有登记所在社区');
  end if;
  -- 代下单: ordering for someone else is for staff of that person's community.
  if v_resident <> p_actor then
    perform private.require_staff_of(p_actor, v_home);
  end if;

  select * into v_project from public.projects where id = (p_input->>'projectId')::uuid;
  -- A project the person can't see (get_project's rule) is not found, not "unavailable":
  -- the answer must not tell that another community's project exists.
  if v_project.id is null or not (
    private.is_staff_of(p_actor, v_project.community_id)
    or exists (select 1 from public.project_communities where project_id = v_project.id and community_id = v_home)) then
    perform private.fail('not_found', '没有找到这个服务项目');
  end if;
  if v_project.status <> 'published' then
    perform private.fail('project_unavailable', '这个服务暂停预约了，请选择其他服务或打电话给社区');
  end if;
  if not exists (select 1 from public.project_communities
                 where project_id = v_project.id and community_id = v_home) then
    perform private.fail('project_unavailable', '这个服务不在您所在的社区提供');
  end if;
  if v_start < now() + make_interval(mins => private.policy('order_notice_minutes')) then
    perform private.fail('invalid_input', format('请预约 %s 分钟以后的时间', private.policy('order_notice_minutes')));
  end if;
  if v_start > now() + make_interval(days => private.policy('order_horizon_days')) then
    perform private.fail('invalid_input', format('只能预约 %s 天以内的时间', private.policy('order_horizon_days')));
  end if;
  if v_end - v_start < make_interval(mins => v_project.expected_minutes) then
    perform private.fail('invalid_input', format('时间段要至少留出 %s 分钟', v_project.expected_minutes));
  end if;
  if (select count(*) from public.orders
      where resident_id = v_resident and status in ('open', 'accepted', 'in_service'))
      >= private.policy('open_orders_per_resident') then
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
  return private.idem_finish(p_actor, p_key, private.order_json(v_order, 'resident', null, p_actor));
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
  perform private.require_order_action(v_order, v_kind, 'cancel');
  v_to := private.next_status('order', 'cancel', v_order.status::text);
  perform private.log_order_event(p_order_id, p_actor, v_kind, 'cancel', v_order.status, v_to::public.order_status,
    jsonb_build_object('reason', p_reason));
  update public.orders set status = v_to::public.order_status, cancelled_at = now(), cancel_reason = p_reason
  where id = p_order_id returning * into v_order;
  perform private.notify_order_volunteer(v_order, v_order.volunteer_id, 'order_cancelled', 'cancelled:' || v_order.id,
    '订单已取消', format('%s（%s）已取消，不用去了', (select title from public.projects where id = v_order.project_id),
      private.message_time(v_order.window_start)));
  if v_kind = 'staff' then
    perform private.notify_order_people(v_order, 'order_cancelled', 'cancelled:' || v_order.id, '订单已取消',
      format('社区取消了您的预约：%s', (select title from public.projects where id = v_order.project_id)));
  end if;
  return private.idem_finish(p_actor, p_key, private.order_json(v_order, v_kind, null, p_actor));
end;
$$;

create or replace function public.accept_order(p_actor uuid, p_order_id uuid, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_order public.orders;
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
  if private.offered_elsewhere(p_order_id, p_actor, private.clock()) then
    perform private.fail('order_taken', '这个订单正在派给其他志愿者，看看别的吧');
  end if;
  perform private.require_may_take(p_actor, v_order, true);
  update public.orders set status = v_to::public.order_status, volunteer_id = p_actor, accepted_at = private.clock()
  where id = p_order_id returning * into v_order;
  perform private.settle_offers(p_order_id, p_actor);
  perform private.log_order_event(p_order_id, p_actor, 'volunteer', 'accept', 'open', 'accepted');
  perform private.notify_order_accepted(v_order);
  return private.idem_finish(p_actor, p_key, private.order_json(v_order, 'volunteer', null, p_actor));
end;
$$;

create or replace function public.assign_order(p_actor uuid, p_order_id uuid, p_volunteer_id uuid, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_order public.orders;
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
  perform private.require_may_take(p_volunteer_id, v_order, false);
  update public.orders set status = v_to::public.order_status, volunteer_id = p_volunteer_id, accepted_at = private.clock()
  where id = p_order_id returning * into v_order;
  perform private.settle_offers(p_order_id, p_volunteer_id);
  perform private.log_order_event(p_order_id, p_actor, 'staff', 'assign', 'open', 'accepted',
    jsonb_build_object('volunteerName', private.display_name(p_volunteer_id)));
  perform private.notify_order_accepted(v_order);
  perform private.notify_order_volunteer(v_order, p_volunteer_id, 'task_assigned',
    'assigned:' || v_order.id || ':' || extract(epoch from v_order.accepted_at), '社区给您派了一个任务',
    format('%s，%s，请按时到达', (select title from public.projects where id = v_order.project_id),
      private.message_time(v_order.window_start)));
  return private.idem_finish(p_actor, p_key, private.order_json(v_order, 'staff', false, p_actor));
end;
$$;

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
  perform private.require_order_action(v_order, v_kind, 'release');
  v_to := private.next_status('order', 'release', v_order.status::text);
  v_previous := v_order.volunteer_id;
  update public.orders set status = v_to::public.order_status, volunteer_id = null, accepted_at = null
  where id = p_order_id returning * into v_order;
  perform private.log_order_event(p_order_id, p_actor, v_kind, 'release', 'accepted', 'open',
    jsonb_build_object('reason', p_reason, 'volunteerName', private.display_name(v_previous)));
  perform private.notify_order_people(v_order, 'order_released',
    'released:' || v_order.id || ':' || extract(epoch from now()), '志愿者退回了订单',
    format('我们正在为您重新安排志愿者：%s', (select title from public.projects where id = v_order.project_id)));
  if v_kind = 'staff' then
    perform private.notify_order_volunteer(v_order, v_previous, 'task_released',
      'released:' || v_order.id || ':' || extract(epoch from now()), '社区收回了一个任务',
      format('%s（%s）已由社区另行安排', (select title from public.projects where id = v_order.project_id),
        private.message_time(v_order.window_start)));
  end if;
  return private.idem_finish(p_actor, p_key, private.order_json(v_order, v_kind, false, p_actor));
end;
$$;

create or replace function private.presence_step(p_at timestamptz)
returns bigint
language sql
stable
set search_path = ''
as $$
  select floor(extract(epoch from p_at) / private.policy('presence_code_seconds'))::bigint;
$$;

create or replace function public.get_presence_code(p_actor uuid, p_order_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_order public.orders;
  v_step bigint := private.presence_step(private.clock());
  v_code text;
begin
  perform private.require_user(p_actor);
  select * into v_order from public.orders where id = p_order_id;
  if v_order.id is null or p_actor not in (v_order.resident_id, v_order.ordered_by) then
    perform private.fail('not_found', '没有找到这个订单');
  end if;
  if v_order.status not in ('accepted', 'in_service') then
    perform private.fail('illegal_transition', '志愿者接单后才会显示到场验证码');
  end if;
  v_code := private.presence_code(v_order.presence_secret, v_step);
  return jsonb_build_object(
    'code', v_code,
    'orderId', v_order.id,
    'expiresAt', to_timestamp((v_step + 1) * private.policy('presence_code_seconds')));
end;
$$;
comment on function public.get_presence_code(uuid, uuid) is 'Short-lived code proving the volunteer stands before the resident (QR + digits).';

create or replace function private.presence_problem(p_order public.orders, p_proof jsonb)
returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  v_step bigint := private.presence_step(private.clock());
  v_distance double precision;
begin
  if p_proof->>'method' = 'code' then
    -- The current code and the one before it, so a code read out at the turn of a step still works;
    -- at check-out only a code issued after the check-in, so one reading can't prove both.
    if p_proof->>'code' = private.presence_code(p_order.presence_secret, v_step)
       and (p_order.checked_in_at is null or v_step > private.presence_step(p_order.checked_in_at)) then
      return null;
    end if;
    if p_proof->>'code' = private.presence_code(p_order.presence_secret, v_step - 1)
       and (p_order.checked_in_at is null or v_step - 1 > private.presence_step(p_order.checked_in_at)) then
      return null;
    end if;
    if p_order.checked_in_at is not null and v_step <= private.presence_step(p_order.checked_in_at) then
      return '签退要用签到之后的新验证码，请让居民稍等一会儿再刷新';
    end if;
    return '验证码不对或已过期，请让居民刷新后再读一遍';
  end if;
  if p_proof->>'method' = 'location' then
    if p_order.latitude is null then
      return '这个订单没有登记位置，请用居民手机上的验证码';
    end if;
    v_distance := private.distance_m(p_order.latitude, p_order.longitude,
      (p_proof->>'latitude')::double precision, (p_proof->>'longitude')::double precision);
    if v_distance <= private.policy('check_in_radius_m') then
      return null;
    end if;
    -- Not how far: three tries from afar would locate the resident's home.
    return format('您不在服务地址附近（要在 %s 米以内），请用居民手机上的验证码', private.policy('check_in_radius_m'));
  end if;
  return '请扫码、输入验证码或使用定位';
end;
$$;

create or replace function private.record_presence(
  p_actor uuid, p_order_id uuid, p_proof jsonb, p_key text, p_action text)
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
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, p_action, jsonb_build_object('orderId', p_order_id, 'proof', p_proof));
  if v_replay is not null then return v_replay; end if;
  v_order := private.lock_order(p_order_id);
  if v_order.volunteer_id is distinct from p_actor then
    perform private.fail('forbidden', '这不是您接的订单');
  end if;
  perform private.require_order_action(v_order, 'volunteer', p_action);
  v_to := private.next_status('order', p_action, v_order.status::text);
  if p_action = 'check_in'
     and v_now < v_order.window_start - make_interval(mins => private.policy('check_in_lead_minutes')) then
    perform private.fail('presence_failed', format('还没到服务时间，预约开始前 %s 分钟内才能签到',
      private.policy('check_in_lead_minutes')));
  end if;
  if p_action = 'check_in' and v_now > v_order.window_end + make_interval(mins => private.policy('check_in_late_minutes')) then
    perform private.fail('presence_failed', '已经超过预约时间很久了，请联系社区');
  end if;
  if v_order.presence_failures >= private.policy('presence_max_failures')
     and v_order.presence_failed_at > v_now - make_interval(mins => private.policy('presence_lockout_minutes')) then
    perform private.fail('rate_limited', format('验证失败次数太多，请 %s 分钟后再试', private.policy('presence_lockout_minutes')));
  end if;

  v_problem := private.presence_problem(v_order, p_proof);
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
    update public.orders set status = v_to::public.order_status, checked_in_at = v_now, presence_failures = 0
    where id = p_order_id returning * into v_order;
  else
    -- Hours come from check-in and check-out, capped by the project's maximum.
    v_minutes := least(v_order.max_minutes, greatest(1, ceil(extract(epoch from v_now - v_order.checked_in_at) / 60)));
    -- Shorter than the project's minimum: held for staff to check, not silently worth nothing.
    select min_service_minutes into v_min from public.projects where id = v_order.project_id;
    update public.orders set status = v_to::public.order_status, checked_out_at = v_now, completed_at = v_now,
      service_minutes = v_minutes, presence_failures = 0,
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
  perform private.log_order_event(p_order_id, p_actor, 'volunteer', p_action,
    case when p_action = 'check_in' then 'accepted' else 'in_service' end::public.order_status,
    v_to::public.order_status,
    jsonb_build_object('method', p_proof->>'method') || case when v_minutes is null then '{}'::jsonb
      else jsonb_build_object('serviceMinutes', v_minutes) end,
    (p_proof->>'latitude')::double precision, (p_proof->>'longitude')::double precision);
  return private.idem_finish(p_actor, p_key, private.order_json(v_order, 'volunteer', null, p_actor));
end;
$$;

create or replace function public.check_in(p_actor uuid, p_order_id uuid, p_proof jsonb, p_key text)
returns jsonb
language sql
security definer
set search_path = ''
as $$
  select private.record_presence(p_actor, p_order_id, p_proof, p_key, 'check_in');
$$;
comment on function public.check_in(uuid, uuid, jsonb, text) is 'Volunteer arrives: proof is the resident''s code or a location near the address (policy check_in_radius_m).';

create or replace function public.confirm_order(
  p_actor uuid, p_order_id uuid, p_rating integer, p_tags jsonb, p_comment text, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_order public.orders;
  v_to text;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'confirm_order', jsonb_build_object(
    'orderId', p_order_id, 'rating', p_rating, 'tags', p_tags, 'comment', p_comment));
  if v_replay is not null then return v_replay; end if;
  v_order := private.lock_order(p_order_id);
  perform private.require_order_action(v_order, private.viewer_kind(p_actor, v_order), 'confirm');
  if p_rating is null or p_rating not between 1 and 3 then
    perform private.fail('invalid_input', '请选择评价：很好、好或一般');
  end if;
  v_to := private.next_status('order', 'confirm', v_order.status::text);
  update public.orders set status = v_to::public.order_status, confirmed_at = now(), rating = p_rating,
    rating_tags = coalesce((select array_agg(t) from jsonb_array_elements_text(p_tags) t), '{}'),
    rating_comment = coalesce(p_comment, '')
  where id = p_order_id returning * into v_order;
  -- The event says that it was rated, not how: the volunteer reads the timeline too.
  perform private.log_order_event(p_order_id, p_actor, 'resident', 'confirm', 'completed', 'confirmed');
  perform private.credit_service(p_order_id);
  select * into v_order from public.orders where id = p_order_id;
  return private.idem_finish(p_actor, p_key, private.order_json(v_order, 'resident', null, p_actor));
end;
$$;

create or replace function public.dispute_order(p_actor uuid, p_order_id uuid, p_reason text, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_order public.orders;
  v_to text;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'dispute_order',
    jsonb_build_object('orderId', p_order_id, 'reason', p_reason));
  if v_replay is not null then return v_replay; end if;
  v_order := private.lock_order(p_order_id);
  perform private.require_order_action(v_order, private.viewer_kind(p_actor, v_order), 'dispute');
  if coalesce(length(trim(p_reason)), 0) < 2 then
    perform private.fail('invalid_input', '请说明情况');
  end if;
  v_to := private.next_status('order', 'dispute', v_order.status::text);
  perform private.log_order_event(p_order_id, p_actor, 'resident', 'dispute', v_order.status, 'disputed');
  update public.orders set status = v_to::public.order_status, dispute_reason = p_reason
  where id = p_order_id returning * into v_order;
  return private.idem_finish(p_actor, p_key, private.order_json(v_order, 'resident', null, p_actor));
end;
$$;
comment on function public.dispute_order(uuid, uuid, text, text) is
  'The resident says the service did not happen as recorded (before, or up to dispute_days after, confirming); staff decide.';

create or replace function public.resolve_dispute(p_actor uuid, p_order_id uuid, p_outcome text, p_note text, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_order public.orders;
  v_to text;
  v_effect jsonb;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'resolve_dispute',
    jsonb_build_object('orderId', p_order_id, 'outcome', p_outcome, 'note', p_note));
  if v_replay is not null then return v_replay; end if;
  v_order := private.lock_order(p_order_id);
  perform private.require_staff_of(p_actor, v_order.community_id);
  if p_outcome not in ('uphold', 'void') then
    perform private.fail('invalid_input', '请选择处理结果');
  end if;
  perform private.require_order_action(v_order, 'staff', p_outcome);
  v_to := private.next_status('order', p_outcome, v_order.status::text);
  update public.orders set status = v_to::public.order_status, resolution_note = p_note, resolved_by = p_actor,
    confirmed_at = case when v_to = 'confirmed' then coalesce(confirmed_at, now()) end
  where id = p_order_id returning * into v_order;
  -- Upheld: the service counts (credited once, even if it already was). Voided: taken back.
  v_effect := case when p_outcome = 'uphold'
    then jsonb_build_object('pointsAwarded', private.credit_service(p_order_id))
    else private.reverse_service(p_order_id, p_actor) end;
  perform private.log_order_event(p_order_id, p_actor, 'staff', p_outcome, 'disputed', v_to::public.order_status,
    jsonb_build_object('note', p_note) || v_effect);
  select * into v_order from public.orders where id = p_order_id;
  perform private.notify_order_people(v_order, 'dispute_resolved', 'resolved:' || v_order.id || ':' || extract(epoch from now()), '异议处理结果',
    case when p_outcome = 'uphold' then '社区核实：服务属实，订单已确认' else '社区核实：这次服务作废' end);
  perform private.notify_order_volunteer(v_order, v_order.volunteer_id, 'dispute_resolved', 'resolved:' || v_order.id || ':' || extract(epoch from now()),
    '异议处理结果', case when p_outcome = 'uphold' then '社区核实：服务属实，订单已确认'
                       else '社区核实：这次服务作废，积分和时长已收回' end);
  return private.idem_finish(p_actor, p_key, private.order_json(v_order, 'staff', null, p_actor));
end;
$$;
comment on function public.resolve_dispute(uuid, uuid, text, text, text) is 'Staff decide a dispute: uphold (service happened) or void.';

create or replace function private.credit_service(p_order_id uuid)
returns bigint
language plpgsql
set search_path = ''
as $$
declare
  v_order public.orders;
  v_points bigint;
begin
  select * into v_order from public.orders where id = p_order_id;
  -- A service held for review earns when staff approve it (review_service), not before.
  if v_order.review_status in ('pending', 'rejected') then
    return 0;
  end if;
  if exists (select 1 from public.service_records where order_id = p_order_id) then
    return v_order.points_awarded;
  end if;
  insert into public.service_records (order_id, volunteer_id, community_id, minutes, served_on)
  values (v_order.id, v_order.volunteer_id, v_order.community_id, greatest(v_order.service_minutes, 1),
    (v_order.checked_in_at at time zone 'Asia/Shanghai')::date);
  v_points := private.service_points(v_order.service_minutes, v_order.points_per_hour, v_order.rating, v_order.bonus_points);
  if v_points > 0 then
    perform private.transfer('earn', private.account_id('issuance', v_order.community_id, null),
      private.wallet_of(v_order.volunteer_id), v_points, 'order', v_order.id::text, 'earn:' || v_order.id,
      '服务：' || (select title from public.projects where id = v_order.project_id), null);
  end if;
  update public.orders set points_awarded = v_points where id = p_order_id;
  return v_points;
end;
$$;

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

  -- A resend comes within minutes; keys kept longer only keep answers around.
  delete from public.idempotency_keys
  where created_at < p_now - make_interval(hours => private.policy('idempotency_key_hours'));
  get diagnostics v_keys = row_count;
  return jsonb_build_object('autoConfirmed', v_confirmed, 'expiredRedemptions', v_expired, 'expiredKeys', v_keys);
end;
$$;
comment on function public.tick(timestamptz) is 'Scheduled work (cron): auto-confirm services (auto_confirm_hours), expire pickups (pickup_days).';

create or replace function public.redeem_goods(p_actor uuid, p_goods_id uuid, p_quantity integer, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_goods public.goods;
  v_this_month integer;
  v_redemption public.redemptions;
  v_id uuid := gen_random_uuid();
  v_code text;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'redeem_goods',
    jsonb_build_object('goodsId', p_goods_id, 'quantity', p_quantity));
  if v_replay is not null then return v_replay; end if;
  select * into v_goods from public.goods where id = p_goods_id for update;
  if v_goods.id is null or v_goods.status <> 'active' then
    perform private.fail('not_found', '这件物品已经下架了');
  end if;
  if not exists (select 1 from public.volunteer_profiles
                 where user_id = p_actor and community_id = v_goods.community_id and status = 'approved') then
    perform private.fail('forbidden', '本社区的志愿者才能兑换');
  end if;
  if p_quantity is null or p_quantity not between 1 and 10 then
    perform private.fail('invalid_input', '一次兑换 1 到 10 件');
  end if;
  if v_goods.stock < p_quantity then
    perform private.fail('out_of_stock', format('库存不够了，还剩 %s 件', v_goods.stock));
  end if;
  select coalesce(sum(quantity), 0) into v_this_month from public.redemptions
  where volunteer_id = p_actor and goods_id = p_goods_id and status in ('reserved', 'picked_up')
    and created_at >= date_trunc('month', now() at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai';
  if v_this_month + p_quantity > v_goods.monthly_limit then
    perform private.fail('limit_reached', format('这件物品每人每月限兑 %s 件，您本月已兑 %s 件', v_goods.monthly_limit, v_this_month));
  end if;

  perform private.transfer('redeem', private.wallet_of(p_actor), private.account_id('store', v_goods.community_id, null),
    v_goods.price_points::bigint * p_quantity, 'redemption', v_id::text, 'redeem:' || v_id, '兑换：' || v_goods.name, p_actor);
  update public.goods set stock = stock - p_quantity where id = p_goods_id;
  -- A 6-digit code unique among this community's open reservations.
  loop
    v_code := lpad(floor(random() * 1000000)::integer::text, 6, '0');
    exit when not exists (select 1 from public.redemptions
                          where community_id = v_goods.community_id and pickup_code = v_code and status = 'reserved');
  end loop;
  insert into public.redemptions (id, goods_id, community_id, volunteer_id, quantity, points, pickup_code, expires_at)
  values (v_id, p_goods_id, v_goods.community_id, p_actor, p_quantity, v_goods.price_points::bigint * p_quantity,
    v_code, now() + make_interval(days => private.policy('pickup_days')))
  returning * into v_redemption;
  insert into public.stock_movements (goods_id, kind, quantity, redemption_id, actor_id)
  values (p_goods_id, 'redemption', -p_quantity, v_id, p_actor);
  perform private.notify(p_actor, 'goods_ready', 'redeemed:' || v_id, '兑换成功，请凭取货码领取',
    format('%s × %s 已为您留好，请在 %s 天内到社区领取', v_goods.name, p_quantity, private.policy('pickup_days')),
    '/store/pages/redemptions/index',
    jsonb_build_object('goodsName', v_goods.name, 'quantity', p_quantity, 'expiresAt', v_redemption.expires_at));
  return private.idem_finish(p_actor, p_key, private.redemption_json(v_redemption, true));
end;
$$;
comment on function public.redeem_goods(uuid, uuid, integer, text) is 'Spend points on goods: reserves stock and issues a pickup code (QR + 6 digits).';

create or replace function private.release_redemption(p_redemption public.redemptions, p_to text, p_actor uuid)
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform 1 from public.goods where id = p_redemption.goods_id for update;
  perform private.transfer('refund', private.account_id('store', p_redemption.community_id, null),
    private.wallet_of(p_redemption.volunteer_id), p_redemption.points, 'redemption', p_redemption.id::text,
    'refund:' || p_redemption.id, case p_to when 'expired' then format('超过 %s 天未领取，积分退回', private.policy('pickup_days')) else '取消兑换，积分退回' end,
    p_actor);
  update public.goods set stock = stock + p_redemption.quantity where id = p_redemption.goods_id;
  insert into public.stock_movements (goods_id, kind, quantity, redemption_id, actor_id, note)
  values (p_redemption.goods_id, 'return', p_redemption.quantity, p_redemption.id, p_actor, p_to);
  update public.redemptions set status = p_to::public.redemption_status, ended_at = now() where id = p_redemption.id;
end;
$$;

create or replace function public.get_order(p_actor uuid, p_order_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_order public.orders;
  v_kind text;
  v_logged boolean;
begin
  perform private.require_user(p_actor);
  select * into v_order from public.orders where id = p_order_id;
  v_kind := case when v_order.id is null then null else private.viewer_kind(p_actor, v_order) end;
  if v_kind is null then
    perform private.fail('not_found', '没有找到这个订单');
  end if;
  -- Staff (and staff who placed a 代下单 order) see full contact here, and only here: logged.
  v_logged := v_kind = 'staff' or (v_kind = 'resident' and p_actor <> v_order.resident_id);
  if v_logged then
    insert into public.personal_data_access_log (viewer_id, subject_id, order_id, fields)
    values (p_actor, v_order.resident_id, v_order.id, array['address', 'contact_phone']);
    if v_order.volunteer_id is not null then
      insert into public.personal_data_access_log (viewer_id, subject_id, order_id, fields)
      values (p_actor, v_order.volunteer_id, v_order.id, array['phone']);
    end if;
  end if;
  return private.order_json(v_order, v_kind, case when v_logged then true end, p_actor) || jsonb_build_object(
    'timeline', case when v_kind = 'candidate' then '[]'::jsonb else private.order_timeline(v_order.id, v_kind) end);
end;
$$;
comment on function public.get_order(uuid, uuid) is 'One order with its timeline, as this viewer may see it; staff reads are logged.';

create or replace function public.list_my_offers(p_actor uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_user(p_actor);
  return coalesce((
    select jsonb_agg(private.order_json(o, 'candidate', false, p_actor)
      || jsonb_build_object('offerId', f.id, 'offerExpiresAt', f.expires_at) order by f.expires_at)
    from public.dispatch_offers f join public.orders o on o.id = f.order_id
    where f.volunteer_id = p_actor and f.status = 'pending' and f.expires_at > private.clock() and o.status = 'open'), '[]'::jsonb);
end;
$$;

create or replace function public.list_my_orders(p_actor uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_user(p_actor);
  return coalesce((
    select jsonb_agg(private.order_json(o, 'resident', null, p_actor) order by o.created_at desc)
    from (select * from public.orders
          where resident_id = p_actor or ordered_by = p_actor
          order by created_at desc limit 100) o), '[]'::jsonb);
end;
$$;
comment on function public.list_my_orders(uuid) is 'Orders the actor placed or is served by, newest first.';

create or replace function public.list_my_tasks(p_actor uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_user(p_actor);
  return coalesce((
    select jsonb_agg(private.order_json(o, 'volunteer', null, p_actor)
      order by (o.status in ('accepted', 'in_service')) desc, o.window_start desc)
    from (select * from public.orders where volunteer_id = p_actor
          order by window_start desc limit 100) o), '[]'::jsonb);
end;
$$;

create or replace function public.list_community_orders(p_actor uuid, p_community_id uuid, p_status text default null)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_user(p_actor);
  perform private.require_staff_of(p_actor, p_community_id);
  return coalesce((
    select jsonb_agg(private.order_json(o, 'staff', false, p_actor) order by o.window_start desc)
    from (select * from public.orders
          where community_id = p_community_id
            and (p_status is null or status::text = p_status
                 or (p_status = 'overdue' and status = 'open' and respond_by < now()))
          order by window_start desc limit 200) o), '[]'::jsonb);
end;
$$;

create or replace function public.decline_offer(p_actor uuid, p_offer_id uuid, p_reason text, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_offer public.dispatch_offers;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'decline_offer', jsonb_build_object('offerId', p_offer_id, 'reason', p_reason));
  if v_replay is not null then return v_replay; end if;
  select * into v_offer from public.dispatch_offers where id = p_offer_id for update;
  if v_offer.id is null or v_offer.volunteer_id <> p_actor then
    perform private.fail('not_found', '没有找到这个派单');
  end if;
  if v_offer.status <> 'pending' then
    perform private.fail('illegal_transition', '这个派单已经结束了');
  end if;
  update public.dispatch_offers set status = 'declined', responded_at = private.clock(), decline_reason = p_reason
  where id = p_offer_id;
  return private.idem_finish(p_actor, p_key, jsonb_build_object('offerId', p_offer_id, 'status', 'declined'));
end;
$$;

create or replace function public.list_task_hall(p_actor uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_profile public.volunteer_profiles;
  v_now timestamptz := private.clock();
begin
  perform private.require_user(p_actor);
  select * into v_profile from public.volunteer_profiles where user_id = p_actor;
  if v_profile.user_id is null or v_profile.status <> 'approved' then
    perform private.fail('forbidden', '审核通过的志愿者才能接单');
  end if;
  -- Their community's open orders, and the street's once widened; may_take decides.
  return coalesce((
    select jsonb_agg(private.order_json(o, 'candidate', false, p_actor) order by o.window_start)
    from public.orders o
    where o.status = 'open'
      and (o.community_id = v_profile.community_id
           or (o.widened and o.community_id in (
             select c.id from public.communities c join public.communities mine on mine.street_id = c.street_id
             where mine.id = v_profile.community_id)))
      and private.may_take(p_actor, o, v_now) is null
      and not private.offered_elsewhere(o.id, p_actor, v_now)), '[]'::jsonb);
end;
$$;

create or replace function public.list_assignable_volunteers(p_actor uuid, p_order_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_order public.orders;
begin
  perform private.require_user(p_actor);
  select * into v_order from public.orders where id = p_order_id;
  if v_order.id is null then
    perform private.fail('not_found', '没有找到这个订单');
  end if;
  perform private.require_staff_of(p_actor, v_order.community_id);
  return coalesce((
    select jsonb_agg(x order by x->'activeTasks', x->>'name')
    from (
      select jsonb_build_object(
        'id', v.user_id,
        'name', v.real_name,
        'phone', private.mask_phone(v.phone),
        'activeTasks', (select count(*) from public.orders t
                        where t.volunteer_id = v.user_id and t.status in ('accepted', 'in_service')),
        'completedTasks', (select count(*) from public.orders t
                           where t.volunteer_id = v.user_id and t.status = 'confirmed'),
        'skills', coalesce((select jsonb_agg(k.name order by k.sort_order)
                            from public.volunteer_skills vs join public.skills k on k.code = vs.skill_code
                            where vs.user_id = v.user_id), '[]'::jsonb)) as x
      from public.volunteer_profiles v
      join public.communities vc on vc.id = v.community_id
      where (v.community_id = v_order.community_id
             or (v_order.widened and vc.street_id = (select street_id from public.communities where id = v_order.community_id)))
        and private.may_take(v.user_id, v_order, private.clock()) is null) candidates), '[]'::jsonb);
end;
$$;

create or replace function public.save_project(p_actor uuid, p_input jsonb, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_project public.projects;
  v_community uuid := (p_input->>'communityId')::uuid;
  v_id uuid := (p_input->>'id')::uuid;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'save_project', p_input);
  if v_replay is not null then return v_replay; end if;
  perform private.require_staff_of(p_actor, v_community);

  if exists (
    select 1 from jsonb_array_elements_text(coalesce(p_input->'serviceCommunityIds', '[]')) sc(id)
    left join public.communities c on c.id = sc.id::uuid
    where c.street_id is distinct from (select street_id from public.communities where id = v_community)
  ) then
    perform private.fail('invalid_input', '服务社区只能选本街道的社区');
  end if;
  if jsonb_array_length(coalesce(p_input->'serviceCommunityIds', '[]')) = 0 then
    perform private.fail('invalid_input', '请至少选择一个服务社区');
  end if;

  if v_id is null then
    insert into public.projects (
      community_id, title, category, description, points_per_hour, expected_minutes, max_minutes,
      response_hours, location_note, min_service_minutes, created_by)
    values (
      v_community, p_input->>'title', (p_input->>'category')::public.service_category,
      coalesce(p_input->>'description', ''), (p_input->>'pointsPerHour')::integer,
      (p_input->>'expectedMinutes')::integer, (p_input->>'maxMinutes')::integer,
      (p_input->>'responseHours')::integer, coalesce(p_input->>'locationNote', ''),
      coalesce((p_input->>'minServiceMinutes')::integer, 15), p_actor)
    returning * into v_project;
  else
    select * into v_project from public.projects where id = v_id for update;
    if v_project.id is null then
      perform private.fail('not_found', '没有找到这个项目');
    end if;
    perform private.require_staff_of(p_actor, v_project.community_id);
    if v_project.community_id <> v_community then
      perform private.fail('invalid_input', '项目不能转到别的社区');
    end if;
    if v_project.status = 'archived' then
      perform private.fail('illegal_transition', '已归档的项目不能修改');
    end if;
    if (p_input->>'version')::integer is distinct from v_project.version then
      perform private.fail('conflict', '项目已被他人修改，请刷新后再改');
    end if;
    update public.projects set
      title = p_input->>'title',
      category = (p_input->>'category')::public.service_category,
      description = coalesce(p_input->>'description', ''),
      points_per_hour = (p_input->>'pointsPerHour')::integer,
      expected_minutes = (p_input->>'expectedMinutes')::integer,
      max_minutes = (p_input->>'maxMinutes')::integer,
      response_hours = (p_input->>'responseHours')::integer,
      location_note = coalesce(p_input->>'locationNote', ''),
      min_service_minutes = coalesce((p_input->>'minServiceMinutes')::integer, min_service_minutes),
      version = version + 1,
      updated_at = now()
    where id = v_id
    returning * into v_project;
    delete from public.project_skills where project_id = v_id;
    delete from public.project_communities where project_id = v_id;
  end if;

  insert into public.project_skills (project_id, skill_code)
  select v_project.id, s from jsonb_array_elements_text(coalesce(p_input->'requiredSkills', '[]')) s
  on conflict do nothing;
  insert into public.project_communities (project_id, community_id)
  select v_project.id, c::uuid from jsonb_array_elements_text(p_input->'serviceCommunityIds') c
  on conflict do nothing;

  return private.idem_finish(p_actor, p_key, private.project_json(v_project, p_actor));
end;
$$;
comment on function public.save_project(uuid, jsonb, text) is 'Staff create or edit a project (optimistic: the edit names the version it saw).';

create or replace function public.change_project_status(p_actor uuid, p_project_id uuid, p_action text, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_project public.projects;
  v_to text;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'change_project_status',
    jsonb_build_object('projectId', p_project_id, 'action', p_action));
  if v_replay is not null then return v_replay; end if;
  select * into v_project from public.projects where id = p_project_id for update;
  if v_project.id is null then
    perform private.fail('not_found', '没有找到这个项目');
  end if;
  perform private.require_staff_of(p_actor, v_project.community_id);
  v_to := private.next_status('project', p_action, v_project.status::text);
  update public.projects set
    status = v_to::public.project_status,
    published_at = case when v_to = 'published' then now() else published_at end,
    updated_at = now(),
    version = version + 1
  where id = p_project_id
  returning * into v_project;
  return private.idem_finish(p_actor, p_key, private.project_json(v_project, p_actor));
end;
$$;
comment on function public.change_project_status(uuid, uuid, text, text) is 'Publish, pause or archive a project, along status_transitions.';

create or replace function public.list_projects(p_actor uuid, p_community_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_user(p_actor);
  perform private.require_staff_of(p_actor, p_community_id);
  return coalesce((
    select jsonb_agg(private.project_json(p, p_actor) order by p.status, p.updated_at desc)
    from public.projects p where p.community_id = p_community_id), '[]'::jsonb);
end;
$$;
comment on function public.list_projects(uuid, uuid) is 'Every project a community''s staff manage, drafts included.';

create or replace function public.get_project(p_actor uuid, p_project_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_project public.projects;
begin
  perform private.require_user(p_actor);
  select * into v_project from public.projects where id = p_project_id;
  if v_project.id is null or not (
    private.is_staff_of(p_actor, v_project.community_id)
    or (v_project.status = 'published' and exists (
      select 1 from public.project_communities pc
      where pc.project_id = v_project.id and pc.community_id = private.home_community(p_actor)))
  ) then
    perform private.fail('not_found', '没有找到这个服务项目');
  end if;
  return private.project_json(v_project, p_actor);
end;
$$;
create or replace function public.get_me(p_actor uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_me jsonb;
begin
  perform private.require_user(p_actor);
  select jsonb_build_object(
    'id', u.id,
    'name', private.display_name(u.id),
    'nickname', u.nickname,
    'realName', u.real_name,
    'phone', u.phone,
    -- For showing on screen: one's own number, but not to whoever looks over the shoulder.
    'phoneMasked', private.mask_phone(u.phone),
    'address', u.address,
    'elderMode', u.elder_mode,
    'home', (
      select jsonb_build_object(
        'communityId', c.id, 'communityName', c.name, 'servicePhone', c.service_phone,
        'gridName', g.name, 'streetName', s.name)
      from public.user_roles r
      join public.communities c on c.id = r.community_id
      join public.streets s on s.id = c.street_id
      left join public.grids g on g.id = r.grid_id
      where r.user_id = u.id and r.role = 'resident'),
    'roles', coalesce((
      select jsonb_agg(jsonb_build_object(
          'role', r.role,
          'communityId', r.community_id,
          'streetId', r.street_id,
          'scopeName', coalesce(c.name, s.name))
        order by r.role, r.id)
      from public.user_roles r
      left join public.communities c on c.id = r.community_id
      left join public.streets s on s.id = r.street_id
      where r.user_id = u.id), '[]'::jsonb),
    'volunteer', (
      select jsonb_build_object(
        'status', v.status,
        -- What they may do as a volunteer now; pages show the task buttons from this.
        'actions', case when private.volunteer_serves(v.status) then '["take_tasks"]'::jsonb else '[]'::jsonb end,
        'communityName', c.name,
        'isPartyMember', v.is_party_member,
        'serviceRadiusM', v.service_radius_m,
        'skills', coalesce((
          select jsonb_agg(jsonb_build_object('code', k.code, 'name', k.name) order by k.sort_order)
          from public.volunteer_skills vs join public.skills k on k.code = vs.skill_code
          where vs.user_id = v.user_id), '[]'::jsonb))
      from public.volunteer_profiles v
      join public.communities c on c.id = v.community_id
      where v.user_id = u.id),
    -- The communities this person runs (staff of one, or all of a street admin's street).
    'staffCommunities', coalesce((
      select jsonb_agg(jsonb_build_object('id', c.id, 'name', c.name, 'streetId', c.street_id) order by c.name)
      from public.communities c where private.is_staff_of(u.id, c.id)), '[]'::jsonb),
    'policy', private.policy_json())
  into v_me
  from public.users u
  where u.id = p_actor;
  return v_me;
end;
$$;
comment on function public.get_me(uuid) is 'The actor''s own profile, unmasked: it is their own data.';

-- 服务清单 as one resident may order it: the actor's own menu, or (代下单) the
-- menu of a resident whose community the actor serves as staff.
drop function public.list_menu(uuid);
create or replace function public.list_menu(p_actor uuid, p_resident_id uuid default null)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_for uuid := coalesce(p_resident_id, p_actor);
  v_home uuid;
begin
  perform private.require_user(p_actor);
  v_home := private.home_community(v_for);
  if v_for <> p_actor then
    if v_home is null then
      perform private.fail('not_found', '没有找到这位居民');
    end if;
    perform private.require_staff_of(p_actor, v_home);
  end if;
  return coalesce((
    select jsonb_agg(private.project_json(p, v_for) order by p.category, p.title)
    from public.projects p
    where private.project_orderable(p, v_for)), '[]'::jsonb);
end;
$$;
comment on function public.list_menu(uuid, uuid) is
  'Published projects a resident may order (private.project_orderable); staff pass residentId for 代下单.';

-- Staff decide a service held for review (shorter than its project's minimum):
-- approve, and it earns as recorded once confirmed; reject, and it earns nothing.
create or replace function public.review_service(p_actor uuid, p_order_id uuid, p_outcome text, p_note text, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_order public.orders;
  v_points bigint;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'review_service',
    jsonb_build_object('orderId', p_order_id, 'outcome', p_outcome, 'note', p_note));
  if v_replay is not null then return v_replay; end if;
  v_order := private.lock_order(p_order_id);
  perform private.require_staff_of(p_actor, v_order.community_id);
  if p_outcome is null or p_outcome not in ('approve', 'reject') then
    perform private.fail('invalid_input', '请选择核实结果：认可或不认可');
  end if;
  if v_order.review_status is distinct from 'pending' then
    perform private.fail('illegal_transition', '这次服务不需要核实，或已经核实过了');
  end if;
  if p_outcome = 'reject' and coalesce(length(trim(p_note)), 0) < 2 then
    perform private.fail('invalid_input', '不认可时请写明原因');
  end if;
  update public.orders set review_status = case when p_outcome = 'approve' then 'approved' else 'rejected' end,
    reviewed_by = p_actor
  where id = p_order_id;
  if p_outcome = 'approve' and v_order.status = 'confirmed' then
    v_points := private.credit_service(p_order_id);
  end if;
  perform private.log_order_event(p_order_id, p_actor, 'staff', 'review_service', v_order.status, v_order.status,
    jsonb_build_object('outcome', p_outcome, 'note', coalesce(p_note, ''))
      || case when v_points is null then '{}'::jsonb else jsonb_build_object('pointsAwarded', v_points) end);
  select * into v_order from public.orders where id = p_order_id;
  return private.idem_finish(p_actor, p_key, private.order_json(v_order, 'staff', null, p_actor));
end;
$$;
comment on function public.review_service(uuid, uuid, text, text, text) is
  'Staff approve or reject a service held for review (shorter than the project''s minimum).';

-- Everything ranking needs about one open order and each volunteer dispatch
-- should offer it to: private.may_take and private.wants_offer written
-- set-based (tests/db/qualification.test.ts proves them equal), minus anyone
-- offered this order before.
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
comment on function public.dispatch_candidates(uuid, timestamptz) is
  'Volunteers dispatch should offer an open order to (may_take and wants_offer), with the facts ranking weighs.';

-- Offers an order to the chosen volunteers, atomically: only while it is open and
-- has no live offer, and only to volunteers never offered it. Two ticks running
-- at once serialise on the order row; the second finds the live offers and stops.
drop function public.make_offers(uuid, jsonb, integer, timestamptz);
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
    -- reached their cap or left since must not hold the order for the offer window.
    where private.may_take((o->>'volunteerId')::uuid, v_order, p_now) is null
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

-- An order so few volunteers could take that each offer at no bonus would be one
-- chance spent: straight to the last escalation step (largest bonus, whole street).
-- bench:dispatch measured it on the scarce street: 91.9% → 97.0% of optimum, hard
-- fill 71.6% → 85.5%, p50 to accept 65 → 15 minutes; its price is the bonus.
create or replace function public.escalate_scarce_order(p_order_id uuid, p_now timestamptz)
returns boolean
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_max integer := private.policy('escalation_max_steps');
begin
  update public.orders o set
    bonus_points = o.bonus_points + private.policy('escalation_bonus_points') * (v_max - o.escalation_level),
    escalation_level = v_max,
    widened = true,
    escalated_at = p_now
  where o.id = p_order_id and o.status = 'open' and o.escalation_level < v_max;
  return found;
end;
$$;

-- Offers run out; orders nobody takes gain escalation_bonus_points every
-- escalation_step_minutes (at most escalation_max_steps), and from step
-- escalation_widen_at_step reach the whole street.
create or replace function public.tick_dispatch(p_now timestamptz default now())
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_expired integer;
  v_escalated integer;
  v_step integer := private.policy('escalation_step_minutes');
  v_max integer := private.policy('escalation_max_steps');
  v_bonus integer := private.policy('escalation_bonus_points');
  v_widen integer := private.policy('escalation_widen_at_step');
begin
  update public.dispatch_offers set status = 'expired', responded_at = p_now
  where status = 'pending' and expires_at <= p_now;
  get diagnostics v_expired = row_count;

  with due as (
    select id from public.orders
    where status = 'open' and escalation_level < v_max
      and created_at + make_interval(mins => v_step * (escalation_level + 1)) <= p_now
    for update skip locked
  )
  update public.orders o set
    escalation_level = o.escalation_level + 1,
    bonus_points = o.bonus_points + v_bonus,
    widened = o.widened or o.escalation_level + 1 >= v_widen,
    escalated_at = p_now
  from due where o.id = due.id;
  get diagnostics v_escalated = row_count;

  return jsonb_build_object(
    'expiredOffers', v_expired,
    'escalated', v_escalated,
    'needOffers', coalesce((
      select jsonb_agg(o.id order by o.created_at)
      from public.orders o
      where o.status = 'open' and o.window_end > p_now
        and not exists (select 1 from public.dispatch_offers f
                        where f.order_id = o.id and f.status = 'pending' and f.expires_at > p_now)), '[]'::jsonb));
end;
$$;


-- The old three-place rule is gone: private.may_take is the only one.
drop function private.why_not_qualified(uuid, public.orders, timestamptz);

revoke execute on all functions in schema public from public, anon, authenticated;
revoke execute on all functions in schema private from public, anon, authenticated;
grant execute on function
  public.escalate_scarce_order(uuid, timestamptz),
  public.list_menu(uuid, uuid),
  public.review_service(uuid, uuid, text, text, text),
  public.make_offers(uuid, jsonb, timestamptz)
to service_role;
