import type { Me } from '@llb/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { expectAppError } from '../support/expect-app-error';
import { SEED } from '../support/ids';
import {
  checkIn,
  checkOut,
  createResidents,
  createVolunteers,
  grantPoints,
  HOLDS,
  key,
  ledgerInvariants,
  placeOrder,
  publishProject,
  stockedGoods,
} from '../support/orders';

let t: TestDatabase;
let projectId: string;
beforeAll(async () => {
  t = await createTestDatabase();
  projectId = (await publishProject(t.db)).id;
});
afterAll(() => t.close());

const deleteAccount = (actor: string) =>
  t.db.rpc<{ deleted: boolean }>('delete_account', { p_actor: actor, p_key: key() });

/** A resident and a volunteer with unique names and numbers, and one confirmed service between them. */
async function servedPair(tag: string) {
  const [resident] = (await createResidents(t.admin, 1)) as [string];
  const [volunteer] = (await createVolunteers(t.admin, 1)) as [string];
  const who = {
    resident,
    volunteer,
    residentPhone: `1391234${tag}`,
    residentName: `注销居民${tag}`,
    address: `注销小区${tag}号楼1单元101`,
    volunteerPhone: `1398765${tag}`,
    volunteerName: `注销志愿${tag}`,
  };
  await t.admin.query(
    'update public.users set phone = $2, real_name = $3, nickname = $3, address = $4 where id = $1',
    [resident, who.residentPhone, who.residentName, who.address],
  );
  await t.admin.query('update public.users set phone = $2, real_name = $3, nickname = $3 where id = $1', [
    volunteer,
    who.volunteerPhone,
    who.volunteerName,
  ]);
  await t.admin.query('update public.volunteer_profiles set phone = $2, real_name = $3 where user_id = $1', [
    volunteer,
    who.volunteerPhone,
    who.volunteerName,
  ]);
  const order = await placeOrder(t.db, projectId, {
    resident,
    input: { latitude: 31.2, longitude: 121.4, notes: `找${who.residentName}` },
  });
  await t.db.rpc('accept_order', { p_actor: volunteer, p_order_id: order.id, p_key: key() });
  // Staff read the full contact: logged in personal_data_access_log.
  await t.db.rpc('get_order', { p_actor: SEED.staffZhang, p_order_id: order.id });
  await checkIn(t, order.id, volunteer);
  await checkOut(t, order.id, volunteer, { minutes: 60 });
  await t.db.rpc('confirm_order', {
    p_actor: resident,
    p_order_id: order.id,
    p_rating: 3,
    p_tags: [],
    p_comment: '',
    p_key: key(),
  });
  return { ...who, orderId: order.id };
}

/** Every row of every table in public whose text holds `needle`, as `table: count`. */
async function tablesHolding(needle: string): Promise<Record<string, number>> {
  const { rows } = await t.admin.query<{ tablename: string }>(
    "select tablename from pg_tables where schemaname = 'public' order by tablename",
  );
  const found: Record<string, number> = {};
  for (const { tablename } of rows) {
    const { rows: hits } = await t.admin.query(
      `select count(*)::int as n from public.${tablename} x where x::text like '%' || $1 || '%'`,
      [needle],
    );
    if (hits[0].n > 0) found[tablename] = hits[0].n;
  }
  return found;
}

