import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTick } from '../../functions/src/use-cases/run-tick';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { expectAppError } from '../support/expect-app-error';
import { SEED } from '../support/ids';
import { createResidents, createVolunteers, key, placeOrder, publishProject } from '../support/orders';

// Each test has a community of its own, so its volunteers are the only candidates.
let t: TestDatabase;
let projectId: string;
beforeAll(async () => {
  t = await createTestDatabase();
  // These streets are small: without this every order would jump straight to the last
  // escalation step (escalation_scarce_candidates, tested on its own in dispatch.test.ts).
  await t.admin.query("update public.policies set value = 0 where key = 'escalation_scarce_candidates'");
});
afterAll(() => t.close());

const minutes = (m: number, from = Date.now()) => new Date(from + m * 60_000);

async function community(volunteerCount: number) {
  const { rows } = await t.admin.query(
    `insert into public.communities (street_id, name, latitude, longitude)
     values ($1, '派单' || gen_random_uuid(), 31.23, 121.47) returning id`,
    [SEED.street],
  );
  const id: string = rows[0].id;
  await t.admin.query(
    "insert into public.user_roles (user_id, role, community_id) values ($1, 'staff', $2)",
    [SEED.staffZhang, id],
  );
  const volunteers = await createVolunteers(t.admin, volunteerCount, { community: id, prefix: '派' });
  const [resident] = (await createResidents(t.admin, 1, id)) as [string];
  projectId = (await publishProject(t.db, { communityId: id, serviceCommunityIds: [id] })).id;
  return { id, volunteers, resident };
}

async function pendingOffers(orderId: string) {
  const { rows } = await t.admin.query<{ volunteer_id: string }>(
    "select volunteer_id from public.dispatch_offers where order_id = $1 and status = 'pending'",
    [orderId],
  );
  return rows.map((r) => r.volunteer_id);
}

/** Puts a volunteer nearer or farther (metres north of the community centre). */
async function place(volunteer: string, metresNorth: number) {
  await t.admin.query(
    'update public.volunteer_profiles set latitude = $2, longitude = 121.47 where user_id = $1',
    [volunteer, 31.23 + metresNorth / 111_000],
  );
}

describe('offers', () => {
  it('go to the best candidate, and move to the next when the window runs out', async () => {
    const c = await community(2);
    const [near, far] = c.volunteers as [string, string];
    await place(near, 100);
    await place(far, 2500);
    const order = await placeOrder(t.db, projectId, { resident: c.resident, startInMinutes: 300 });
    const start = Date.now();

    expect((await runTick(t.db, minutes(0, start))).offersMade).toBeGreaterThanOrEqual(1);
    expect(await pendingOffers(order.id)).toEqual([near]);
    await runTick(t.db, minutes(10, start));
    expect(await pendingOffers(order.id)).toEqual([near]);
    await runTick(t.db, minutes(16, start));
    expect(await pendingOffers(order.id)).toEqual([far]);
  });

  it('are never made twice for one order when two ticks run at once', async () => {
    const c = await community(5);
    const orders = await Promise.all(
      [0, 1, 2].map(() =>
        placeOrder(t.db, projectId, { resident: c.resident, startInMinutes: 400 + Math.random() * 600 }),
      ),
    );
    const now = new Date();
    await Promise.all([runTick(t.db, now), runTick(t.db, now), runTick(t.db, now)]);
    for (const order of orders) expect(await pendingOffers(order.id)).toHaveLength(1);
  });

  it('keep the order out of other volunteers’ hall and hands; the offered one accepts', async () => {
    const c = await community(2);
    const order = await placeOrder(t.db, projectId, { resident: c.resident, startInMinutes: 600 });
    await runTick(t.db);
    const [offered] = (await pendingOffers(order.id)) as [string];
    const other = c.volunteers.find((v) => v !== offered) as string;
    const hall = await t.db.rpc<{ id: string }[]>('list_task_hall', { p_actor: other });
    expect(hall.map((o) => o.id)).not.toContain(order.id);
    await expectAppError(
      t.db.rpc('accept_order', { p_actor: other, p_order_id: order.id, p_key: key() }),
      'order_taken',
      /正在派给其他志愿者/,
    );
    await t.db.rpc('accept_order', { p_actor: offered, p_order_id: order.id, p_key: key() });
    const { rows } = await t.admin.query('select status from public.dispatch_offers where order_id = $1', [
      order.id,
    ]);
    expect(rows.map((r) => r.status)).toEqual(['accepted']);
  });

  it('are not made again to a volunteer who declined', async () => {
    const c = await community(2);
    const order = await placeOrder(t.db, projectId, { resident: c.resident, startInMinutes: 900 });
    await runTick(t.db);
    const [first] = (await pendingOffers(order.id)) as [string];
    const offers = await t.db.rpc<{ offerId: string; id: string }[]>('list_my_offers', { p_actor: first });
    const offer = offers.find((o) => o.id === order.id);
    await t.db.rpc('decline_offer', {
      p_actor: first,
      p_offer_id: offer?.offerId,
      p_reason: '那天要上班',
      p_key: key(),
    });
    await runTick(t.db);
    const [second] = (await pendingOffers(order.id)) as [string];
    expect(second).not.toBe(first);
    await t.admin.query("update public.dispatch_offers set status = 'declined' where order_id = $1", [
      order.id,
    ]);
    await runTick(t.db);
    expect(await pendingOffers(order.id)).toEqual([]);
  });

  it('go to the resident’s paired volunteer first (结对帮扶)', async () => {
    const c = await community(3);
    const [near, , partner] = c.volunteers as [string, string, string];
    await place(near, 50);
    await place(partner, 2900);
    await t.db.rpc('pair_volunteer', {
      p_actor: SEED.staffZhang,
      p_resident_id: c.resident,
      p_volunteer_id: partner,
      p_key: key(),
    });
    const order = await placeOrder(t.db, projectId, { resident: c.resident, startInMinutes: 1000 });
    await runTick(t.db);
    expect(await pendingOffers(order.id)).toEqual([partner]);
  });
});

