-- 积分超市 and the wallet: goods and stock (staff), redeeming, cancelling and
-- handing over (核销), staff adjustments and reversals, reading balances, and the
-- scheduled tick (auto-confirm services, expire unclaimed reservations).

create or replace function private.goods_json(p_goods public.goods)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', p_goods.id, 'communityId', p_goods.community_id, 'name', p_goods.name,
    'description', p_goods.description, 'photoUrl', p_goods.photo_url, 'donor', p_goods.donor,
    'pricePoints', p_goods.price_points, 'monthlyLimit', p_goods.monthly_limit, 'stock', p_goods.stock,
    'status', p_goods.status, 'version', p_goods.version);
$$;

create or replace function private.redemption_json(p_redemption public.redemptions, p_with_code boolean)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', p_redemption.id, 'goodsId', p_redemption.goods_id, 'goodsName', g.name,
    'volunteerId', p_redemption.volunteer_id, 'volunteerName', private.display_name(p_redemption.volunteer_id),
    'quantity', p_redemption.quantity, 'points', p_redemption.points, 'status', p_redemption.status,
    'pickupCode', case when p_with_code then p_redemption.pickup_code end,
    'payload', case when p_with_code then 'LLBG:' || p_redemption.pickup_code end,
    'expiresAt', p_redemption.expires_at, 'pickedUpAt', p_redemption.picked_up_at,
    'createdAt', p_redemption.created_at)
  from public.goods g where g.id = p_redemption.goods_id;
$$;

-- Gives a reserved redemption its points and stock back (cancel and expiry).
create or replace function private.release_redemption(p_redemption public.redemptions, p_to text, p_actor uuid)
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform 1 from public.goods where id = p_redemption.goods_id for update;
  perform private.transfer('refund', private.account_id('store', p_redemption.community_id, null),
    private.wallet_of(p_redemption.volunteer_id), p_redemption.points, 'redemption', p_redemption.id::text,
    'refund:' || p_redemption.id, case p_to when 'expired' then '超过 7 天未领取，积分退回' else '取消兑换，积分退回' end,
    p_actor);
  update public.goods set stock = stock + p_redemption.quantity where id = p_redemption.goods_id;
  insert into public.stock_movements (goods_id, kind, quantity, redemption_id, actor_id, note)
  values (p_redemption.goods_id, 'return', p_redemption.quantity, p_redemption.id, p_actor, p_to);
  update public.redemptions set status = p_to::public.redemption_status, ended_at = now() where id = p_redemption.id;
end;
$$;

create or replace function public.save_goods(p_actor uuid, p_input jsonb, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_goods public.goods;
  v_community uuid := (p_input->>'communityId')::uuid;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'save_goods', p_input);
  if v_replay is not null then return v_replay; end if;
  perform private.require_staff_of(p_actor, v_community);
  if p_input->>'id' is null then
    insert into public.goods (community_id, name, description, photo_url, donor, price_points, monthly_limit, status, created_by)
    values (v_community, p_input->>'name', coalesce(p_input->>'description', ''), coalesce(p_input->>'photoUrl', ''),
      coalesce(p_input->>'donor', ''), (p_input->>'pricePoints')::integer, (p_input->>'monthlyLimit')::integer,
      coalesce(p_input->>'status', 'active')::public.goods_status, p_actor)
    returning * into v_goods;
  else
    select * into v_goods from public.goods where id = (p_input->>'id')::uuid for update;
    if v_goods.id is null or v_goods.community_id <> v_community then
      perform private.fail('not_found', '没有找到这件物品');
    end if;
    if (p_input->>'version')::integer is distinct from v_goods.version then
      perform private.fail('conflict', '物品信息已被他人修改，请刷新后再改');
    end if;
    update public.goods set name = p_input->>'name', description = coalesce(p_input->>'description', ''),
      photo_url = coalesce(p_input->>'photoUrl', ''), donor = coalesce(p_input->>'donor', ''),
      price_points = (p_input->>'pricePoints')::integer, monthly_limit = (p_input->>'monthlyLimit')::integer,
      status = coalesce(p_input->>'status', 'active')::public.goods_status, version = version + 1, updated_at = now()
    where id = v_goods.id returning * into v_goods;
  end if;
  return private.idem_finish(p_actor, p_key, private.goods_json(v_goods));
