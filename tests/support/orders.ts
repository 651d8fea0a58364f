import { randomUUID } from 'node:crypto';
import type { OrderView, Project } from '@llb/shared';
import type pg from 'pg';
import type { Db } from '../../functions/src/db/port';
import { SEED } from './ids';

export const key = (): string => randomUUID();

const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

/** A published 智慧助老 visit project of 阳光社区 needing the smartphone skill, saved and published by staff. */
export async function publishProject(db: Db, overrides: Record<string, unknown> = {}): Promise<Project> {
  const draft = await db.rpc<Project>('save_project', {
    p_actor: SEED.staffZhang,
    p_key: key(),
    p_input: {
      communityId: SEED.sunshine,
      title: '手机使用上门教学',
      category: 'smart_elderly',
      description: '教老人用微信视频、扫码、线上挂号',
      requiredSkills: ['smartphone'],
      pointsPerHour: 10,
      expectedMinutes: 60,
      maxMinutes: 120,
      serviceCommunityIds: [SEED.sunshine],
      responseHours: 24,
      locationNote: '上门服务',
      ...overrides,
    },
  });
  return db.rpc<Project>('change_project_status', {
    p_actor: SEED.staffZhang,
    p_project_id: draft.id,
    p_action: 'publish',
    p_key: key(),
  });
}

/** An open order by 王秀英 (or `resident`), starting `startInMinutes` from now, for two hours. */
export function placeOrder(
  db: Db,
  projectId: string,
  options: {
    resident?: string;
    actor?: string;
    startInMinutes?: number;
    input?: Record<string, unknown>;
  } = {},
): Promise<OrderView> {
  const start = options.startInMinutes ?? 40;
  return db.rpc<OrderView>('place_order', {
    p_actor: options.actor ?? options.resident ?? SEED.residentWang,
    p_key: key(),
    p_input: {
      projectId,
      windowStart: minutesFromNow(start),
      windowEnd: minutesFromNow(start + 120),
      notes: '想学视频通话',
      ...(options.resident && options.actor && options.actor !== options.resident
        ? { residentId: options.resident }
        : {}),
      ...options.input,
    },
  });
}

/** The code the resident's phone shows right now, read the way the resident's app reads it. */
export async function presenceCode(
  db: Db,
  orderId: string,
  resident: string = SEED.residentWang,
): Promise<string> {
  return (await db.rpc<{ code: string }>('get_presence_code', { p_actor: resident, p_order_id: orderId }))
    .code;
}

export type PresenceResult = OrderView | { error: { code: string; message: string } };

/** The test database as the helpers below need it: the API's rpc port and a superuser pool. */
export interface TestDb {
  db: Db;
  admin: pg.Pool;
}

/** A check-in or check-out by code exactly as the volunteer's app sends it; a wrong code answers `{ error }`. */
export const presenceByCode = (
  db: Db,
  action: 'check_in' | 'check_out',
  orderId: string,
  volunteer: string,
  code: string,
) =>
  db.rpc<PresenceResult>(action, {
    p_actor: volunteer,
    p_order_id: orderId,
    p_proof: { method: 'code', code },
    p_key: key(),
  });

/**
 * Moves an order's booked window (keeping its length) to start `inMinutes` from now.
 * With the default 5 minutes, check-in is open (policy check_in_lead_minutes).
 */
export async function moveWindow(t: TestDb, orderId: string, inMinutes = 5): Promise<void> {
  await t.admin.query(
    `update public.orders set window_start = now() + $2 * interval '1 minute',
       window_end = now() + $2 * interval '1 minute' + (window_end - window_start)
     where id = $1`,
    [orderId, inMinutes],
  );
}

/**
 * The service began `minutes` ago: moves the check-in back, so a check-out right
 * after records exactly that many minutes (they are rounded up, hence the 30 s
 * margin) and the resident's current code is newer than the check-in (a check-out
 * needs a code issued after it; codes change every 2 minutes, so use 3 or more).
 */
export async function serviceLasted(t: TestDb, orderId: string, minutes: number): Promise<void> {
  await t.admin.query(
    `update public.orders set checked_in_at = now() - $2 * interval '1 minute' + interval '30 seconds'
     where id = $1`,
    [orderId, minutes],
  );
}

async function servedResident(t: TestDb, orderId: string): Promise<string> {
  const { rows } = await t.admin.query('select resident_id from public.orders where id = $1', [orderId]);
  return rows[0].resident_id;
}

function succeeded(result: PresenceResult, action: string): OrderView {
  if ('error' in result) throw new Error(`${action} failed: ${result.error.message}`);
  return result;
}

/**
 * The volunteer checks in with the code on the served resident's phone. An order
 * booked too far ahead for check-in is moved to start in 5 minutes first (tests
 * about the timing of check-in call presenceByCode themselves). Fails loudly on
 * a refused code.
 */
export async function checkIn(t: TestDb, orderId: string, volunteer: string): Promise<OrderView> {
  await t.admin.query(
    `update public.orders set window_start = now() + interval '5 minutes',
       window_end = now() + interval '5 minutes' + (window_end - window_start)
     where id = $1 and window_start - make_interval(mins => private.policy('check_in_lead_minutes')) > now()`,
    [orderId],
  );
  const code = await presenceCode(t.db, orderId, await servedResident(t, orderId));
  return succeeded(await presenceByCode(t.db, 'check_in', orderId, volunteer, code), 'check_in');
}

/**
 * The volunteer checks out after a service of `minutes` (default 60, above the default
 * minimum of 15, so not held for review), with the code the resident's phone shows now.
 * Fails loudly on a refused code.
 */
