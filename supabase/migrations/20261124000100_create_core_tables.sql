-- Streets, communities, grids, users, their roles, and volunteer profiles.
-- Every table has RLS enabled and no policy: the API reaches data only through
-- security-definer functions that service_role may execute.

create table public.streets (
  id uuid primary key default gen_random_uuid(),
  name text not null unique check (length(name) between 1 and 50),
  created_at timestamptz not null default now()
);
comment on table public.streets is '街道: the unit a deployment serves; street admins act across its communities.';

create table public.communities (
  id uuid primary key default gen_random_uuid(),
  street_id uuid not null references public.streets (id),
  name text not null check (length(name) between 1 and 50),
  address text not null default '' check (length(address) <= 200),
  service_phone text not null default '' check (service_phone ~ '^[0-9-]{0,20}$'),
  latitude double precision check (latitude between -90 and 90),
  longitude double precision check (longitude between -180 and 180),
  created_at timestamptz not null default now(),
  unique (street_id, name)
);
comment on table public.communities is '社区: staff act only inside their own; service_phone is what 打电话给社区 dials.';

create table public.grids (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null references public.communities (id),
  name text not null check (length(name) between 1 and 50),
  unique (community_id, name),
  unique (id, community_id)
);
comment on table public.grids is '网格: subdivision of a community used for statistics and grid workers.';

create table public.users (
  id uuid primary key default gen_random_uuid(),
  wechat_openid text unique check (length(wechat_openid) between 1 and 128),
  wechat_unionid text check (length(wechat_unionid) between 1 and 128),
  demo_key text unique check (demo_key ~ '^[a-z0-9_-]{1,40}$'),
  nickname text not null default '' check (length(nickname) <= 32),
  real_name text check (length(real_name) between 1 and 32),
  phone text check (phone ~ '^1[3-9][0-9]{9}$'),
  address text check (length(address) <= 200),
  elder_mode boolean not null default false,
  created_at timestamptz not null default now(),
  last_login_at timestamptz
);
comment on table public.users is 'Everyone who has logged in. demo_key marks seeded demo identities, the only ones dev login accepts.';
comment on column public.users.wechat_openid is 'Per-app WeChat identity from code2session. session_key is never stored or sent.';

create type public.app_role as enum ('resident', 'volunteer', 'staff', 'street_admin');

create table public.user_roles (
  id bigint generated always as identity primary key,
  user_id uuid not null references public.users (id),
  role public.app_role not null,
  community_id uuid references public.communities (id),
  street_id uuid references public.streets (id),
  grid_id uuid,
  granted_at timestamptz not null default now(),
  foreign key (grid_id, community_id) references public.grids (id, community_id),
  check (
    (role = 'street_admin' and street_id is not null and community_id is null)
    or (role <> 'street_admin' and community_id is not null and street_id is null)
  ),
  check (grid_id is null or role = 'resident')
);
comment on table public.user_roles is
  'Roles scoped to a community (street_admin: to a street). The resident row is the home community.';
create unique index user_roles_scope_key
  on public.user_roles (user_id, role, coalesce(community_id, street_id));
create unique index user_roles_one_home_key on public.user_roles (user_id) where role = 'resident';
create index user_roles_community_idx on public.user_roles (community_id, role);

create table public.skills (
  code text primary key check (code ~ '^[a-z_]{2,32}$'),
  name text not null unique check (length(name) between 1 and 20),
  sort_order integer not null default 0
);
comment on table public.skills is '专长: what volunteers can do; projects require some of them.';

create type public.verification_status as enum ('pending', 'approved', 'rejected', 'suspended');

create table public.volunteer_profiles (
  user_id uuid primary key references public.users (id),
  community_id uuid not null references public.communities (id),
  real_name text not null check (length(real_name) between 1 and 32),
  phone text not null check (phone ~ '^1[3-9][0-9]{9}$'),
  is_party_member boolean not null default false,
  service_radius_m integer not null default 3000 check (service_radius_m between 100 and 20000),
  status public.verification_status not null default 'pending',
  reviewed_by uuid references public.users (id),
  reviewed_at timestamptz,
  review_note text check (length(review_note) <= 200),
  created_at timestamptz not null default now(),
  check ((status = 'pending') = (reviewed_at is null))
);
comment on table public.volunteer_profiles is
  '志愿者登记: real name, phone, service area; staff approval grants the volunteer role. 在职党员双报到 via is_party_member.';

create table public.volunteer_skills (
  user_id uuid not null references public.volunteer_profiles (user_id),
  skill_code text not null references public.skills (code),
  primary key (user_id, skill_code)
);
comment on table public.volunteer_skills is 'Skills a volunteer declared; dispatch matches them against projects.';

create table public.volunteer_availability (
  id bigint generated always as identity primary key,
  user_id uuid not null references public.volunteer_profiles (user_id),
  weekday smallint not null check (weekday between 1 and 7),
  starts_at time not null,
  ends_at time not null,
  check (starts_at < ends_at)
);
comment on table public.volunteer_availability is 'Weekly time slots (1 = Monday, Asia/Shanghai) a volunteer can serve.';
create index volunteer_availability_user_idx on public.volunteer_availability (user_id);

alter table public.streets enable row level security;
alter table public.communities enable row level security;
alter table public.grids enable row level security;
alter table public.users enable row level security;
alter table public.user_roles enable row level security;
alter table public.skills enable row level security;
alter table public.volunteer_profiles enable row level security;
alter table public.volunteer_skills enable row level security;
alter table public.volunteer_availability enable row level security;

revoke all on all tables in schema public from anon, authenticated;
