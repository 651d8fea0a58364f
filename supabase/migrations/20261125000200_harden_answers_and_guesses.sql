-- Hardening (issue 10): what an outside attack suite broke.
-- * A resend of a write answers again, but an order in it is drawn as the viewer
--   may see it now: a stored answer never outlives the right to see it. Keys
--   expire after idempotency_key_hours (the tick deletes them).
-- * Wrong pickup codes are counted per staff member and community and lock
--   guessing out like presence codes: a lost staff phone is no redemption oracle.
-- * Pairs (结对帮扶) only within the resident's community; the own-settings writes
--   take an idempotency key like every other write.
-- * A volunteer's first wallet read answers an empty wallet, not null.

insert into public.policies (key, value, description) values
  ('pickup_max_failures', 5, '取货码连续输错多少次后暂停'),
  ('pickup_lockout_minutes', 10, '取货码输错太多后暂停多少分钟');

create table public.guess_failures (
  scope text not null check (scope in ('pickup')),
  subject text not null,
  failures integer not null default 0 check (failures >= 0),
  last_failed_at timestamptz,
  primary key (scope, subject)
);
comment on table public.guess_failures is
  'Wrong guesses of short codes per scope and guesser (pickup: community and staff member), for lockouts.';
alter table public.guess_failures enable row level security;
revoke all on public.guess_failures from anon, authenticated;

-- A resend's answer: as stored, except that an order view is drawn again for the
-- viewer as things are now (masked when they no longer have a part in the order).
create or replace function private.replay_answer(p_actor uuid, p_response jsonb)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_order public.orders;
  v_kind text;
begin
  if p_response is null or jsonb_typeof(p_response) <> 'object' or not (p_response ? 'viewerKind') then
    return p_response;
  end if;
  select * into v_order from public.orders where id = (p_response->>'id')::uuid;
  v_kind := case when v_order.id is not null then private.viewer_kind(p_actor, v_order) end;
  if v_kind is null then
    return p_response || jsonb_build_object(
      'address', private.mask_address(p_response->>'address'),
      'contactPhone', private.mask_phone(p_response->>'contactPhone'),
      'contactVisible', false,
      'volunteerPhone', private.mask_phone(p_response->>'volunteerPhone'),
      'actions', '[]'::jsonb);
  end if;
  return private.order_json(v_order, v_kind, null, p_actor);
end;
$$;

-- Claims an idempotency key inside the caller's transaction. Returns the answer
-- to give when the key was used before (a resend: see private.replay_answer),
-- null when this is the first time. The insert comes first: a concurrent request
-- with the same key waits on the primary key until the first commits.
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
  return private.replay_answer(p_actor, v_row.response);
end;
$$;

create or replace function public.pick_up_redemption(p_actor uuid, p_community_id uuid, p_code text, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_redemption public.redemptions;
  v_subject text := p_community_id || ':' || p_actor;
  v_guess public.guess_failures;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'pick_up_redemption',
    jsonb_build_object('communityId', p_community_id, 'code', p_code));
  if v_replay is not null then return v_replay; end if;
  perform private.require_staff_of(p_actor, p_community_id);
  -- One guard row per staff member and community, locked: their pickups queue, and
  -- parallel guesses are counted one after another.
  insert into public.guess_failures (scope, subject) values ('pickup', v_subject) on conflict do nothing;
  select * into v_guess from public.guess_failures where scope = 'pickup' and subject = v_subject for update;
  if v_guess.failures >= private.policy('pickup_max_failures')
     and v_guess.last_failed_at > now() - make_interval(mins => private.policy('pickup_lockout_minutes')) then
    perform private.fail('rate_limited', format('取货码输错次数太多，请 %s 分钟后再试',
      private.policy('pickup_lockout_minutes')));
  end if;
  select * into v_redemption from public.redemptions
  where community_id = p_community_id and pickup_code = p_code
  order by (status = 'reserved') desc, created_at desc limit 1
  for update;
  if v_redemption.id is null then
    -- Answered, not raised, so the count survives (the route turns it into a 404).
    update public.guess_failures set
      failures = case when last_failed_at > now() - make_interval(mins => private.policy('pickup_lockout_minutes'))
                      then failures + 1 else 1 end,
      last_failed_at = now()
    where scope = 'pickup' and subject = v_subject;
    return private.idem_finish(p_actor, p_key,
      jsonb_build_object('error', jsonb_build_object('code', 'not_found', 'message', '取货码不对，请再核对一下')));
  end if;
  update public.guess_failures set failures = 0 where scope = 'pickup' and subject = v_subject;
  if v_redemption.status <> 'reserved' then
    perform private.fail('illegal_transition', case v_redemption.status
      when 'picked_up' then '这个取货码已经核销过了'
      when 'cancelled' then '这次兑换已经取消了'
      else '这个取货码已过期，积分已退回' end);
  end if;
  perform private.next_status('redemption', 'pick_up', v_redemption.status::text);
  update public.redemptions set status = 'picked_up', picked_up_at = now(), picked_up_by = p_actor, ended_at = now()
  where id = v_redemption.id returning * into v_redemption;
  return private.idem_finish(p_actor, p_key, private.redemption_json(v_redemption, false));
