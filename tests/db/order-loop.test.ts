import type { OrderView, Project, VolunteerSummary } from '@llb/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const getOrder = (actor: string, id: string) =>
  t.db.rpc<OrderView>('get_order', { p_actor: actor, p_order_id: id });

describe('the whole loop: 点单 → 接单 → 服务 → 评单', () => {
  it('runs from order to rating, with a timeline and blind aggregate', async () => {
    const placed = await placeOrder(t.db, project.id);
    expect(placed).toMatchObject({
      status: 'open',
      address: '阳光小区3栋2单元501',
      contactPhone: '13812341234',
    });

    await t.db.rpc('accept_order', { p_actor: SEED.volunteerLi, p_order_id: placed.id, p_key: key() });
    await checkIn(t, placed.id, SEED.volunteerLi);
    const done = await checkOut(t, placed.id, SEED.volunteerLi, { minutes: 50 });
    expect(done).toMatchObject({
      status: 'completed',
      serviceMinutes: 50,
      reviewStatus: null,
      pointsNote: null,
    });

    await t.db.rpc('confirm_order', {
      p_actor: SEED.residentWang,
      p_order_id: placed.id,
      p_rating: 3,
      p_tags: ['耐心', '准时'],
      p_comment: '小李很耐心',
      p_key: key(),
    });

    const seenByResident = await getOrder(SEED.residentWang, placed.id);
    expect(seenByResident).toMatchObject({ status: 'confirmed', rating: 3, ratingTags: ['耐心', '准时'] });
    expect(seenByResident.timeline?.map((e) => [e.action, e.actorRole, e.toStatus])).toEqual([
      ['create', 'resident', 'open'],
      ['accept', 'volunteer', 'accepted'],
      ['check_in', 'volunteer', 'in_service'],
      ['check_out', 'volunteer', 'completed'],
      ['confirm', 'resident', 'confirmed'],
    ]);

    const seenByVolunteer = await getOrder(SEED.volunteerLi, placed.id);
    expect(seenByVolunteer).toMatchObject({ rating: null, ratingComment: null, ratingTags: null });
    const summary = await t.db.rpc<VolunteerSummary>('get_volunteer_summary', { p_actor: SEED.volunteerLi });
    // One rating is never shown on its own (blind: shown from policy.ratingMinShown settled ratings).
    expect(summary).toMatchObject({ completedOrders: 1, ratings: null });
    expect(JSON.stringify(summary)).not.toContain(placed.id);
  });
});

