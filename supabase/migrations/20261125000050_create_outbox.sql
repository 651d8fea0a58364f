-- Reaching people: a transactional outbox. Every event that should tell someone
-- something writes its notification rows in the same transaction as the event
-- (no message without the event, no event without its message): one row per
-- recipient in public.notifications, which is also their in-app inbox (消息), and
-- one delivery row per outside channel (WeChat subscribe message, SMS) that the
-- senders claim with `for update skip locked`. Unique per (event key, recipient),
-- so a replayed write never notifies twice.

alter table public.users
  add column notify_by_sms boolean not null default false;
comment on column public.users.notify_by_sms is
  'Key order messages also by SMS (for people without WeChat; 代下单 orders get them for the served resident anyway).';

create table public.notifications (
  id bigint generated always as identity primary key,
  recipient_id uuid not null references public.users (id),
  event text not null check (event ~ '^[a-z_]{2,40}$'),
  -- The event instance: the same write replayed, or two ticks, make the same key.
  event_key text not null check (length(event_key) <= 200),
  title text not null check (length(title) between 1 and 40),
  body text not null check (length(body) between 1 and 200),
  -- The page it is about, opened from the inbox (a mini-program path with its query).
  page text check (page ~ '^/[a-z0-9/_-]+/index(\?[A-Za-z0-9=&_-]*)?$'),
  -- Facts for outside templates (subscribe message keywords, SMS parameters).
  data jsonb not null default '{}',
  created_at timestamptz not null default now(),
  read_at timestamptz,
  unique (event_key, recipient_id)
);
comment on table public.notifications is
  'Outbox and inbox (消息): one row per event and recipient, written in the event''s transaction.';
create index notifications_inbox_idx on public.notifications (recipient_id, id desc);
create index notifications_unread_idx on public.notifications (recipient_id) where read_at is null;