end;
$$;
comment on function public.save_goods(uuid, jsonb, text) is 'Staff add or edit an item of the 积分超市; stock changes only through movements.';

-- 爱心商家 donate: stock comes in as a movement, never by editing the number.
create or replace function public.add_stock(p_actor uuid, p_goods_id uuid, p_quantity integer, p_note text, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_goods public.goods;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'add_stock',
    jsonb_build_object('goodsId', p_goods_id, 'quantity', p_quantity, 'note', p_note));
  if v_replay is not null then return v_replay; end if;
  select * into v_goods from public.goods where id = p_goods_id for update;
  if v_goods.id is null then
    perform private.fail('not_found', '没有找到这件物品');
  end if;
  perform private.require_staff_of(p_actor, v_goods.community_id);
  if p_quantity is null or p_quantity not between 1 and 10000 then
    perform private.fail('invalid_input', '入库数量要在 1 到 10000 之间');
  end if;
  insert into public.stock_movements (goods_id, kind, quantity, actor_id, note)
  values (p_goods_id, 'donation', p_quantity, p_actor, coalesce(p_note, ''));
  update public.goods set stock = stock + p_quantity, updated_at = now() where id = p_goods_id returning * into v_goods;
  return private.idem_finish(p_actor, p_key, private.goods_json(v_goods));
end;
$$;

-- 兑换: points move to the store and stock is reserved in one transaction; the
-- goods row is locked first, so racing redemptions queue on the stock.
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
    v_code, now() + interval '7 days')
  returning * into v_redemption;
  insert into public.stock_movements (goods_id, kind, quantity, redemption_id, actor_id)
  values (p_goods_id, 'redemption', -p_quantity, v_id, p_actor);
  return private.idem_finish(p_actor, p_key, private.redemption_json(v_redemption, true));
end;
$$;
comment on function public.redeem_goods(uuid, uuid, integer, text) is 'Spend points on goods: reserves stock and issues a pickup code (QR + 6 digits).';

create or replace function public.cancel_redemption(p_actor uuid, p_redemption_id uuid, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_redemption public.redemptions;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'cancel_redemption', jsonb_build_object('redemptionId', p_redemption_id));
  if v_replay is not null then return v_replay; end if;
  select * into v_redemption from public.redemptions where id = p_redemption_id for update;
  if v_redemption.id is null or v_redemption.volunteer_id <> p_actor then
    perform private.fail('not_found', '没有找到这次兑换');
  end if;
  perform private.next_status('redemption', 'cancel', v_redemption.status::text);
  perform private.release_redemption(v_redemption, 'cancelled', p_actor);
  select * into v_redemption from public.redemptions where id = p_redemption_id;
  return private.idem_finish(p_actor, p_key, private.redemption_json(v_redemption, true));
end;
$$;

-- 核销: staff scan or type the pickup code and hand the goods over, once.
create or replace function public.pick_up_redemption(p_actor uuid, p_community_id uuid, p_code text, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_redemption public.redemptions;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'pick_up_redemption',
    jsonb_build_object('communityId', p_community_id, 'code', p_code));
  if v_replay is not null then return v_replay; end if;
  perform private.require_staff_of(p_actor, p_community_id);
  select * into v_redemption from public.redemptions
  where community_id = p_community_id and pickup_code = p_code
  order by (status = 'reserved') desc, created_at desc limit 1
  for update;
  if v_redemption.id is null then
    perform private.fail('not_found', '取货码不对，请再核对一下');
  end if;
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