describe('ordering', () => {
  it('records who ordered and who is served when staff order for a resident who phoned (代下单)', async () => {
    const order = await placeOrder(t.db, project.id, { actor: SEED.staffZhang, resident: MORE.residentChen });
    const { rows } = await t.admin.query('select resident_id, ordered_by from public.orders where id = $1', [
      order.id,
    ]);
    expect(rows[0]).toEqual({ resident_id: MORE.residentChen, ordered_by: SEED.staffZhang });
    expect(order.proxy).toBe(true);
    expect((await getOrder(MORE.residentChen, order.id)).timeline?.[0]).toMatchObject({
      action: 'create',
      actorRole: 'staff',
      detail: { proxy: true },
    });
  });

  it('refuses ordering for someone else to a resident, and to staff of another community', async () => {
    await expectAppError(
      placeOrder(t.db, project.id, { actor: SEED.residentWang, resident: MORE.residentChen }),
      'forbidden',
    );
    await expectAppError(
      placeOrder(t.db, project.id, { actor: SEED.staffWu, resident: MORE.residentChen }),
      'forbidden',
    );
  });

  it('replays a resent order instead of placing it twice', async () => {
    const args = {
      p_actor: SEED.residentWang,
      p_key: key(),
      p_input: {
        projectId: project.id,
        windowStart: new Date(Date.now() + 3_600_000).toISOString(),
        windowEnd: new Date(Date.now() + 7_200_000).toISOString(),
      },
    };
    const first = await t.db.rpc<OrderView>('place_order', args);
    const again = await t.db.rpc<OrderView>('place_order', args);
    expect(again).toEqual(first);
    await expectAppError(
      t.db.rpc('place_order', { ...args, p_input: { ...args.p_input, notes: '换了内容' } }),
      'idempotency_reused',
    );
    const { rows } = await t.admin.query('select count(*)::int as n from public.orders where id = $1', [
      first.id,
    ]);
    expect(rows[0].n).toBe(1);
  });

  it('refuses a project outside the resident’s community (as not found), a paused project, and a time in the past', async () => {
    await expectAppError(placeOrder(t.db, project.id, { resident: MORE.residentLiu }), 'not_found');
    await expectAppError(
      placeOrder(t.db, project.id, { startInMinutes: -60 }),
      'invalid_input',
      /30 分钟以后/,
    );
    const paused = await publishProject(t.db, { title: '暂停的项目' });
    await t.db.rpc('change_project_status', {
      p_actor: SEED.staffZhang,
      p_project_id: paused.id,
      p_action: 'pause',
      p_key: key(),
    });
    await expectAppError(placeOrder(t.db, paused.id), 'project_unavailable', /暂停/);
  });

  it('lets the resident cancel before service starts, and not after', async () => {
    const open = await placeOrder(t.db, project.id, { startInMinutes: 400 });
    const cancelled = await t.db.rpc<OrderView>('cancel_order', {
      p_actor: SEED.residentWang,
      p_order_id: open.id,
      p_reason: '孩子回来了',
      p_key: key(),
    });
    expect(cancelled.status).toBe('cancelled');

    const [volunteer] = await createVolunteers(t.admin, 1, { prefix: '取消测试' });
    const started = await placeOrder(t.db, project.id, { startInMinutes: 45 });
    await t.db.rpc('accept_order', { p_actor: volunteer, p_order_id: started.id, p_key: key() });
    await checkIn(t, started.id, volunteer as string);
    await expectAppError(
      t.db.rpc('cancel_order', {
        p_actor: SEED.residentWang,
        p_order_id: started.id,
        p_reason: '',
        p_key: key(),
      }),
      'illegal_transition',
      /不能取消/,
    );
  });
});

describe('who may take an order', () => {
  it('refuses a volunteer of another community, one without the skill, and one not yet approved', async () => {
    const order = await placeOrder(t.db, project.id, { startInMinutes: 1000 });
    const accept = (volunteer: string) =>
      t.db.rpc('accept_order', { p_actor: volunteer, p_order_id: order.id, p_key: key() });
    await expectAppError(accept(MORE.volunteerSun), 'not_qualified', /服务社区/);
    await expectAppError(accept(SEED.volunteerZhou), 'not_qualified', /审核通过/);
    await expectAppError(accept(SEED.residentWang), 'not_qualified', /审核通过/);

    const repair = await publishProject(t.db, {
      title: '修电视',
      category: 'appliance_repair',
      requiredSkills: ['repair'],
    });
    const repairOrder = await placeOrder(t.db, repair.id, { startInMinutes: 1000 });
    await expectAppError(
      t.db.rpc('accept_order', { p_actor: SEED.volunteerLi, p_order_id: repairOrder.id, p_key: key() }),
      'not_qualified',
      /专长/,
    );
  });

  it('refuses a second task at an overlapping time', async () => {
    const first = await placeOrder(t.db, project.id, { startInMinutes: 2000 });
    const second = await placeOrder(t.db, project.id, { startInMinutes: 2060, resident: MORE.residentChen });
    await t.db.rpc('accept_order', { p_actor: SEED.volunteerLi, p_order_id: first.id, p_key: key() });
    await expectAppError(
      t.db.rpc('accept_order', { p_actor: SEED.volunteerLi, p_order_id: second.id, p_key: key() }),
      'schedule_conflict',
    );
  });

  it('refuses a resident acting on someone else’s order, without telling them it exists', async () => {
    const order = await placeOrder(t.db, project.id, { startInMinutes: 3000 });
    await expectAppError(
      t.db.rpc('cancel_order', {
        p_actor: MORE.residentChen,
        p_order_id: order.id,
        p_reason: '',
        p_key: key(),
      }),
      'not_found',
      /没有找到这个订单/,
    );
    const { rows } = await t.admin.query('select status from public.orders where id = $1', [order.id]);
    expect(rows[0].status).toBe('open');
    await expectAppError(
      t.db.rpc('get_order', { p_actor: MORE.residentChen, p_order_id: order.id }),
      'not_found',
    );
    await expectAppError(
      t.db.rpc('get_presence_code', { p_actor: MORE.residentChen, p_order_id: order.id }),
      'not_found',
    );
  });

  it('lets the volunteer hand an order back before it starts, and staff assign it by hand', async () => {
    const order = await placeOrder(t.db, project.id, { startInMinutes: 4000 });
    await t.db.rpc('accept_order', { p_actor: SEED.volunteerLi, p_order_id: order.id, p_key: key() });
    const released = await t.db.rpc<OrderView>('release_order', {
      p_actor: SEED.volunteerLi,
      p_order_id: order.id,
      p_reason: '临时有事',
      p_key: key(),
    });
    expect(released).toMatchObject({ status: 'open', volunteerId: null });

    const candidates = await t.db.rpc<{ id: string }[]>('list_assignable_volunteers', {
      p_actor: SEED.staffZhang,
      p_order_id: order.id,
    });
    expect(candidates.map((c) => c.id)).toContain(MORE.volunteerZhao);
    await expectAppError(
      t.db.rpc('assign_order', {
        p_actor: SEED.staffWu,
        p_order_id: order.id,
        p_volunteer_id: MORE.volunteerZhao,
        p_key: key(),
      }),
      'forbidden',
    );
    const assigned = await t.db.rpc<OrderView>('assign_order', {
      p_actor: SEED.staffZhang,
      p_order_id: order.id,
      p_volunteer_id: MORE.volunteerZhao,
      p_key: key(),
    });
    expect(assigned).toMatchObject({ status: 'accepted', volunteerId: MORE.volunteerZhao });
    const timeline = (await getOrder(SEED.staffZhang, order.id)).timeline?.map((e) => e.action);
    expect(timeline).toEqual(['create', 'accept', 'release', 'assign']);
  });
});

