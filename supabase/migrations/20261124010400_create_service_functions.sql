-- Doing the work and closing the loop: proven presence at check-in and check-out,
-- 一事一评 and disputes. Confirmation credits the service (private.credit_service,
-- defined with the ledger); the scheduled tick lives with the ledger too.

-- The code the resident's phone shows for the volunteer to scan or type.
create or replace function public.get_presence_code(p_actor uuid, p_order_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_order public.orders;
  v_step bigint := private.presence_step(now());
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
    'payload', 'LLB1:' || v_order.id || ':' || v_code,
    'expiresAt', to_timestamp((v_step + 1) * 120));
end;
$$;
comment on function public.get_presence_code(uuid, uuid) is 'Short-lived code proving the volunteer stands before the resident (QR + digits).';

-- Null when the proof holds; otherwise what to tell the volunteer.
create or replace function private.presence_problem(p_order public.orders, p_proof jsonb)
returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  v_step bigint := private.presence_step(now());
  v_distance double precision;
begin
  if p_proof->>'method' = 'code' then
    -- The current code and the one before it, so a code read out at the turn of a step still works.
    if p_proof->>'code' in (private.presence_code(p_order.presence_secret, v_step),
                            private.presence_code(p_order.presence_secret, v_step - 1)) then
      return null;
    end if;
    return '验证码不对或已过期，请让居民刷新后再读一遍';
  end if;
  if p_proof->>'method' = 'location' then
    if p_order.latitude is null then
      return '这个订单没有登记位置，请用居民手机上的验证码';
    end if;
    v_distance := private.distance_m(p_order.latitude, p_order.longitude,
      (p_proof->>'latitude')::double precision, (p_proof->>'longitude')::double precision);
    if v_distance <= 200 then
      return null;
    end if;
    return format('您离服务地址约 %s 米，要在 200 米以内才能签到', round(v_distance));
  end if;
  return '请扫码、输入验证码或使用定位';
end;
$$;

-- Check-in and check-out share one path: lock, verify presence, move the order.
-- A failed proof is recorded and answered (not raised), so five wrong codes in
-- ten minutes lock guessing out even though each attempt is its own request.
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
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, p_action, jsonb_build_object('orderId', p_order_id, 'proof', p_proof));
  if v_replay is not null then return v_replay; end if;
  v_order := private.lock_order(p_order_id);
  if v_order.volunteer_id is distinct from p_actor then
    perform private.fail('forbidden', '这不是您接的订单');
  end if;
  v_to := private.next_status('order', p_action, v_order.status::text);
  if p_action = 'check_in' and now() < v_order.window_start - interval '1 hour' then
    perform private.fail('presence_failed', '还没到服务时间，预约开始前一小时内才能签到');
  end if;
  if p_action = 'check_in' and now() > v_order.window_end + interval '2 hours' then
    perform private.fail('presence_failed', '已经超过预约时间很久了，请联系社区');
  end if;
  if v_order.presence_failures >= 5 and v_order.presence_failed_at > now() - interval '10 minutes' then
    perform private.fail('rate_limited', '验证失败次数太多，请 10 分钟后再试');
  end if;

  v_problem := private.presence_problem(v_order, p_proof);
  if v_problem is not null then
    update public.orders set
      presence_failures = case when presence_failed_at > now() - interval '10 minutes'
                               then presence_failures + 1 else 1 end,
      presence_failed_at = now()
    where id = p_order_id;
    return private.idem_finish(p_actor, p_key,
      jsonb_build_object('error', jsonb_build_object('code', 'presence_failed', 'message', v_problem)));
  end if;

  if p_action = 'check_in' then
    update public.orders set status = v_to::public.order_status, checked_in_at = now(), presence_failures = 0
    where id = p_order_id returning * into v_order;
  else
    -- Hours come from check-in and check-out, capped by the project's maximum.
    v_minutes := least(v_order.max_minutes, greatest(1, ceil(extract(epoch from now() - v_order.checked_in_at) / 60)));
    update public.orders set status = v_to::public.order_status, checked_out_at = now(), completed_at = now(),
      service_minutes = v_minutes, presence_failures = 0
    where id = p_order_id returning * into v_order;
  end if;
  perform private.log_order_event(p_order_id, p_actor, 'volunteer', p_action,
    case when p_action = 'check_in' then 'accepted' else 'in_service' end::public.order_status,
    v_to::public.order_status,
    jsonb_build_object('method', p_proof->>'method') || case when v_minutes is null then '{}'::jsonb
      else jsonb_build_object('serviceMinutes', v_minutes) end,
    (p_proof->>'latitude')::double precision, (p_proof->>'longitude')::double precision);
  return private.idem_finish(p_actor, p_key, private.order_json(v_order, 'volunteer', null));
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
comment on function public.check_in(uuid, uuid, jsonb, text) is 'Volunteer arrives: proof is the resident''s code or a location within 200 m.';

create or replace function public.check_out(p_actor uuid, p_order_id uuid, p_proof jsonb, p_key text)
returns jsonb
language sql
security definer
set search_path = ''
as $$
  select private.record_presence(p_actor, p_order_id, p_proof, p_key, 'check_out');
$$;
comment on function public.check_out(uuid, uuid, jsonb, text) is 'Volunteer leaves: same proof; service minutes are fixed here.';

-- 一事一评: the resident confirms and rates 很好 / 好 / 一般 (3 / 2 / 1).
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
  if p_actor not in (v_order.resident_id, v_order.ordered_by) then
    perform private.fail('forbidden', '只有被服务的居民可以评价');
  end if;
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
  return private.idem_finish(p_actor, p_key, private.order_json(v_order, 'resident', true));
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
  if p_actor not in (v_order.resident_id, v_order.ordered_by) then
    perform private.fail('forbidden', '只有被服务的居民可以提出异议');
  end if;
  if coalesce(length(trim(p_reason)), 0) < 2 then
    perform private.fail('invalid_input', '请说明情况');
  end if;
  v_to := private.next_status('order', 'dispute', v_order.status::text);
  if v_order.status = 'confirmed' and v_order.confirmed_at < now() - interval '7 days' then
    perform private.fail('illegal_transition', '确认已超过 7 天，如有问题请直接打电话给社区');
  end if;
  perform private.log_order_event(p_order_id, p_actor, 'resident', 'dispute', v_order.status, 'disputed');
  update public.orders set status = v_to::public.order_status, dispute_reason = p_reason
  where id = p_order_id returning * into v_order;
  return private.idem_finish(p_actor, p_key, private.order_json(v_order, 'resident', true));
end;
$$;
comment on function public.dispute_order(uuid, uuid, text, text) is
  'The resident says the service did not happen as recorded (before, or up to 7 days after, confirming); staff decide.';

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
  return private.idem_finish(p_actor, p_key, private.order_json(v_order, 'staff', null));
end;
$$;
comment on function public.resolve_dispute(uuid, uuid, text, text, text) is 'Staff decide a dispute: uphold (service happened) or void.';

revoke execute on all functions in schema public from public, anon, authenticated;
revoke execute on all functions in schema private from public, anon, authenticated;
grant execute on function
  public.get_presence_code(uuid, uuid),
  public.check_in(uuid, uuid, jsonb, text),
  public.check_out(uuid, uuid, jsonb, text),
  public.confirm_order(uuid, uuid, integer, jsonb, text, text),
  public.dispute_order(uuid, uuid, text, text),
  public.resolve_dispute(uuid, uuid, text, text, text)
to service_role;