end;
$$;

-- 结对帮扶: staff pair a volunteer of the resident's own community with them.
create or replace function public.pair_volunteer(p_actor uuid, p_resident_id uuid, p_volunteer_id uuid, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_community uuid;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'pair_volunteer',
    jsonb_build_object('residentId', p_resident_id, 'volunteerId', p_volunteer_id));
  if v_replay is not null then return v_replay; end if;
  v_community := private.home_community(p_resident_id);
  if v_community is null then
    perform private.fail('not_found', '没有找到这位居民');
  end if;
  perform private.require_staff_of(p_actor, v_community);
  if not exists (select 1 from public.volunteer_profiles
                 where user_id = p_volunteer_id and status = 'approved' and community_id = v_community) then
    perform private.fail('invalid_input', '只能和本社区审核通过的志愿者结对');
  end if;
  insert into public.resident_pairs (resident_id, volunteer_id, community_id, created_by)
  values (p_resident_id, p_volunteer_id, v_community, p_actor)
  on conflict do nothing;
  return private.idem_finish(p_actor, p_key, jsonb_build_object('residentId', p_resident_id, 'volunteerId', p_volunteer_id));
end;
$$;

-- Balance, hours and history; an empty wallet for someone who has none yet.
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
    'serviceMinutes', coalesce((select sum(minutes) from public.service_records
                                where volunteer_id = p_user_id and voided_at is null), 0),
    'serviceCount', (select count(*) from public.service_records where volunteer_id = p_user_id and voided_at is null),
    'entries', case when a.id is null then '[]'::jsonb else private.ledger_entries(a.id, 100) end)
  from (select 1) one
  left join public.point_accounts a on a.kind = 'wallet' and a.user_id = p_user_id;
$$;

drop function public.set_home_community(uuid, uuid, uuid);
create or replace function public.set_home_community(p_actor uuid, p_community_id uuid, p_grid_id uuid, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'set_home_community',
    jsonb_build_object('communityId', p_community_id, 'gridId', p_grid_id));
  if v_replay is not null then return v_replay; end if;
  if not exists (select 1 from public.communities where id = p_community_id) then
    perform private.fail('not_found', '没有找到这个社区');
  end if;
  if p_grid_id is not null
     and not exists (select 1 from public.grids where id = p_grid_id and community_id = p_community_id) then
    perform private.fail('invalid_input', '所选网格不属于这个社区');
  end if;
  insert into public.user_roles (user_id, role, community_id, grid_id)
  values (p_actor, 'resident', p_community_id, p_grid_id)
  on conflict (user_id) where role = 'resident' do update
    set community_id = excluded.community_id, grid_id = excluded.grid_id;
  return private.idem_finish(p_actor, p_key, private.session_claims(p_actor));
end;
$$;
comment on function public.set_home_community(uuid, uuid, uuid, text) is 'Choose the community (and grid) the actor lives in; returns fresh session claims.';

drop function public.set_elder_mode(uuid, boolean);
create or replace function public.set_elder_mode(p_actor uuid, p_enabled boolean, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'set_elder_mode', jsonb_build_object('enabled', p_enabled));
  if v_replay is not null then return v_replay; end if;
  if p_enabled is null then
    perform private.fail('invalid_input', '请选择打开或关闭长辈模式');
  end if;
  update public.users set elder_mode = p_enabled where id = p_actor;
  return private.idem_finish(p_actor, p_key, jsonb_build_object('elderMode', p_enabled));
end;
$$;
comment on function public.set_elder_mode(uuid, boolean, text) is 'Turn 长辈模式 on or off for oneself.';

revoke execute on all functions in schema public from public, anon, authenticated;
revoke execute on all functions in schema private from public, anon, authenticated;
grant execute on function
  public.set_home_community(uuid, uuid, uuid, text),
  public.set_elder_mode(uuid, boolean, text)
to service_role;