create table public.notification_deliveries (
  id bigint generated always as identity primary key,
  notification_id bigint not null references public.notifications (id) on delete cascade,
  channel text not null check (channel in ('wechat', 'sms')),
  status text not null default 'pending' check (status in ('pending', 'sent', 'failed', 'skipped')),
  -- Where to send, fixed when the event happened (an order's contact phone, say).
  address text,
  attempts smallint not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz not null default now(),
  lease_until timestamptz,
  last_error text check (length(last_error) <= 300),
  sent_at timestamptz,
  unique (notification_id, channel)
);
comment on table public.notification_deliveries is
  'One row per notification and outside channel; senders claim due rows with for update skip locked.';
create index notification_deliveries_due_idx on public.notification_deliveries (next_attempt_at)
  where status = 'pending';

alter table public.notifications enable row level security;
alter table public.notification_deliveries enable row level security;
revoke all on public.notifications, public.notification_deliveries from anon, authenticated;

-- Events that also go out by SMS to someone who gets messages that way.
create or replace function private.sms_event(p_event text)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select p_event in ('order_accepted', 'volunteer_arrived', 'service_done');
$$;

-- Writes one notification (the inbox row) and its outside deliveries, once per
-- event key and recipient. p_sms_to: the number for SMS when this recipient gets
-- this event by SMS (the served resident of a 代下单 order), else null.
create or replace function private.notify(
  p_recipient uuid, p_event text, p_event_key text, p_title text, p_body text, p_page text,
  p_data jsonb default '{}', p_sms_to text default null)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_id bigint;
  v_user public.users;
begin
  if p_recipient is null then
    return;
  end if;
  insert into public.notifications (recipient_id, event, event_key, title, body, page, data)
  values (p_recipient, p_event, p_event_key, left(p_title, 40), left(p_body, 200), p_page, coalesce(p_data, '{}'))
  on conflict (event_key, recipient_id) do nothing
  returning id into v_id;
  if v_id is null then
    return;
  end if;
  select * into v_user from public.users where id = p_recipient;
  -- WeChat only reaches people who logged in with it; whether they granted a
  -- sending credit is the sender's question, at sending time.
  if v_user.wechat_openid is not null then
    insert into public.notification_deliveries (notification_id, channel, address)
    values (v_id, 'wechat', v_user.wechat_openid);
  end if;
  if private.sms_event(p_event) and coalesce(p_sms_to, case when v_user.notify_by_sms then v_user.phone end) is not null then
    insert into public.notification_deliveries (notification_id, channel, address)
    values (v_id, 'sms', coalesce(p_sms_to, v_user.phone));
  end if;
end;
$$;

-- A time as messages say it: 11月25日 09:30 (Shanghai).
create or replace function private.message_time(p_at timestamptz)
returns text
language sql
stable
set search_path = ''
as $$
  select to_char(p_at at time zone 'Asia/Shanghai', 'FMMM月FMDD日 HH24:MI');
$$;

-- Tells the people an order serves: the resident (by SMS too when a staff member
-- placed the order for them: they may have no WeChat), and the staff member who
-- placed a 代下单 order, each with the page they open it on.
create or replace function private.notify_order_people(
  p_order public.orders, p_event text, p_key text, p_title text, p_body text)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_data jsonb := jsonb_build_object(
    'orderId', p_order.id,
    'projectTitle', (select title from public.projects where id = p_order.project_id),
    'windowStart', p_order.window_start,
    'time', private.message_time(p_order.window_start),
    'volunteerName', private.display_name(p_order.volunteer_id),
    'status', p_order.status);
begin
  perform private.notify(p_order.resident_id, p_event, p_key, p_title, p_body,
    '/pages/order-detail/index?id=' || p_order.id, v_data,
    case when p_order.ordered_by <> p_order.resident_id then p_order.contact_phone end);
  if p_order.ordered_by <> p_order.resident_id then
    perform private.notify(p_order.ordered_by, p_event, p_key, p_title,
      private.display_name(p_order.resident_id) || '：' || p_body,
      '/staff/pages/order/index?id=' || p_order.id, v_data);
  end if;
end;
$$;

-- Tells the order's volunteer (if any) about their task.
create or replace function private.notify_order_volunteer(
  p_order public.orders, p_volunteer uuid, p_event text, p_key text, p_title text, p_body text)
returns void
language sql
set search_path = ''
as $$
  select private.notify(p_volunteer, p_event, p_key, p_title, p_body,
    '/volunteer/pages/task/index?id=' || p_order.id,
    jsonb_build_object(
      'orderId', p_order.id,
      'projectTitle', (select title from public.projects where id = p_order.project_id),
      'windowStart', p_order.window_start,
      'time', private.message_time(p_order.window_start)));
$$;

-- Someone is coming: who, when, for what (accepted from the hall, an offer, or assigned by staff).
create or replace function private.notify_order_accepted(p_order public.orders)
returns void
language sql
set search_path = ''
as $$
  select private.notify_order_people(p_order, 'order_accepted',
    'accepted:' || p_order.id || ':' || extract(epoch from p_order.accepted_at), '已有志愿者接单',
    format('%s 将于 %s 上门：%s', private.display_name(p_order.volunteer_id), private.message_time(p_order.window_start),
      (select title from public.projects where id = p_order.project_id)));
$$;

-- Tells every staff member of a community (not street admins: they see the street's queues).
create or replace function private.notify_staff(
  p_community uuid, p_event text, p_key text, p_title text, p_body text, p_page text, p_data jsonb)
returns void
language sql
set search_path = ''
as $$
  select private.notify(r.user_id, p_event, p_key, p_title, p_body, p_page, p_data)
  from public.user_roles r where r.role = 'staff' and r.community_id = p_community;
$$;

-- The inbox: newest first, a page at a time (before an id), with the unread count.
create or replace function public.list_inbox(p_actor uuid, p_before bigint default null)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_user(p_actor);
  return jsonb_build_object(
    'unread', (select count(*) from public.notifications where recipient_id = p_actor and read_at is null),
    'items', coalesce((
      select jsonb_agg(jsonb_build_object(
          'id', n.id, 'event', n.event, 'title', n.title, 'body', n.body, 'page', n.page,
          'createdAt', n.created_at, 'read', n.read_at is not null)
        order by n.id desc)
      from (select * from public.notifications
            where recipient_id = p_actor and (p_before is null or id < p_before)
            order by id desc limit 50) n), '[]'::jsonb));
end;
$$;
comment on function public.list_inbox(uuid, bigint) is '消息: one''s notifications, newest first, and how many are unread.';

create or replace function public.count_unread(p_actor uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_user(p_actor);
  return jsonb_build_object('unread',
    (select count(*) from public.notifications where recipient_id = p_actor and read_at is null));
end;
$$;

-- Marks one notification (p_id) or all of them (null) read; only one's own.
create or replace function public.mark_read(p_actor uuid, p_id bigint, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'mark_read', jsonb_build_object('id', p_id));
  if v_replay is not null then return v_replay; end if;
  if p_id is not null and not exists (select 1 from public.notifications where id = p_id and recipient_id = p_actor) then
    perform private.fail('not_found', '没有找到这条消息');
  end if;
  update public.notifications set read_at = now()
  where recipient_id = p_actor and read_at is null and (p_id is null or id = p_id);
  return private.idem_finish(p_actor, p_key, jsonb_build_object('unread',
    (select count(*) from public.notifications where recipient_id = p_actor and read_at is null)));
end;
$$;

revoke execute on all functions in schema public from public, anon, authenticated;
revoke execute on all functions in schema private from public, anon, authenticated;
grant execute on function
  public.list_inbox(uuid, bigint),
  public.count_unread(uuid),
  public.mark_read(uuid, bigint, text)
to service_role;
