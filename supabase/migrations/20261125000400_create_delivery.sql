-- Delivery of the outbox (20261125000050_create_outbox.sql) to the outside
-- channels: WeChat subscribe messages (订阅消息) and SMS.
--
-- A one-time subscription allows exactly one send, so every `accept` the
-- mini-program gets from requestSubscribeMessage is one credit per (user,
-- template), and every WeChat message spends one when it is claimed for
-- sending; without a credit it stays in the inbox only (skipped). The WeChat
-- access token is cached here, shared by every serverless instance, with a short
-- refresh lease so that only one of them asks WeChat for a new one.
--
-- Senders claim due rows with `for update skip locked` and hold them under a
-- lease (lease_until, and next_attempt_at moved to the lease's end), so two
-- senders at once, or a sender and the tick, never send one row twice.

-- The template a WeChat delivery spent its credit on (set at the first claim;
-- a retry does not spend another).
alter table public.notification_deliveries
  add column template_id text check (length(template_id) between 1 and 128);

create table public.subscription_credits (
  user_id uuid not null references public.users (id) on delete cascade,
  template_id text not null check (template_id ~ '^[A-Za-z0-9_-]{1,128}$'),
  credits integer not null default 0 check (credits between 0 and 1000),
  updated_at timestamptz not null default now(),
  primary key (user_id, template_id)
);
comment on table public.subscription_credits is
  '订阅消息 sending credits: one per accept of a one-time subscription, one spent per message.';

create table public.wechat_access_tokens (
  app_id text primary key check (length(app_id) between 1 and 64),
  token text check (length(token) <= 1024),
  expires_at timestamptz,
  -- While set and in the future, one sender is asking WeChat for a new token.
  refreshing_until timestamptz,
  updated_at timestamptz not null default now()
);
comment on table public.wechat_access_tokens is
  'WeChat access token (stable_token) shared by all instances; refreshed before expiry by one of them.';

alter table public.subscription_credits enable row level security;
alter table public.wechat_access_tokens enable row level security;
revoke all on public.subscription_credits, public.wechat_access_tokens from anon, authenticated;

-- Records what requestSubscribeMessage answered: one credit per accepted
-- template (rejected and banned ones change nothing). Replays answer the same.
create or replace function public.add_subscription_credits(p_actor uuid, p_results jsonb, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_template text;
  v_answer text;
  v_credits jsonb := '{}';
  v_n integer;
begin
  perform private.require_user(p_actor);
  if jsonb_typeof(p_results) is distinct from 'object' then
    perform private.fail('invalid_input', '订阅结果格式不正确');
  end if;
  if (select count(*) from jsonb_object_keys(p_results)) > 20 then
    perform private.fail('invalid_input', '订阅的消息太多了');
  end if;
  v_replay := private.idem_begin(p_actor, p_key, 'add_subscription_credits', p_results);
  if v_replay is not null then return v_replay; end if;
  for v_template, v_answer in select key, value #>> '{}' from jsonb_each(p_results) order by key loop
    if v_template !~ '^[A-Za-z0-9_-]{1,128}$' or v_answer is null
       or v_answer not in ('accept', 'reject', 'ban', 'filter') then
      perform private.fail('invalid_input', '订阅结果格式不正确');
    end if;
    if v_answer = 'accept' then
      insert into public.subscription_credits as s (user_id, template_id, credits)
      values (p_actor, v_template, 1)
      on conflict (user_id, template_id) do update
        set credits = least(s.credits + 1, 1000), updated_at = now()
      returning credits into v_n;
    else
      select credits into v_n from public.subscription_credits
      where user_id = p_actor and template_id = v_template;
    end if;
    v_credits := v_credits || jsonb_build_object(v_template, coalesce(v_n, 0));
  end loop;
  return private.idem_finish(p_actor, p_key, jsonb_build_object('credits', v_credits));
end;
$$;
comment on function public.add_subscription_credits(uuid, jsonb, text) is
  'requestSubscribeMessage results → one sending credit per accepted template.';

-- The cached access token when it stays valid at least until p_valid_until and
-- was not the one WeChat just rejected (p_rejected). Otherwise the caller either
-- gets the refresh lease (refresh: true, for p_lease_seconds) and must store a
-- new token, or someone else holds it (token null, refresh false: ask again soon).
create or replace function public.read_access_token(
  p_app_id text, p_now timestamptz, p_valid_until timestamptz, p_lease_seconds integer,
  p_rejected text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.wechat_access_tokens;
begin
  insert into public.wechat_access_tokens (app_id) values (p_app_id) on conflict do nothing;
  select * into v_row from public.wechat_access_tokens where app_id = p_app_id for update;
  if v_row.token is not null and v_row.expires_at > p_valid_until
     and v_row.token is distinct from p_rejected then
    return jsonb_build_object('token', v_row.token, 'expiresAt', v_row.expires_at, 'refresh', false,
      'force', false);
  end if;
  if v_row.refreshing_until is not null and v_row.refreshing_until > p_now then
    return jsonb_build_object('token', null, 'expiresAt', null, 'refresh', false, 'force', false);
  end if;
  update public.wechat_access_tokens
  set refreshing_until = p_now + make_interval(secs => greatest(p_lease_seconds, 1)), updated_at = now()
  where app_id = p_app_id;
  -- A token WeChat refused must be replaced, not handed out again (force_refresh).
  return jsonb_build_object('token', null, 'expiresAt', null, 'refresh', true,
    'force', v_row.token is not null and v_row.token = p_rejected);
end;
$$;
comment on function public.read_access_token(text, timestamptz, timestamptz, integer, text) is
  'The shared WeChat access token, or the lease to refresh it (one refresher at a time).';

create or replace function public.store_access_token(p_app_id text, p_token text, p_expires_at timestamptz)
returns void
language sql
security definer
set search_path = ''
as $$
  insert into public.wechat_access_tokens (app_id, token, expires_at, refreshing_until, updated_at)
  values (p_app_id, p_token, p_expires_at, null, now())
  on conflict (app_id) do update
    set token = excluded.token, expires_at = excluded.expires_at, refreshing_until = null, updated_at = now();
$$;
comment on function public.store_access_token(text, text, timestamptz) is
  'Stores a fresh WeChat access token and releases the refresh lease.';

-- Claims up to p_limit due pending deliveries of one channel for p_lease_seconds
-- (skip locked: rows another sender holds are passed over), counts the attempt,
-- and returns what sending needs. p_templates maps event → template id (WeChat
-- template, SMS template); null means the channel is not configured. A row
-- whose event has no template, or (WeChat) whose recipient has no credit for
-- it, is marked skipped here, in the same transaction, and not returned; a
-- WeChat row spends its credit at its first claim only.
create or replace function public.claim_deliveries(
  p_channel text, p_limit integer, p_now timestamptz, p_templates jsonb, p_lease_seconds integer)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row record;
  v_template text;
  v_out jsonb := '[]';
  v_skipped integer := 0;
  -- From the later of the caller's time and the real clock: a caller running late (a
  -- long tick) must not hand out a lease that has already run out.
  v_lease timestamptz := greatest(p_now, clock_timestamp()) + make_interval(secs => greatest(p_lease_seconds, 1));
begin
  if p_channel not in ('wechat', 'sms') then
    perform private.fail('invalid_input', '没有这个发送渠道');
  end if;
  for v_row in
    select d.id, d.address, d.attempts, d.template_id, n.recipient_id, n.event, n.data, n.title, n.body, n.page
    from public.notification_deliveries d
    join public.notifications n on n.id = d.notification_id
    -- The caller's clock has milliseconds; a row written in that same millisecond is due.
    where d.status = 'pending' and d.channel = p_channel and d.next_attempt_at < p_now + interval '1 millisecond'
    order by d.next_attempt_at, d.id
    limit greatest(least(p_limit, 500), 0)
    for update of d skip locked
  loop
    v_template := coalesce(v_row.template_id, p_templates ->> v_row.event);
    if p_templates is null or jsonb_typeof(p_templates) <> 'object' or v_template is null then
      update public.notification_deliveries
      set status = 'skipped', lease_until = null,
          last_error = case when p_templates is null or jsonb_typeof(p_templates) <> 'object'
            then p_channel || ' not configured: inbox only'
            else 'no ' || p_channel || ' template for ' || v_row.event || ': inbox only' end
      where id = v_row.id;
      v_skipped := v_skipped + 1;
      continue;
    end if;
    if p_channel = 'wechat' and v_row.template_id is null then
      update public.subscription_credits set credits = credits - 1, updated_at = now()
      where user_id = v_row.recipient_id and template_id = v_template and credits > 0;
      if not found then
        update public.notification_deliveries
        set status = 'skipped', lease_until = null, last_error = 'no subscription credit: inbox only'
        where id = v_row.id;
        v_skipped := v_skipped + 1;
        continue;
      end if;
    end if;
    update public.notification_deliveries
    set attempts = least(attempts + 1, 32767), lease_until = v_lease, next_attempt_at = v_lease,
        template_id = v_template
    where id = v_row.id;
    v_out := v_out || jsonb_build_array(jsonb_build_object(
      'id', v_row.id, 'address', v_row.address, 'attempts', v_row.attempts + 1,
      'templateId', v_template, 'event', v_row.event, 'data', v_row.data, 'title', v_row.title,
      'body', v_row.body, 'page', v_row.page));
  end loop;
  return jsonb_build_object('claimed', v_out, 'skipped', v_skipped);
end;
$$;
comment on function public.claim_deliveries(text, integer, timestamptz, jsonb, integer) is
  'Claims due deliveries of a channel under a lease (skip locked), spending WeChat credits; skips what cannot go out.';

-- The outcome of one claimed delivery: sent; retry at p_retry_at (pending
-- again, the reason kept); or failed for good. Only the claim that is finishing
-- counts (p_attempts, as claim_deliveries returned it): a sender whose lease ran
-- out and whose row another sender claimed since changes nothing.
create or replace function public.finish_delivery(
  p_id bigint, p_attempts integer, p_outcome text, p_error text, p_retry_at timestamptz)
returns boolean
language plpgsql
security definer
set search_path = ''
as $$
begin
  if p_outcome not in ('sent', 'retry', 'failed') then
    perform private.fail('invalid_input', '发送结果不正确');
  end if;
  update public.notification_deliveries
  set status = case p_outcome when 'sent' then 'sent' when 'failed' then 'failed' else 'pending' end,
      sent_at = case when p_outcome = 'sent' then now() end,
      lease_until = null,
      next_attempt_at = case when p_outcome = 'retry' then coalesce(p_retry_at, now()) else next_attempt_at end,
      last_error = case when p_outcome = 'sent' then null else left(p_error, 300) end
  where id = p_id and status = 'pending' and attempts = p_attempts;
  return found;
end;
$$;
comment on function public.finish_delivery(bigint, integer, text, text, timestamptz) is
  'Records a claimed delivery''s outcome: sent, retry later, or failed with its reason.';

revoke execute on all functions in schema public from public, anon, authenticated;
revoke execute on all functions in schema private from public, anon, authenticated;
grant execute on function
  public.add_subscription_credits(uuid, jsonb, text),
  public.read_access_token(text, timestamptz, timestamptz, integer, text),
  public.store_access_token(text, text, timestamptz),
  public.claim_deliveries(text, integer, timestamptz, jsonb, integer),
  public.finish_delivery(bigint, integer, text, text, timestamptz)
to service_role;
