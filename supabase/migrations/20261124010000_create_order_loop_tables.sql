-- The order loop's data: the project menu (服务清单), orders, their timeline,
-- idempotency keys for every write, and the log of staff reads of personal data.

create type public.service_category as enum (
  'smart_elderly', 'after_school', 'meals_cleaning', 'legal_aid',
  'medical_clinic', 'counseling', 'appliance_repair', 'other'
);
create type public.project_mode as enum ('visit', 'session');
create type public.project_status as enum ('draft', 'published', 'paused', 'archived');
create type public.order_status as enum (
  'open', 'accepted', 'in_service', 'completed', 'disputed', 'confirmed', 'voided', 'cancelled'
);

-- State machines as data, the same tables shared/src defines (tests/db compares them).
create table public.status_transitions (
  machine text not null check (machine in ('order', 'project', 'redemption')),
  action text not null,
  from_status text not null,
  to_status text not null,
  primary key (machine, action, from_status)
);
comment on table public.status_transitions is
  'Allowed transitions of orders, projects and redemptions; mirrors the *_TRANSITIONS tables in shared/.';

insert into public.status_transitions (machine, action, from_status, to_status) values
  ('project', 'publish', 'draft', 'published'),
  ('project', 'publish', 'paused', 'published'),
  ('project', 'pause', 'published', 'paused'),
  ('project', 'archive', 'draft', 'archived'),
  ('project', 'archive', 'published', 'archived'),
  ('project', 'archive', 'paused', 'archived'),
  ('order', 'accept', 'open', 'accepted'),
  ('order', 'assign', 'open', 'accepted'),
  ('order', 'release', 'accepted', 'open'),
  ('order', 'check_in', 'accepted', 'in_service'),
  ('order', 'check_out', 'in_service', 'completed'),
  ('order', 'confirm', 'completed', 'confirmed'),
  ('order', 'auto_confirm', 'completed', 'confirmed'),
  ('order', 'dispute', 'completed', 'disputed'),
  ('order', 'dispute', 'confirmed', 'disputed'),
  ('order', 'uphold', 'disputed', 'confirmed'),
  ('order', 'void', 'disputed', 'voided'),
  ('order', 'cancel', 'open', 'cancelled'),
  ('order', 'cancel', 'accepted', 'cancelled'),
  ('redemption', 'pick_up', 'reserved', 'picked_up'),
  ('redemption', 'cancel', 'reserved', 'cancelled'),
  ('redemption', 'expire', 'reserved', 'expired');

create table public.projects (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null references public.communities (id),
  title text not null check (length(title) between 2 and 40),
  category public.service_category not null,
  description text not null default '' check (length(description) <= 1000),
  mode public.project_mode not null default 'visit',
  points_per_hour integer not null check (points_per_hour between 1 and 1000),
  expected_minutes integer not null check (expected_minutes between 15 and 480),
  max_minutes integer not null check (max_minutes between 15 and 720),
  response_hours integer not null check (response_hours between 1 and 168),
  location_note text not null default '' check (length(location_note) <= 100),
  status public.project_status not null default 'draft',
  version integer not null default 1,
  created_by uuid not null references public.users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  published_at timestamptz,
  check (max_minutes >= expected_minutes)
);
comment on table public.projects is
  '项目菜单: services staff publish. visit = one resident, one volunteer; session (四点半课堂) comes later.';
create index projects_community_idx on public.projects (community_id, status);

create table public.project_skills (
  project_id uuid not null references public.projects (id),
  skill_code text not null references public.skills (code),
  primary key (project_id, skill_code)
);
comment on table public.project_skills is 'Skills a volunteer must all have to take an order of the project.';

create table public.project_communities (
  project_id uuid not null references public.projects (id),
  community_id uuid not null references public.communities (id),
  primary key (project_id, community_id)
);
comment on table public.project_communities is 'Service area: residents of these communities may order the project.';
create index project_communities_community_idx on public.project_communities (community_id);