-- Staff correct a balance with a written reason: issuance → wallet, or back.
create or replace function public.adjust_points(p_actor uuid, p_user_id uuid, p_amount integer, p_reason text, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_community uuid;
  v_issuance uuid;
  v_wallet uuid;
  v_transfer bigint;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'adjust_points',
    jsonb_build_object('userId', p_user_id, 'amount', p_amount, 'reason', p_reason));
  if v_replay is not null then return v_replay; end if;
  select community_id into v_community from public.volunteer_profiles where user_id = p_user_id;
  if v_community is null then
    perform private.fail('not_found', '没有找到这位志愿者');
  end if;
  perform private.require_staff_of(p_actor, v_community);
  if p_amount is null or p_amount = 0 or abs(p_amount) > 10000 then
    perform private.fail('invalid_input', '调整的积分要在 -10000 到 10000 之间，且不能为 0');
  end if;
  if coalesce(length(trim(p_reason)), 0) < 2 then
    perform private.fail('invalid_input', '请写明调整原因');
  end if;
  v_issuance := private.account_id('issuance', v_community, null);
  v_wallet := private.wallet_of(p_user_id);
  v_transfer := private.transfer('adjust',
    case when p_amount > 0 then v_issuance else v_wallet end,
    case when p_amount > 0 then v_wallet else v_issuance end,
    abs(p_amount), 'adjustment', p_user_id::text, 'adjust:' || p_actor || ':' || p_key, trim(p_reason), p_actor);
  return private.idem_finish(p_actor, p_key, jsonb_build_object(
    'transferId', v_transfer, 'balance', (select balance from public.point_accounts where id = v_wallet)));
end;
$$;

-- A mistake is corrected by a new transfer the other way, naming the one it reverses.
create or replace function public.reverse_transfer(p_actor uuid, p_transfer_id bigint, p_reason text, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_transfer public.point_transfers;
  v_community uuid;
  v_reversal bigint;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'reverse_transfer',
    jsonb_build_object('transferId', p_transfer_id, 'reason', p_reason));
  if v_replay is not null then return v_replay; end if;
  select * into v_transfer from public.point_transfers where id = p_transfer_id;
  if v_transfer.id is null then
    perform private.fail('not_found', '没有找到这笔积分记录');
  end if;
  select community_id into v_community from public.point_accounts
  where id in (v_transfer.from_account, v_transfer.to_account) and community_id is not null limit 1;
  perform private.require_staff_of(p_actor, v_community);
  if v_transfer.kind not in ('earn', 'adjust') then
    perform private.fail('illegal_transition', '兑换和退回由兑换流程处理，撤销只用于服务积分和调整');
  end if;
  if exists (select 1 from public.point_transfers where reverses_transfer_id = p_transfer_id) then
    perform private.fail('conflict', '这笔积分已经撤销过了');
  end if;
  if coalesce(length(trim(p_reason)), 0) < 2 then
    perform private.fail('invalid_input', '请写明撤销原因');
  end if;
  v_reversal := private.transfer('reversal', v_transfer.to_account, v_transfer.from_account, v_transfer.amount,
    'transfer', v_transfer.id::text, 'reversal:' || v_transfer.id, trim(p_reason), p_actor, v_transfer.id);
  return private.idem_finish(p_actor, p_key, jsonb_build_object('transferId', v_reversal));
end;
$$;

create or replace function private.ledger_entries(p_account uuid, p_limit integer)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
      'transferId', t.id, 'kind', t.kind, 'amount', e.amount, 'memo', t.memo, 'at', t.created_at,
      'referenceType', t.reference_type, 'referenceId', t.reference_id,
      'reversesTransferId', t.reverses_transfer_id,
      'reversed', exists (select 1 from public.point_transfers r where r.reverses_transfer_id = t.id))
    order by e.id desc), '[]'::jsonb)
  from (select * from public.point_entries where account_id = p_account order by id desc limit p_limit) e
  join public.point_transfers t on t.id = e.transfer_id;
$$;

create or replace function private.wallet_json(p_user_id uuid)
returns jsonb
language sql
set search_path = ''
as $$
  select jsonb_build_object(
    'userId', p_user_id,
    'name', private.display_name(p_user_id),
    'balance', a.balance,
    'serviceMinutes', coalesce((select sum(minutes) from public.service_records
                                where volunteer_id = p_user_id and voided_at is null), 0),
    'serviceCount', (select count(*) from public.service_records where volunteer_id = p_user_id and voided_at is null),
    'entries', private.ledger_entries(a.id, 100))
  from public.point_accounts a where a.id = private.wallet_of(p_user_id);
$$;