export async function checkOut(
  t: TestDb,
  orderId: string,
  volunteer: string,
  options: { minutes?: number } = {},
): Promise<OrderView> {
  await serviceLasted(t, orderId, options.minutes ?? 60);
  const code = await presenceCode(t.db, orderId, await servedResident(t, orderId));
  return succeeded(await presenceByCode(t.db, 'check_out', orderId, volunteer, code), 'check_out');
}

/** Approved volunteers of a community with the given skills, made directly in the database. */
export async function createVolunteers(
  admin: pg.Pool,
  count: number,
  options: { community?: string; skills?: string[]; prefix?: string } = {},
): Promise<string[]> {
  const community = options.community ?? SEED.sunshine;
  const { rows } = await admin.query<{ id: string }>(
    `insert into public.users (nickname, real_name, phone)
     select $2 || n, $2 || n, '1350000' || lpad(n::text, 4, '0') from generate_series(1, $1) n
     returning id`,
    [count, options.prefix ?? '志愿者'],
  );
  const ids = rows.map((r) => r.id);
  await admin.query(
    `insert into public.volunteer_profiles (user_id, community_id, real_name, phone, status, reviewed_by, reviewed_at)
     select u.id, $2, u.real_name, u.phone, 'approved', $3, now() from public.users u where u.id = any($1::uuid[])`,
    [ids, community, SEED.staffZhang],
  );
  await admin.query(
    `insert into public.user_roles (user_id, role, community_id) select id, 'volunteer', $2 from unnest($1::uuid[]) id`,
    [ids, community],
  );
  await admin.query(
    `insert into public.volunteer_skills (user_id, skill_code) select id, s from unnest($1::uuid[]) id, unnest($2::text[]) s`,
    [ids, options.skills ?? ['smartphone']],
  );
  return ids;
}

/** Residents of a community with a phone and address, made directly in the database. */
export async function createResidents(
  admin: pg.Pool,
  count: number,
  community: string = SEED.sunshine,
): Promise<string[]> {
  const { rows } = await admin.query<{ id: string }>(
    `insert into public.users (nickname, real_name, phone, address)
     select '居民' || n, '居民' || n, '1360000' || lpad(n::text, 4, '0'), '阳光小区' || n || '栋101'
     from generate_series(1, $1) n
     returning id`,
    [count],
  );
  const ids = rows.map((r) => r.id);
  await admin.query(
    `insert into public.user_roles (user_id, role, community_id) select id, 'resident', $2 from unnest($1::uuid[]) id`,
    [ids, community],
  );
  return ids;
}

/** A goods item of a community with stock donated through the real function. */
export async function stockedGoods(
  db: Db,
  options: { stock?: number; price?: number; monthlyLimit?: number; community?: string; staff?: string } = {},
): Promise<{ id: string }> {
  const staff = options.staff ?? SEED.staffZhang;
  const goods = await db.rpc<{ id: string }>('save_goods', {
    p_actor: staff,
    p_key: key(),
    p_input: {
      communityId: options.community ?? SEED.sunshine,
      name: '测试物品',
      pricePoints: options.price ?? 10,
      monthlyLimit: options.monthlyLimit ?? 100,
    },
  });
  if ((options.stock ?? 10) > 0) {
    await db.rpc('add_stock', {
      p_actor: staff,
      p_goods_id: goods.id,
      p_quantity: options.stock ?? 10,
      p_note: '测试入库',
      p_key: key(),
    });
  }
  return goods;
}

/** Gives a volunteer points the way staff do, with a reason. */
export function grantPoints(db: Db, volunteer: string, amount: number, staff: string = SEED.staffZhang) {
  return db.rpc('adjust_points', {
    p_actor: staff,
    p_user_id: volunteer,
    p_amount: amount,
    p_reason: '测试发放',
    p_key: key(),
  });
}

/** What must always hold of the whole ledger, whatever happened (set-based, so it stays fast as data grows). */
export async function ledgerInvariants(admin: pg.Pool) {
  const { rows } = await admin.query(`
    with sums as (select account_id, sum(amount) as total from public.point_entries group by account_id),
         sides as (select transfer_id, sum(amount) as total, count(*) as n from public.point_entries group by transfer_id),
         stock as (select goods_id, sum(quantity) as total from public.stock_movements group by goods_id)
    select
      (select coalesce(sum(amount), 0)::bigint from public.point_entries) as entries_sum,
      -- Wallets and stores never below zero (a store's balance is the sum of its entries).
      (select count(*) from public.point_accounts a left join sums on sums.account_id = a.id
        where a.kind <> 'issuance' and coalesce(a.balance, sums.total, 0) < 0)::int as negative_accounts,
      (select count(*) from public.point_accounts a left join sums on sums.account_id = a.id
        where a.balance is not null and a.balance <> coalesce(sums.total, 0))::int as balances_off,
      (select count(*) from public.point_transfers t left join sides on sides.transfer_id = t.id
        where coalesce(sides.total, 1) <> 0 or coalesce(sides.n, 0) <> 2)::int as unbalanced_transfers,
      (select count(*) from public.goods g left join stock on stock.goods_id = g.id
        where g.stock <> coalesce(stock.total, 0))::int as stock_off`);
  return rows[0] as {
    entries_sum: string;
    negative_accounts: number;
    balances_off: number;
    unbalanced_transfers: number;
    stock_off: number;
  };
}

export const HOLDS = {
  entries_sum: '0',
  negative_accounts: 0,
  balances_off: 0,
  unbalanced_transfers: 0,
  stock_off: 0,
};
