-- 注销: a person deletes their own account. Personal data (name, phone, address,
-- WeChat identity, volunteer record's name and phone, locations, free text, their
-- inbox) is erased or masked; what others rely on keeps its integrity under an
-- anonymised holder '已注销用户': ledger entries and wallets (append-only, sums stay
-- zero), service records (official hours), order rows and their timeline, and the
-- log of staff reading personal data (it holds ids only and is the evidence of
-- who looked, so it is kept whether the person was the viewer or the subject).
-- The session dies with the account: private.require_user refuses a deleted user.

alter table public.users add column deleted_at timestamptz;
comment on column public.users.deleted_at is
  '注销: set when the person deleted their account; the row stays as the anonymised holder of their records.';

-- A deleted volunteer's record keeps its hours but not their phone.
alter table public.volunteer_profiles alter column phone drop not null;

-- Past orders of a deleted resident keep a masked contact number (138****1234).
alter table public.orders drop constraint orders_contact_phone_check;
alter table public.orders add constraint orders_contact_phone_check check (
  contact_phone ~ '^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$'
  or contact_phone ~ '^[0-9]{3}\*+[0-9]{4}$'
);

create table public.account_deletions (
  user_id uuid primary key references public.users (id),
  deleted_at timestamptz not null default now(),
  -- How many rows of each kind were erased or masked: what was done, without the data.
  erased jsonb not null default '{}'
);
comment on table public.account_deletions is
  '注销 record: when an account was deleted and how many rows were erased or masked; no personal data.';
alter table public.account_deletions enable row level security;
revoke all on public.account_deletions from anon, authenticated;

create or replace function private.require_user(p_actor uuid)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if p_actor is null
     or not exists (select 1 from public.users where id = p_actor and deleted_at is null) then
    perform private.fail('unauthorized', '登录已失效，请重新登录');
  end if;
end;
$$;

-- Replaces every occurrence of the person's name and phone in other people's
-- messages (a volunteer's name in a resident's inbox, say). The notifications
-- table comes from the outbox migration; guarded so this runs without it.
create or replace function private.scrub_notifications(p_actor uuid, p_words text[])
returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_word text;
  v_deleted integer := 0;
  v_count integer;
begin
  if to_regclass('public.notifications') is null then
    return 0;
  end if;
  execute 'delete from public.notifications where recipient_id = $1' using p_actor;
  get diagnostics v_deleted = row_count;
  -- Others' messages about orders this person had a part in (never any other row: a
  -- namesake elsewhere keeps their name).
  foreach v_word in array p_words loop
    continue when v_word is null or length(v_word) < 2;
    execute $q$
      update public.notifications n
      set title = replace(title, $1, '已注销用户'),
          body = replace(body, $1, '已注销用户'),
          data = replace(data::text, $1, '已注销用户')::jsonb
      where n.data->>'orderId' in (
              select o.id::text from public.orders o
              where $2 in (o.resident_id, o.volunteer_id, o.ordered_by))
        and (title like '%' || $1 || '%' or body like '%' || $1 || '%' or data::text like '%' || $1 || '%')
    $q$ using v_word, p_actor;
    get diagnostics v_count = row_count;
    v_deleted := v_deleted + v_count;
  end loop;
  if to_regclass('public.notification_deliveries') is not null then
    execute $q$
      update public.notification_deliveries set address = null
      where address = any($1) and status <> 'pending'
    $q$ using p_words;
    execute $q$
      update public.notification_deliveries set address = null, status = 'skipped', last_error = '账号已注销'
      where address = any($1) and status = 'pending'
    $q$ using p_words;
  end if;
  return v_deleted;
end;
$$;

