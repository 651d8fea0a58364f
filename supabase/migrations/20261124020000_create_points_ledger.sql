-- 积分 and 积分超市: a double-entry points ledger, the official service-hours
-- record, donated goods with stock movements, and redemptions with pickup codes.
-- Every change of points is a transfer between two accounts, written as two
-- immutable entries that sum to zero (after coopdevs/timeoverflow).

create type public.account_kind as enum ('issuance', 'wallet', 'store');
create type public.transfer_kind as enum ('earn', 'redeem', 'refund', 'adjust', 'reversal');
create type public.goods_status as enum ('active', 'inactive');
create type public.stock_kind as enum ('donation', 'redemption', 'return', 'correction');
create type public.redemption_status as enum ('reserved', 'picked_up', 'cancelled', 'expired');

create table public.point_accounts (
  id uuid primary key default gen_random_uuid(),
  kind public.account_kind not null,
  community_id uuid references public.communities (id),
  user_id uuid references public.users (id),
  balance bigint check (balance >= 0),
  created_at timestamptz not null default now(),
  check ((kind = 'wallet') = (user_id is not null)),
  check ((kind = 'wallet') = (community_id is null)),
  check ((kind = 'wallet') = (balance is not null))
);
comment on table public.point_accounts is
  'Issuance (a community''s source of points, the only account allowed below zero), wallets (one per person) and stores.';
comment on column public.point_accounts.balance is
  'Wallets only: cache of the sum of the wallet''s entries, changed only with them in one transaction, never
   below zero; tests check they agree. Issuance and store balances are the sum of their entries: caching
   them would make every transfer of a community queue on one row.';
create unique index point_accounts_wallet_key on public.point_accounts (user_id) where kind = 'wallet';
create unique index point_accounts_community_key on public.point_accounts (community_id, kind) where kind <> 'wallet';

create table public.point_transfers (
  id bigint generated always as identity primary key,
  kind public.transfer_kind not null,
  from_account uuid not null references public.point_accounts (id),
  to_account uuid not null references public.point_accounts (id),
  amount bigint not null check (amount > 0),
  reference_type text not null check (reference_type in ('order', 'redemption', 'adjustment', 'transfer')),
  reference_id text not null,
  reverses_transfer_id bigint unique references public.point_transfers (id),
  idempotency_key text not null unique,
  memo text not null default '' check (length(memo) <= 200),
  created_by uuid references public.users (id),
  created_at timestamptz not null default now(),
  check (from_account <> to_account),
  check ((kind = 'reversal') = (reverses_transfer_id is not null))
);
comment on table public.point_transfers is
  'One movement of points with its reason; a mistake is corrected by a reversal naming the transfer it reverses.';

create table public.point_entries (
  id bigint generated always as identity primary key,
  transfer_id bigint not null references public.point_transfers (id),
  account_id uuid not null references public.point_accounts (id),
  amount bigint not null check (amount <> 0),
  created_at timestamptz not null default now()
);
comment on table public.point_entries is 'The two sides of each transfer (−amount, +amount): the sum of all entries is always zero.';
create index point_entries_account_idx on public.point_entries (account_id, id);
create index point_entries_transfer_idx on public.point_entries (transfer_id);

create table public.service_records (
  order_id uuid primary key references public.orders (id),
  volunteer_id uuid not null references public.users (id),
  community_id uuid not null references public.communities (id),
  minutes integer not null check (minutes > 0),
  served_on date not null,
  voided_at timestamptz,
  created_at timestamptz not null default now()
);
comment on table public.service_records is
  '志愿服务记录: the volunteer''s official hours, kept apart from points; a voided dispute marks the record void.';
create index service_records_volunteer_idx on public.service_records (volunteer_id, served_on);

create table public.goods (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null references public.communities (id),
  name text not null check (length(name) between 1 and 40),
  description text not null default '' check (length(description) <= 500),
  photo_url text not null default '' check (length(photo_url) <= 500),
  donor text not null default '' check (length(donor) <= 60),
  price_points integer not null check (price_points between 1 and 100000),
  monthly_limit integer not null default 2 check (monthly_limit between 1 and 100),
  stock integer not null default 0 check (stock >= 0),
  status public.goods_status not null default 'active',
  version integer not null default 1,
  created_by uuid references public.users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.goods is '积分超市: donated goods (爱心商家) with a points price, stock and a per-person monthly limit.';
comment on column public.goods.stock is 'Cache of the sum of stock_movements, changed only with them; can''t go below zero.';
create index goods_community_idx on public.goods (community_id, status);

create table public.redemptions (
  id uuid primary key default gen_random_uuid(),
  goods_id uuid not null references public.goods (id),
  community_id uuid not null references public.communities (id),
  volunteer_id uuid not null references public.users (id),
  quantity integer not null check (quantity between 1 and 10),
  points bigint not null check (points > 0),
  status public.redemption_status not null default 'reserved',
  pickup_code text not null check (pickup_code ~ '^[0-9]{6}$'),
  expires_at timestamptz not null,
  picked_up_at timestamptz,
  picked_up_by uuid references public.users (id),
  ended_at timestamptz,
  created_at timestamptz not null default now()
);
comment on table public.redemptions is
  'A redemption reserves stock and moves points at once; staff hand the goods over by pickup code (核销), once.';
create unique index redemptions_active_code_key on public.redemptions (community_id, pickup_code) where status = 'reserved';
create index redemptions_volunteer_idx on public.redemptions (volunteer_id, created_at desc);
create index redemptions_expiry_idx on public.redemptions (expires_at) where status = 'reserved';

create table public.stock_movements (
  id bigint generated always as identity primary key,
  goods_id uuid not null references public.goods (id),
  kind public.stock_kind not null,
  quantity integer not null check (quantity <> 0),
  redemption_id uuid references public.redemptions (id),
  actor_id uuid references public.users (id),
  note text not null default '' check (length(note) <= 200),
  created_at timestamptz not null default now(),
  check ((kind in ('donation', 'return')) = (quantity > 0) or kind = 'correction')
);
comment on table public.stock_movements is 'Every change of stock: donations in, redemptions out, returns back.';
create index stock_movements_goods_idx on public.stock_movements (goods_id, id);

create trigger point_transfers_append_only before update or delete on public.point_transfers
  for each row execute function private.forbid_change();
create trigger point_entries_append_only before update or delete on public.point_entries
  for each row execute function private.forbid_change();
create trigger stock_movements_append_only before update or delete on public.stock_movements
  for each row execute function private.forbid_change();

alter table public.point_accounts enable row level security;
alter table public.point_transfers enable row level security;
alter table public.point_entries enable row level security;
alter table public.service_records enable row level security;
alter table public.goods enable row level security;
alter table public.redemptions enable row level security;
alter table public.stock_movements enable row level security;

revoke all on all tables in schema public from anon, authenticated;
