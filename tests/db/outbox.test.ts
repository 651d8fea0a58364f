// The outbox: every event that should tell someone writes its notifications in
// its own transaction, once per event and recipient; the inbox reads them.
import type { InboxView, OrderView, Project, UnreadView } from '@llb/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTick } from '../../functions/src/use-cases/run-tick';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { expectAppError } from '../support/expect-app-error';
import { MORE, SEED } from '../support/ids';
import { checkIn, checkOut, createVolunteers, key, placeOrder, publishProject } from '../support/orders';

let t: TestDatabase;
let project: Project;
beforeAll(async () => {
  t = await createTestDatabase();
  project = await publishProject(t.db);
});
afterAll(() => t.close());

interface Row {
  recipient_id: string;
  event: string;
  title: string;
  body: string;
  page: string | null;
}
const notes = async (orderId: string) =>
  (
    await t.admin.query<Row>(
      `select recipient_id, event, title, body, page from public.notifications
       where data->>'orderId' = $1 or event_key like '%' || $1 || '%' order by id`,
      [orderId],
    )
  ).rows;
const deliveries = async (orderId: string) =>
  (
    await t.admin.query<{ recipient_id: string; event: string; channel: string; address: string }>(
      `select n.recipient_id, n.event, d.channel, d.address from public.notification_deliveries d
       join public.notifications n on n.id = d.notification_id
       where n.event_key like '%' || $1 || '%' order by d.id`,
      [orderId],
    )
  ).rows;
// Each order on a day of its own, so one volunteer's accepts neither overlap nor reach their daily cap.
let day = 0;
const nextDay = () => 40 + 1440 * ++day;
const accept = (orderId: string, volunteer: string = SEED.volunteerLi, k = key()) =>
  t.db.rpc<OrderView>('accept_order', { p_actor: volunteer, p_order_id: orderId, p_key: k });

describe('events notify in their own transaction', () => {
  it('tells the resident who is coming when a volunteer accepts, once however often the accept is resent', async () => {
    const order = await placeOrder(t.db, project.id, { startInMinutes: nextDay() });
    const k = key();
    await accept(order.id, SEED.volunteerLi, k);
    await accept(order.id, SEED.volunteerLi, k);
    const rows = await notes(order.id);
    expect(rows).toEqual([
      {
        recipient_id: SEED.residentWang,
        event: 'order_accepted',
        title: '已有志愿者接单',
        body: expect.stringMatching(/^李明 将于 \d+月\d+日 \d\d:\d\d 上门：手机使用上门教学$/),
        page: `/pages/order-detail/index?id=${order.id}`,
      },
    ]);
  });

  it('leaves no notification when the event is rolled back', async () => {
    const order = await placeOrder(t.db, project.id, { startInMinutes: nextDay() });
    const client = await t.admin.connect();
    try {
      await client.query('begin');
      await client.query('set local role service_role');
      await client.query('select public.accept_order($1, $2, $3)', [SEED.volunteerLi, order.id, key()]);
      await client.query('reset role');
      const inside = await client.query(
        'select count(*)::int as n from public.notifications where event_key like $1',
        [`%${order.id}%`],
      );
      expect(inside.rows[0].n).toBe(1);
    } finally {
      await client.query('rollback');
      client.release();
    }
    expect(await notes(order.id)).toEqual([]);
  });

  it('follows the loop: arrived and done to the resident, with the pages they open', async () => {
    const order = await placeOrder(t.db, project.id, { startInMinutes: nextDay() });
    await accept(order.id);
    await checkIn(t, order.id, SEED.volunteerLi);
    await checkOut(t, order.id, SEED.volunteerLi);
    expect((await notes(order.id)).map((n) => [n.recipient_id, n.event])).toEqual([
      [SEED.residentWang, 'order_accepted'],
      [SEED.residentWang, 'volunteer_arrived'],
      [SEED.residentWang, 'service_done'],
    ]);
  });

  it('tells the volunteer of a cancelled task, and the resident when the volunteer hands it back', async () => {
    const released = await placeOrder(t.db, project.id, { startInMinutes: nextDay() });
    await accept(released.id);
    await t.db.rpc('release_order', {
      p_actor: SEED.volunteerLi,
      p_order_id: released.id,
      p_reason: '临时有事',
      p_key: key(),
    });
    expect((await notes(released.id)).map((n) => [n.recipient_id, n.event])).toEqual([
      [SEED.residentWang, 'order_accepted'],
      [SEED.residentWang, 'order_released'],
    ]);
    const cancelled = await placeOrder(t.db, project.id, { startInMinutes: nextDay() });
    await accept(cancelled.id);
    await t.db.rpc('cancel_order', {
      p_actor: SEED.residentWang,
      p_order_id: cancelled.id,
      p_reason: '不需要了',
      p_key: key(),
    });
    expect((await notes(cancelled.id)).at(-1)).toMatchObject({
      recipient_id: SEED.volunteerLi,
      event: 'order_cancelled',
      page: `/volunteer/pages/task/index?id=${cancelled.id}`,
    });
  });

  it('tells both the served resident and the staff member who placed a 代下单 order, and texts the resident', async () => {
    const order = await placeOrder(t.db, project.id, {
      actor: SEED.staffZhang,
      resident: MORE.residentChen,
      startInMinutes: nextDay(),
    });
    await accept(order.id);
    const rows = await notes(order.id);
    expect(rows.map((n) => [n.recipient_id, n.event, n.page])).toEqual([
      [MORE.residentChen, 'order_accepted', `/pages/order-detail/index?id=${order.id}`],
      [SEED.staffZhang, 'order_accepted', `/staff/pages/order/index?id=${order.id}`],
    ]);
    const { rows: phone } = await t.admin.query<{ contact_phone: string }>(
      'select contact_phone from public.orders where id = $1',
      [order.id],
    );
    expect(await deliveries(order.id)).toEqual([
      {
        recipient_id: MORE.residentChen,
        event: 'order_accepted',
        channel: 'sms',
        address: phone[0]?.contact_phone,
      },
    ]);
  });

  it('adds a WeChat delivery for people who logged in with WeChat', async () => {
    await t.admin.query(`update public.users set wechat_openid = 'openid-wang' where id = $1`, [
      SEED.residentWang,
    ]);
    try {
      const order = await placeOrder(t.db, project.id, { startInMinutes: nextDay() });
      await accept(order.id);
      expect(await deliveries(order.id)).toEqual([
        {
          recipient_id: SEED.residentWang,
          event: 'order_accepted',
          channel: 'wechat',
          address: 'openid-wang',
        },
      ]);
    } finally {
      await t.admin.query('update public.users set wechat_openid = null where id = $1', [SEED.residentWang]);
    }
  });

  it('offers reach the volunteer, with the minutes they have to answer', async () => {
    const order = await placeOrder(t.db, project.id, { startInMinutes: nextDay() });
    // A volunteer with no weekly slots (flexible): make_offers offers only those dispatch would.
    const [flexible] = (await createVolunteers(t.admin, 1, { prefix: '消息' })) as [string];
    await t.db.rpc('make_offers', {
      p_order_id: order.id,
      p_offers: [{ volunteerId: flexible, score: 1 }],
      p_now: new Date().toISOString(),
    });
    const [offer] = await notes(order.id);
    expect(offer).toMatchObject({
      recipient_id: flexible,
      event: 'offer_made',
      title: '新任务：手机使用上门教学',
      body: expect.stringContaining('请在 15 分钟内答复'),
      page: '/volunteer/pages/offers/index',
    });
  });
});