create table public.orders (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references public.projects (id),
  community_id uuid not null references public.communities (id),
  resident_id uuid not null references public.users (id),
  ordered_by uuid not null references public.users (id),
  status public.order_status not null default 'open',
  window_start timestamptz not null,
  window_end timestamptz not null,
  address text not null check (length(address) between 2 and 200),
  contact_phone text not null check (contact_phone ~ '^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$'),
  notes text not null default '' check (length(notes) <= 500),
  latitude double precision check (latitude between -90 and 90),
  longitude double precision check (longitude between -180 and 180),
  points_per_hour integer not null check (points_per_hour > 0),
  max_minutes integer not null check (max_minutes > 0),
  respond_by timestamptz not null,
  volunteer_id uuid references public.users (id),
  accepted_at timestamptz,
  checked_in_at timestamptz,
  checked_out_at timestamptz,
  service_minutes integer check (service_minutes >= 0),
  completed_at timestamptz,
  confirmed_at timestamptz,
  auto_confirmed boolean not null default false,
  rating smallint check (rating between 1 and 3),
  rating_tags text[] not null default '{}' check (cardinality(rating_tags) <= 10),
  rating_comment text not null default '' check (length(rating_comment) <= 300),
  bonus_points integer not null default 0 check (bonus_points >= 0),
  points_awarded bigint not null default 0 check (points_awarded >= 0),
  points_reversed bigint not null default 0 check (points_reversed >= 0),
  dispute_reason text check (length(dispute_reason) <= 300),
  resolution_note text check (length(resolution_note) <= 300),
  resolved_by uuid references public.users (id),
  cancel_reason text check (length(cancel_reason) <= 200),
  cancelled_at timestamptz,
  presence_secret text not null default gen_random_uuid()::text,
  presence_failures integer not null default 0,
  presence_failed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (window_end > window_start and window_end - window_start <= interval '12 hours'),
  check (status <> 'open' or volunteer_id is null),
  check (status in ('open', 'cancelled') or volunteer_id is not null),
  check (checked_out_at is null or checked_out_at >= checked_in_at),
  -- A rated order stays rated through a later dispute and its outcome.
  check (rating is null or status in ('confirmed', 'disputed', 'voided'))
);
comment on table public.orders is
  '点单: one resident served by one volunteer in a time window. Snapshots the project''s rate and cap at ordering.';
comment on column public.orders.presence_secret is
  'Keys the short-lived check-in code shown on the resident''s phone; never leaves the database.';
create index orders_community_status_idx on public.orders (community_id, status, window_start);
create index orders_volunteer_idx on public.orders (volunteer_id, status);
create index orders_resident_idx on public.orders (resident_id, created_at desc);
create index orders_ordered_by_idx on public.orders (ordered_by, created_at desc);
create index orders_completed_idx on public.orders (completed_at) where status = 'completed';

create table public.order_events (
  id bigint generated always as identity primary key,
  order_id uuid not null references public.orders (id),
  actor_id uuid references public.users (id),
  actor_role text not null check (actor_role in ('resident', 'volunteer', 'staff', 'system')),
  action text not null,
  from_status public.order_status,
  to_status public.order_status not null,
  at timestamptz not null default now(),
  latitude double precision,
  longitude double precision,
  detail jsonb not null default '{}'
);
comment on table public.order_events is
  'Timeline (受理—派单—处置—反馈—评价): who did what, when and where. Append-only; actor null = the system.';
create index order_events_order_idx on public.order_events (order_id, id);

create table public.idempotency_keys (
  actor_id uuid not null references public.users (id),
  key text not null check (key ~ '^[A-Za-z0-9_-]{8,100}$'),
  operation text not null,
  request jsonb not null,
  response jsonb,
  created_at timestamptz not null default now(),
  primary key (actor_id, key)
);
comment on table public.idempotency_keys is
  'One row per write a client sent: a resend with the same key returns the stored response instead of acting twice.';

create table public.personal_data_access_log (
  id bigint generated always as identity primary key,
  viewer_id uuid not null references public.users (id),
  subject_id uuid not null references public.users (id),
  order_id uuid references public.orders (id),
  fields text[] not null,
  at timestamptz not null default now()
);
comment on table public.personal_data_access_log is 'Every time staff were shown a resident''s full phone or address.';
create index personal_data_access_log_subject_idx on public.personal_data_access_log (subject_id, at desc);

-- Append-only tables: a mistake is corrected by a new row, never by editing history.
create or replace function private.forbid_change()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception using errcode = 'P0001', message = 'illegal_transition',
    detail = format('%s 只能追加，不能修改或删除', tg_table_name);
end;
$$;

create trigger order_events_append_only before update or delete on public.order_events
  for each row execute function private.forbid_change();
create trigger personal_data_access_log_append_only before update or delete on public.personal_data_access_log
  for each row execute function private.forbid_change();

-- Second line of defence: whatever function writes an order, its status can only
-- move along public.status_transitions.
create or replace function private.guard_order_status()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.status is distinct from old.status and not exists (
    select 1 from public.status_transitions t
    where t.machine = 'order' and t.from_status = old.status::text and t.to_status = new.status::text
  ) then
    raise exception using errcode = 'P0001', message = 'illegal_transition',
      detail = format('订单状态不能从 %s 变为 %s', old.status, new.status);
  end if;
  new.updated_at := now();
  return new;
end;
$$;

create trigger orders_guard_status before update on public.orders
  for each row execute function private.guard_order_status();

alter table public.status_transitions enable row level security;
alter table public.projects enable row level security;
alter table public.project_skills enable row level security;
alter table public.project_communities enable row level security;
alter table public.orders enable row level security;
alter table public.order_events enable row level security;
alter table public.idempotency_keys enable row level security;
alter table public.personal_data_access_log enable row level security;

revoke all on all tables in schema public from anon, authenticated;
revoke execute on all functions in schema private from public, anon, authenticated;
