import type { OrderView, Project } from '@llb/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { expectAppError } from '../support/expect-app-error';
import { SEED } from '../support/ids';
import {
  checkIn,
  checkOut,
  createVolunteers,
  key,
  placeOrder,
  presenceCode,
  publishProject,
} from '../support/orders';

let t: TestDatabase;
let project: Project;
beforeAll(async () => {
  t = await createTestDatabase();
  project = await publishProject(t.db, { maxMinutes: 90 });
});
afterAll(() => t.close());

// 阳光小区 3 栋, and points about 110 m and 330 m north of it.
const HOME = { latitude: 31.2304, longitude: 121.4737 };
const NEAR = { latitude: 31.2314, longitude: 121.4737 };
const FAR = { latitude: 31.2334, longitude: 121.4737 };

async function acceptedOrder(options: { startInMinutes?: number; located?: boolean } = {}) {
  const [volunteer] = (await createVolunteers(t.admin, 1, { prefix: '签到' })) as [string];
  const order = await placeOrder(t.db, project.id, {
    startInMinutes: options.startInMinutes ?? 40,
    input: options.located ? HOME : {},
  });
  await t.db.rpc('accept_order', { p_actor: volunteer, p_order_id: order.id, p_key: key() });
  return { order, volunteer };
}

const byLocation = (orderId: string, volunteer: string, at: { latitude: number; longitude: number }) =>
  t.db.rpc<OrderView | { error: { code: string; message: string } }>('check_in', {
    p_actor: volunteer,
    p_order_id: orderId,
    p_proof: { method: 'location', ...at },
    p_key: key(),
  });

describe('check-in proves presence', () => {
  it('accepts the code on the resident’s phone, and the one just before it', async () => {
    const { order, volunteer } = await acceptedOrder();
    const { rows } = await t.admin.query(
      `select private.presence_code(presence_secret, private.presence_step(now()) - 1) as code
       from public.orders where id = $1`,
      [order.id],
    );
    const result = (await checkIn(t.db, order.id, volunteer, rows[0].code)) as OrderView;
    expect(result.status).toBe('in_service');
  });

  it('refuses a wrong code without moving the order, and locks guessing out after five', async () => {
    const { order, volunteer } = await acceptedOrder();
    const right = await presenceCode(t.db, order.id);
    const wrong = right === '000000' ? '000001' : '000000';
    for (let i = 0; i < 5; i++) {
      expect(await checkIn(t.db, order.id, volunteer, wrong)).toEqual({
        error: { code: 'presence_failed', message: '验证码不对或已过期，请让居民刷新后再读一遍' },
      });
    }
    await expectAppError(checkIn(t.db, order.id, volunteer, right), 'rate_limited', /10 分钟/);
    const { rows } = await t.admin.query(
      'select status, presence_failures from public.orders where id = $1',
      [order.id],
    );
    expect(rows[0]).toEqual({ status: 'accepted', presence_failures: 5 });
  });

  it('accepts a location within 200 m and names the distance when farther', async () => {
    const { order, volunteer } = await acceptedOrder({ located: true });
    expect(await byLocation(order.id, volunteer, FAR)).toEqual({
      error: { code: 'presence_failed', message: '您离服务地址约 334 米，要在 200 米以内才能签到' },
    });
    expect(((await byLocation(order.id, volunteer, NEAR)) as OrderView).status).toBe('in_service');
    const { rows } = await t.admin.query(
      "select latitude, detail from public.order_events where order_id = $1 and action = 'check_in'",
      [order.id],
    );
    expect(rows[0]).toEqual({ latitude: NEAR.latitude, detail: { method: 'location' } });
  });

  it('needs the code when the order has no location', async () => {
    const { order, volunteer } = await acceptedOrder();
    expect(await byLocation(order.id, volunteer, HOME)).toMatchObject({
      error: { message: '这个订单没有登记位置，请用居民手机上的验证码' },
    });
  });

  it('is not possible long before the booked time', async () => {
    const { order, volunteer } = await acceptedOrder({ startInMinutes: 180 });
    await expectAppError(
      checkIn(t.db, order.id, volunteer, await presenceCode(t.db, order.id)),
      'presence_failed',
      /一小时/,
    );
  });

  it('is only for the volunteer of the order', async () => {
    const { order } = await acceptedOrder();
    await expectAppError(
      checkIn(t.db, order.id, SEED.volunteerLi, await presenceCode(t.db, order.id)),
      'forbidden',
      /不是您接的订单/,
    );
  });
});

describe('check-out', () => {
  it('counts the minutes between check-in and check-out, capped by the project’s maximum', async () => {
    const { order, volunteer } = await acceptedOrder();
    await checkIn(t.db, order.id, volunteer, await presenceCode(t.db, order.id));
    await t.admin.query("update public.orders set checked_in_at = now() - interval '3 hours' where id = $1", [
      order.id,
    ]);
    const done = (await checkOut(t.db, order.id, volunteer, await presenceCode(t.db, order.id))) as OrderView;
    expect(done).toMatchObject({ status: 'completed', serviceMinutes: 90 });
  });

  it('counts real minutes under the cap', async () => {
    const { order, volunteer } = await acceptedOrder();
    await checkIn(t.db, order.id, volunteer, await presenceCode(t.db, order.id));
    await t.admin.query(
      "update public.orders set checked_in_at = now() - interval '47 minutes 30 seconds' where id = $1",
      [order.id],
    );
    const done = (await checkOut(t.db, order.id, volunteer, await presenceCode(t.db, order.id))) as OrderView;
    expect(done.serviceMinutes).toBe(48);
  });
});