describe('reminders from the tick', () => {
  it('asks for a rating after rate_reminder_hours, once, and tells the community’s staff of overdue orders', async () => {
    const done = await placeOrder(t.db, project.id, { startInMinutes: nextDay() });
    await accept(done.id);
    await checkIn(t, done.id, SEED.volunteerLi);
    await checkOut(t, done.id, SEED.volunteerLi);
    const overdue = await placeOrder(t.db, project.id, { startInMinutes: 60 * 30 });
    const later = new Date(Date.now() + 25 * 3_600_000);
    await runTick(t.db, later);
    await runTick(t.db, later);
    expect((await notes(done.id)).filter((n) => n.event === 'rate_reminder')).toHaveLength(1);
    expect(
      (await notes(overdue.id)).filter((n) => n.event === 'order_overdue').map((n) => n.recipient_id),
    ).toEqual([SEED.staffZhang]);
  });
});

describe('the inbox', () => {
  it('lists one’s own messages newest first, counts the unread and marks them read', async () => {
    const order = await placeOrder(t.db, project.id, {
      resident: MORE.residentChen,
      startInMinutes: nextDay(),
    });
    await accept(order.id);
    await t.db.rpc('release_order', {
      p_actor: SEED.volunteerLi,
      p_order_id: order.id,
      p_reason: '',
      p_key: key(),
    });
    const inbox = await t.db.rpc<InboxView>('list_inbox', { p_actor: MORE.residentChen });
    const mine = inbox.items.filter((n) => n.page?.includes(order.id));
    expect(mine.map((n) => n.event)).toEqual(['order_released', 'order_accepted']);
    expect(inbox.unread).toBeGreaterThanOrEqual(2);

    const first = mine[1]?.id as number;
    const afterOne = await t.db.rpc<UnreadView>('mark_read', {
      p_actor: MORE.residentChen,
      p_id: first,
      p_key: key(),
    });
    expect(afterOne.unread).toBe(inbox.unread - 1);
    await expectAppError(
      t.db.rpc('mark_read', { p_actor: SEED.residentWang, p_id: first, p_key: key() }),
      'not_found',
    );
    const all = await t.db.rpc<UnreadView>('mark_read', {
      p_actor: MORE.residentChen,
      p_id: null,
      p_key: key(),
    });
    expect(all.unread).toBe(0);
    expect(await t.db.rpc<UnreadView>('count_unread', { p_actor: MORE.residentChen })).toEqual({ unread: 0 });
  });
});