create or replace function public.get_wallet(p_actor uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.require_user(p_actor);
  return private.wallet_json(p_actor);
end;
$$;
comment on function public.get_wallet(uuid) is 'Balance, official service hours and the history of points with reasons.';

create or replace function public.get_person_ledger(p_actor uuid, p_user_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_community uuid;
begin
  perform private.require_user(p_actor);
  select community_id into v_community from public.volunteer_profiles where user_id = p_user_id;
  if v_community is null or not private.is_staff_of(p_actor, v_community) then
    perform private.fail('not_found', '没有找到这位志愿者');
  end if;
  return private.wallet_json(p_user_id);
end;
$$;

create or replace function public.list_goods(p_actor uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_community uuid;
begin
  perform private.require_user(p_actor);
  select community_id into v_community from public.volunteer_profiles where user_id = p_actor and status = 'approved';
  if v_community is null then
    perform private.fail('forbidden', '本社区的志愿者才能兑换');
  end if;
  return coalesce((
    select jsonb_agg(private.goods_json(g) || jsonb_build_object('redeemedThisMonth', coalesce((
        select sum(quantity) from public.redemptions r
        where r.volunteer_id = p_actor and r.goods_id = g.id and r.status in ('reserved', 'picked_up')
          and r.created_at >= date_trunc('month', now() at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai'), 0))
      order by g.price_points, g.name)
    from public.goods g where g.community_id = v_community and g.status = 'active'), '[]'::jsonb);
end;
$$;

create or replace function public.list_my_redemptions(p_actor uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_user(p_actor);
  return coalesce((
    select jsonb_agg(private.redemption_json(r, true) order by (r.status = 'reserved') desc, r.created_at desc)
    from (select * from public.redemptions where volunteer_id = p_actor order by created_at desc limit 100) r),
    '[]'::jsonb);
end;
$$;

create or replace function public.list_community_goods(p_actor uuid, p_community_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_user(p_actor);
  perform private.require_staff_of(p_actor, p_community_id);
  return coalesce((select jsonb_agg(private.goods_json(g) order by g.status, g.name)
                   from public.goods g where g.community_id = p_community_id), '[]'::jsonb);
end;
$$;

create or replace function public.list_community_redemptions(p_actor uuid, p_community_id uuid, p_status text default null)
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
    select jsonb_agg(private.redemption_json(r, false) order by r.created_at desc)
    from (select * from public.redemptions
          where community_id = p_community_id and (p_status is null or status::text = p_status)
          order by created_at desc limit 200) r), '[]'::jsonb);
end;
$$;

create or replace function public.list_community_volunteers(p_actor uuid, p_community_id uuid)
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
    select jsonb_agg(jsonb_build_object(
        'id', v.user_id, 'name', v.real_name, 'phone', private.mask_phone(v.phone), 'status', v.status,
        'balance', coalesce((select balance from public.point_accounts a where a.user_id = v.user_id and a.kind = 'wallet'), 0))
      order by v.real_name)
    from public.volunteer_profiles v where v.community_id = p_community_id), '[]'::jsonb);
end;
$$;

-- The scheduled work, safe to run at once from two places: due rows are claimed
-- with skip locked and moved only if still due. The clock is a parameter for tests.
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
begin
  for v_order in
    select * from public.orders
    where status = 'completed' and completed_at <= p_now - interval '48 hours'
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
  return jsonb_build_object('autoConfirmed', v_confirmed, 'expiredRedemptions', v_expired);
end;
$$;
comment on function public.tick(timestamptz) is 'Scheduled work (cron): auto-confirm services after 48 h, expire pickups after 7 days.';

revoke execute on all functions in schema public from public, anon, authenticated;
revoke execute on all functions in schema private from public, anon, authenticated;
grant execute on function
  public.save_goods(uuid, jsonb, text),
  public.add_stock(uuid, uuid, integer, text, text),
  public.redeem_goods(uuid, uuid, integer, text),
  public.cancel_redemption(uuid, uuid, text),
  public.pick_up_redemption(uuid, uuid, text, text),
  public.adjust_points(uuid, uuid, integer, text, text),
  public.reverse_transfer(uuid, bigint, text, text),
  public.get_wallet(uuid),
  public.get_person_ledger(uuid, uuid),
  public.list_goods(uuid),
  public.list_my_redemptions(uuid),
  public.list_community_goods(uuid, uuid),
  public.list_community_redemptions(uuid, uuid, text),
  public.list_community_volunteers(uuid, uuid),
  public.tick(timestamptz)
to service_role;