describe('delete_account (注销)', () => {
  it('refuses while the person has an order in progress, as resident or as volunteer', async () => {
    const [resident] = (await createResidents(t.admin, 1)) as [string];
    const [volunteer] = (await createVolunteers(t.admin, 1)) as [string];
    const order = await placeOrder(t.db, projectId, { resident });
    await expectAppError(deleteAccount(resident), 'conflict', /进行中的订单/);
    await t.db.rpc('accept_order', { p_actor: volunteer, p_order_id: order.id, p_key: key() });
    await expectAppError(deleteAccount(volunteer), 'conflict', /进行中的订单/);
    await t.db.rpc('cancel_order', { p_actor: resident, p_order_id: order.id, p_reason: '', p_key: key() });
    expect(await deleteAccount(volunteer)).toMatchObject({ deleted: true });
    expect(await deleteAccount(resident)).toMatchObject({ deleted: true });
  });

  it('refuses while a redemption waits to be picked up', async () => {
    const [volunteer] = (await createVolunteers(t.admin, 1)) as [string];
    await grantPoints(t.db, volunteer, 50);
    const goods = await stockedGoods(t.db);
    await t.db.rpc('redeem_goods', { p_actor: volunteer, p_goods_id: goods.id, p_quantity: 1, p_key: key() });
    await expectAppError(deleteAccount(volunteer), 'conflict', /没有领取/);
  });

  it('erases name, phone and address everywhere, keeping the ledger and service records whole', async () => {
    const who = await servedPair('0001');
    const before = await t.admin.query(
      'select s.minutes, s.volunteer_id, a.balance::int as balance from public.service_records s join public.point_accounts a on a.user_id = s.volunteer_id where s.order_id = $1',
      [who.orderId],
    );
    expect(before.rows[0].balance).toBeGreaterThan(0);
    for (const needle of [who.residentPhone, who.volunteerPhone, who.address]) {
      expect(Object.keys(await tablesHolding(needle)).length).toBeGreaterThan(0);
    }

    await deleteAccount(who.resident);
    await deleteAccount(who.volunteer);

    for (const needle of [
      who.residentPhone,
      who.residentName,
      who.address,
      who.volunteerPhone,
      who.volunteerName,
    ]) {
      expect({ needle, tables: await tablesHolding(needle) }).toEqual({ needle, tables: {} });
    }
    expect(await ledgerInvariants(t.admin)).toEqual(HOLDS);
    const after = await t.admin.query(
      'select s.minutes, s.volunteer_id, a.balance::int as balance from public.service_records s join public.point_accounts a on a.user_id = s.volunteer_id where s.order_id = $1',
      [who.orderId],
    );
    expect(after.rows).toEqual(before.rows);
    const { rows } = await t.admin.query(
      `select o.status, o.contact_phone, o.address, o.latitude, u.nickname, u.real_name, u.phone, u.deleted_at is not null as deleted
       from public.orders o join public.users u on u.id = o.resident_id where o.id = $1`,
      [who.orderId],
    );
    expect(rows[0]).toMatchObject({
      status: 'confirmed',
      contact_phone: '139****0001',
      address: '注销小区***',
      latitude: null,
      nickname: '已注销用户',
      real_name: null,
      phone: null,
      deleted: true,
    });
    const log = await t.admin.query(
      'select count(*)::int as n from public.personal_data_access_log where subject_id = $1',
      [who.resident],
    );
    expect(log.rows[0].n).toBeGreaterThan(0);
    const record = await t.admin.query('select erased from public.account_deletions where user_id = $1', [
      who.resident,
    ]);
    expect(record.rows[0].erased).toMatchObject({ orders: 1 });
  });

  it('ends the session: every function refuses the deleted person, and a resend answers the same', async () => {
    const [resident] = (await createResidents(t.admin, 1)) as [string];
    expect((await t.db.rpc<Me>('get_me', { p_actor: resident })).id).toBe(resident);
    const first = await deleteAccount(resident);
    await expectAppError(t.db.rpc('get_me', { p_actor: resident }), 'unauthorized', /重新登录/);
    await expectAppError(placeOrder(t.db, projectId, { resident }), 'unauthorized', /重新登录/);
    expect(await deleteAccount(resident)).toEqual(first);
    const roles = await t.admin.query('select count(*)::int as n from public.user_roles where user_id = $1', [
      resident,
    ]);
    expect(roles.rows[0].n).toBe(0);
  });

  it('frees the WeChat identity and demo key: logging in again makes a new, empty account', async () => {
    const { rows } = await t.admin.query("select id from public.users where demo_key = 'resident-chen'");
    const old = rows[0].id as string;
    await deleteAccount(old);
    const again = await t.admin.query(
      "select count(*)::int as n from public.users where demo_key = 'resident-chen'",
    );
    expect(again.rows[0].n).toBe(0);
    await t.admin.query("update public.users set wechat_openid = 'o-leaving' where id = $1", [
      SEED.volunteerZhou,
    ]);
    await deleteAccount(SEED.volunteerZhou);
    const { userId } = await t.db.rpc<{ userId: string }>('login_wechat', { p_openid: 'o-leaving' });
    expect(userId).not.toBe(SEED.volunteerZhou);
  });
});

describe('what deletion leaves alone', () => {
  it('keeps a namesake’s messages and everyone else’s resend keys', async () => {
    const [leaver, namesake] = (await createVolunteers(t.admin, 2)) as [string, string];
    await t.admin.query(
      "update public.users set real_name = '同名人', nickname = '同名人' where id = any($1)",
      [[leaver, namesake]],
    );
    await t.admin.query("update public.volunteer_profiles set real_name = '同名人' where user_id = any($1)", [
      [leaver, namesake],
    ]);
    const order = await placeOrder(t.db, projectId, { startInMinutes: 60 * 26 });
    await t.db.rpc('accept_order', { p_actor: namesake, p_order_id: order.id, p_key: key() });
    const { rows: before } = await t.admin.query<{ body: string }>(
      "select body from public.notifications where event = 'order_accepted' and data->>'orderId' = $1",
      [order.id],
    );
    expect(before[0]?.body).toContain('同名人');
    const { rows: keysBefore } = await t.admin.query(
      'select count(*)::int as n from public.idempotency_keys',
    );

    await deleteAccount(leaver);

    const { rows: after } = await t.admin.query<{ body: string }>(
      "select body from public.notifications where event = 'order_accepted' and data->>'orderId' = $1",
      [order.id],
    );
    expect(after[0]?.body).toBe(before[0]?.body);
    const { rows: keysAfter } = await t.admin.query('select count(*)::int as n from public.idempotency_keys');
    // Only the leaver's own key (the deletion's) is gone; nobody else's.
    expect(keysAfter[0].n).toBeGreaterThanOrEqual(keysBefore[0].n);
  });
});
