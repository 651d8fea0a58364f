-- The ledger's one way to move points, and what earns, spends and corrects them.

create or replace function private.account_id(p_kind public.account_kind, p_community_id uuid, p_user_id uuid)
returns uuid
language plpgsql
set search_path = ''
as $$
declare
  v_id uuid;
begin
  select id into v_id from public.point_accounts
  where kind = p_kind and community_id is not distinct from p_community_id and user_id is not distinct from p_user_id;
  if v_id is null then
    insert into public.point_accounts (kind, community_id, user_id, balance)
    values (p_kind, p_community_id, p_user_id, case when p_kind = 'wallet' then 0 end)
    on conflict do nothing;
    select id into v_id from public.point_accounts
    where kind = p_kind and community_id is not distinct from p_community_id and user_id is not distinct from p_user_id;
  end if;
  return v_id;
end;
$$;

create or replace function private.wallet_of(p_user_id uuid)
returns uuid
language sql
set search_path = ''
as $$
  select private.account_id('wallet', null, p_user_id);
$$;

-- Moves points. Every transfer has exactly one wallet on a side (earn, redeem,
-- refund, adjust and their reversals), and only wallets carry a balance: the
-- wallet row is locked before the idempotency key is checked, so a concurrent
-- resend waits and then finds the first transfer instead of failing on the key.
create or replace function private.transfer(
  p_kind public.transfer_kind, p_from uuid, p_to uuid, p_amount bigint,
  p_reference_type text, p_reference_id text, p_key text, p_memo text, p_actor uuid,
  p_reverses bigint default null)
returns bigint
language plpgsql
set search_path = ''
as $$
declare
  v_existing bigint;
  v_wallet public.point_accounts;
  v_id bigint;
begin
  select * into v_wallet from public.point_accounts
  where id in (p_from, p_to) and kind = 'wallet'
  for update;
  if v_wallet.id is null then
    raise exception 'a transfer must have a wallet on one side';
  end if;
  select id into v_existing from public.point_transfers where idempotency_key = p_key;
  if v_existing is not null then
    return v_existing;
  end if;
  if v_wallet.id = p_from and v_wallet.balance < p_amount then
    perform private.fail('insufficient_points', format('积分不够：还差 %s 分', p_amount - v_wallet.balance));
  end if;
  insert into public.point_transfers (
    kind, from_account, to_account, amount, reference_type, reference_id, reverses_transfer_id,
    idempotency_key, memo, created_by)
  values (p_kind, p_from, p_to, p_amount, p_reference_type, p_reference_id, p_reverses,
    p_key, coalesce(p_memo, ''), p_actor)
  returning id into v_id;
  insert into public.point_entries (transfer_id, account_id, amount) values (v_id, p_from, -p_amount), (v_id, p_to, p_amount);
  update public.point_accounts
  set balance = balance + case when id = p_to then p_amount else -p_amount end
  where id = v_wallet.id;
  return v_id;
end;
$$;

-- hours × rate × rating factor, rounded half up, plus bonus; mirrors servicePoints in shared/.
create or replace function private.service_points(p_minutes integer, p_rate integer, p_rating integer, p_bonus integer)
returns bigint
language sql
immutable
set search_path = ''
as $$
  select (p_minutes::bigint * p_rate * case p_rating when 3 then 12 when 1 then 8 else 10 end + 300) / 600
    + coalesce(p_bonus, 0);
$$;

-- On confirmation (by the resident, by the tick, or by staff upholding a dispute):
-- the official hours record and the points, once per order.
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

-- A dispute decided against the volunteer: the hours record is voided and the
-- points taken back, as far as the wallet still holds them (it can't go negative).
create or replace function private.reverse_service(p_order_id uuid, p_actor uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_earn public.point_transfers;
  v_balance bigint;
  v_taken bigint := 0;
begin
  update public.service_records set voided_at = now() where order_id = p_order_id and voided_at is null;
  select * into v_earn from public.point_transfers where idempotency_key = 'earn:' || p_order_id;
  if v_earn.id is null then
    return jsonb_build_object('pointsReversed', 0, 'unrecovered', 0);
  end if;
  select balance into v_balance from public.point_accounts where id = v_earn.to_account for update;
  v_taken := least(v_earn.amount, v_balance);
  if v_taken > 0 then
    perform private.transfer('reversal', v_earn.to_account, v_earn.from_account, v_taken, 'transfer', v_earn.id::text,
      'reversal:' || v_earn.id, '异议核实：服务作废', p_actor, v_earn.id);
  end if;
  update public.orders set points_reversed = v_taken where id = p_order_id;
  return jsonb_build_object('pointsReversed', v_taken, 'unrecovered', v_earn.amount - v_taken);
end;
$$;

revoke execute on all functions in schema private from public, anon, authenticated;