-- Append-only tables stay append-only, except for 注销's erasure of personal fields
-- in the timeline (delete_account sets llb.erasing for its own transaction only;
-- the API can't set it).
create or replace function private.forbid_change()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' and tg_table_name = 'order_events' and current_setting('llb.erasing', true) = 'on' then
    return new;
  end if;
  raise exception using errcode = 'P0001', message = 'illegal_transition',
    detail = format('%s 只能追加，不能修改或删除', tg_table_name);
end;
$$;

create or replace function public.delete_account(p_actor uuid, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user public.users;
  v_profile public.volunteer_profiles;
  v_busy integer;
  v_words text[];
  v_erased jsonb := '{}';
  v_count integer;
begin
  if p_key is null or p_key !~ '^[A-Za-z0-9_-]{8,100}$' then
    perform private.fail('invalid_input', '缺少请求编号，请刷新后再试');
  end if;
  select * into v_user from public.users where id = p_actor for update;
  if not found then
    perform private.fail('unauthorized', '登录已失效，请重新登录');
  end if;
  -- A resend after the account is gone answers the same: it is deleted.
  if v_user.deleted_at is not null then
    return jsonb_build_object('deleted', true, 'deletedAt', v_user.deleted_at);
  end if;

  select count(*) into v_busy from public.orders
  where (resident_id = p_actor or volunteer_id = p_actor) and status in ('open', 'accepted', 'in_service');
  if v_busy > 0 then
    perform private.fail('conflict', format(
      '您还有 %s 个进行中的订单，请先取消或等服务完成后再注销', v_busy));
  end if;
  select count(*) into v_busy from public.redemptions where volunteer_id = p_actor and status = 'reserved';
  if v_busy > 0 then
    perform private.fail('conflict', format(
      '您还有 %s 件兑换的物品没有领取，请先领取或取消后再注销', v_busy));
  end if;

  select * into v_profile from public.volunteer_profiles where user_id = p_actor;
  v_words := array_remove(array[v_user.phone, v_user.real_name, v_profile.phone, v_profile.real_name,
    nullif(v_user.nickname, ''), v_user.address], null);

  -- Their past orders as the served resident: the door and the number are masked.
  update public.orders
  set address = private.mask_address(address),
      contact_phone = private.mask_phone(contact_phone),
      notes = '',
      latitude = null,
      longitude = null
  where resident_id = p_actor;
  get diagnostics v_count = row_count;
  v_erased := v_erased || jsonb_build_object('orders', v_count);
  -- Their number may also stand on orders someone placed for another person.
  update public.orders
  set contact_phone = private.mask_phone(contact_phone)
  where contact_phone in (v_user.phone, v_profile.phone) and resident_id <> p_actor;

  -- The timeline keeps what happened, not who or where: the places they checked in at
  -- and their name in others' events go (the append-only guard lets only this erasure through).
  perform set_config('llb.erasing', 'on', true);
  update public.order_events
  set latitude = null, longitude = null, detail = detail - 'volunteerName'
  where actor_id = p_actor
     or (detail ? 'volunteerName' and order_id in (
           select o.id from public.orders o where o.volunteer_id = p_actor
           union select e.order_id from public.order_events e where e.actor_id = p_actor));
  perform set_config('llb.erasing', 'off', true);

  update public.volunteer_profiles
  set real_name = '已注销', phone = null, is_party_member = false, review_note = null,
      status = case when status = 'approved' then 'suspended'::public.verification_status else status end
  where user_id = p_actor;
  delete from public.volunteer_skills where user_id = p_actor;
  delete from public.volunteer_availability where user_id = p_actor;
  update public.dispatch_offers
  set status = 'withdrawn', responded_at = now(), decline_reason = '账号已注销'
  where volunteer_id = p_actor and status = 'pending';
  delete from public.resident_pairs where resident_id = p_actor or volunteer_id = p_actor;

  delete from public.user_roles where user_id = p_actor;
  get diagnostics v_count = row_count;
  v_erased := v_erased || jsonb_build_object('roles', v_count);
  -- Their own requests, and staff's 代下单 requests for them (those answers carry their
  -- contact). Nobody else's: a resend of someone else's write must still replay.
  delete from public.idempotency_keys
  where actor_id = p_actor or request->>'residentId' = p_actor::text;
  -- Others' stored answers that show an order of theirs keep only what a resend needs:
  -- private.replay_answer draws the order again from what is left of it.
  update public.idempotency_keys
  set response = jsonb_build_object('id', response->'id', 'viewerKind', response->'viewerKind')
  where response ? 'viewerKind'
    and response->>'id' in (select o.id::text from public.orders o
                            where p_actor in (o.resident_id, o.volunteer_id, o.ordered_by));
  get diagnostics v_count = row_count;
  v_erased := v_erased || jsonb_build_object('requests', v_count);
  v_erased := v_erased || jsonb_build_object('messages', private.scrub_notifications(p_actor, v_words));

  update public.users
  set nickname = '已注销用户', real_name = null, phone = null, address = null,
      wechat_openid = null, wechat_unionid = null, demo_key = null,
      elder_mode = false, notify_by_sms = false, last_login_at = null, deleted_at = now()
  where id = p_actor;

  insert into public.account_deletions (user_id, erased) values (p_actor, v_erased);
  return jsonb_build_object('deleted', true, 'deletedAt', now());
end;
$$;
comment on function public.delete_account(uuid, text) is
  '注销: erases or masks the actor''s personal data and ends their sessions; refused while orders or pickups are in progress.';

-- The phone number WeChat verified (getPhoneNumber), stored as the person's own.
-- Setting it to what it already is changes nothing, so a resend is harmless.
create or replace function public.set_my_phone(p_actor uuid, p_phone text, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
begin
  perform private.require_user(p_actor);
  -- The request is the key alone: WeChat's code is used once, so a resend carries the same one.
  v_replay := private.idem_begin(p_actor, p_key, 'set_my_phone', '{}'::jsonb);
  if v_replay is not null then return v_replay; end if;
  if p_phone is null or p_phone !~ '^1[3-9][0-9]{9}$' then
    perform private.fail('invalid_input', '微信返回的不是中国大陆手机号，请手动填写');
  end if;
  update public.users set phone = p_phone where id = p_actor;
  return private.idem_finish(p_actor, p_key,
    jsonb_build_object('phone', p_phone, 'phoneMasked', private.mask_phone(p_phone)));
end;
$$;
comment on function public.set_my_phone(uuid, text, text) is 'Stores the phone number WeChat verified as the actor''s own.';

-- The answer a write already gave under this key, or null: for writes that must ask
-- an outside service before they can call their SQL (a WeChat code is used once, so
-- a resend must not ask WeChat again).
create or replace function public.earlier_answer(p_actor uuid, p_key text, p_operation text)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select private.replay_answer(p_actor, k.response)
  from public.idempotency_keys k
  where k.actor_id = p_actor and k.key = p_key and k.operation = p_operation and k.response is not null;
$$;

revoke execute on all functions in schema public from public, anon, authenticated;
grant execute on function public.set_my_phone(uuid, text, text) to service_role;
grant execute on function public.earlier_answer(uuid, text, text) to service_role;
grant execute on function public.delete_account(uuid, text) to service_role;