describe('privacy', () => {
  it('shows the volunteer full contact only from acceptance to check-out', async () => {
    const order = await placeOrder(t.db, project.id, { startInMinutes: 45 });
    const hall = await t.db.rpc<OrderView[]>('list_task_hall', { p_actor: MORE.volunteerZhao });
    const inHall = hall.find((o) => o.id === order.id);
    expect(inHall).toMatchObject({
      address: '阳光小区***',
      contactPhone: '138****1234',
      contactVisible: false,
    });

    await t.db.rpc('accept_order', { p_actor: MORE.volunteerZhao, p_order_id: order.id, p_key: key() });
    expect(await getOrder(MORE.volunteerZhao, order.id)).toMatchObject({
      address: '阳光小区3栋2单元501',
      contactPhone: '13812341234',
    });
    await checkIn(t, order.id, MORE.volunteerZhao);
    expect(await getOrder(MORE.volunteerZhao, order.id)).toMatchObject({
      address: '阳光小区3栋2单元501',
      contactPhone: '13812341234',
    });
    await checkOut(t, order.id, MORE.volunteerZhao);
    expect(await getOrder(MORE.volunteerZhao, order.id)).toMatchObject({
      address: '阳光小区***',
      contactPhone: '138****1234',
    });
  });

  it('logs staff reading a resident’s contact details, and masks lists', async () => {
    const order = await placeOrder(t.db, project.id, { startInMinutes: 5000 });
    const list = await t.db.rpc<OrderView[]>('list_community_orders', {
      p_actor: SEED.staffZhang,
      p_community_id: SEED.sunshine,
    });
    expect(list.find((o) => o.id === order.id)?.contactPhone).toBe('138****1234');
    const before = await t.admin.query('select count(*)::int as n from public.personal_data_access_log');
    expect((await getOrder(SEED.staffZhang, order.id)).contactPhone).toBe('13812341234');
    const { rows } = await t.admin.query(
      'select viewer_id, subject_id, fields from public.personal_data_access_log where order_id = $1',
      [order.id],
    );
    expect(rows).toEqual([
      { viewer_id: SEED.staffZhang, subject_id: SEED.residentWang, fields: ['address', 'contact_phone'] },
    ]);
    const after = await t.admin.query('select count(*)::int as n from public.personal_data_access_log');
    expect(after.rows[0].n).toBe(before.rows[0].n + 1);
  });
});