describe('escalation', () => {
  it('adds 5 bonus points every half hour up to 20, and widens to the street from the second step', async () => {
    const c = await community(0);
    const order = await placeOrder(t.db, projectId, { resident: c.resident, startInMinutes: 2000 });
    const { rows } = await t.admin.query('select created_at from public.orders where id = $1', [order.id]);
    const created = (rows[0].created_at as Date).getTime();
    const state = async () =>
      (
        await t.admin.query(
          'select escalation_level, bonus_points, widened from public.orders where id = $1',
          [order.id],
        )
      ).rows[0];
    await runTick(t.db, minutes(29, created));
    expect(await state()).toEqual({ escalation_level: 0, bonus_points: 0, widened: false });
    await runTick(t.db, minutes(31, created));
    expect(await state()).toEqual({ escalation_level: 1, bonus_points: 5, widened: false });
    await runTick(t.db, minutes(61, created));
    expect(await state()).toEqual({ escalation_level: 2, bonus_points: 10, widened: true });
    for (const m of [91, 121, 151, 300, 600]) await runTick(t.db, minutes(m, created));
    expect(await state()).toEqual({ escalation_level: 4, bonus_points: 20, widened: true });
  });

  it('jumps an order few volunteers could take straight to the last step, before offering it', async () => {
    await t.admin.query("update public.policies set value = 10 where key = 'escalation_scarce_candidates'");
    try {
      const c = await community(2);
      const order = await placeOrder(t.db, projectId, { resident: c.resident, startInMinutes: 2400 });
      const result = await runTick(t.db, new Date());
      expect(result.offersMade).toBeGreaterThanOrEqual(1);
      const { rows } = await t.admin.query(
        'select escalation_level, bonus_points, widened from public.orders where id = $1',
        [order.id],
      );
      expect(rows[0]).toEqual({ escalation_level: 4, bonus_points: 20, widened: true });
      // Once at the last step it never jumps again, and the steps add nothing more.
      await runTick(t.db, minutes(200));
      const again = await t.admin.query('select bonus_points from public.orders where id = $1', [order.id]);
      expect(again.rows[0].bonus_points).toBe(20);
    } finally {
      await t.admin.query("update public.policies set value = 0 where key = 'escalation_scarce_candidates'");
    }
  });

  it('makes no offer to a volunteer who may no longer take the order, so it is not held for nothing', async () => {
    const c = await community(1);
    const [volunteer] = c.volunteers as [string];
    const order = await placeOrder(t.db, projectId, { resident: c.resident, startInMinutes: 2600 });
    // Chosen from an earlier read, then suspended before the offer is made.
    await t.admin.query("update public.volunteer_profiles set status = 'suspended' where user_id = $1", [
      volunteer,
    ]);
    const made = await t.db.rpc<number>('make_offers', {
      p_order_id: order.id,
      p_offers: [{ volunteerId: volunteer, score: 1 }],
      p_now: new Date().toISOString(),
    });
    expect(made).toBe(0);
    expect(await pendingOffers(order.id)).toEqual([]);
  });

  it('credits the bonus with the service', async () => {
    const { rows } = await t.admin.query(
      'select private.service_points(60, 10, 2, 15) as with_bonus, private.service_points(60, 10, 2, 0) as without',
    );
    expect(rows[0]).toEqual({ with_bonus: '25', without: '10' });
  });
});
