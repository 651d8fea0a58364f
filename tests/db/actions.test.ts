import type { OrderAction, OrderView, Project } from '@llb/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { expectAppError } from '../support/expect-app-error';
import { MORE, SEED } from '../support/ids';
import {
  checkIn,
  checkOut,
  createResidents,
  createVolunteers,
  grantPoints,
  key,
  moveWindow,
  placeOrder,
  presenceCode,
  publishProject,
  serviceLasted,
  stockedGoods,
} from '../support/orders';

// Views carry what the viewer may do (`actions`); the write functions must allow
// exactly that. For each status along the loop: the exact list each viewer sees,
// then every step the state machine has from that status, tried by every viewer.

let t: TestDatabase;
let project: Project;
beforeAll(async () => {
  t = await createTestDatabase();
  project = await publishProject(t.db);
});
afterAll(() => t.close());

type Status =
  | 'open'
  | 'accepted'
  | 'in_service'
  | 'completed'
  | 'confirmed'
  | 'disputed'
  | 'cancelled'
  | 'voided';
type Viewer = 'resident' | 'volunteer' | 'staff';

interface Subject {
  id: string;
  resident: string;
  /** The order's volunteer; for an open order, a volunteer who may take it (a candidate). */
  volunteer: string;
}

const rate = (o: Subject) =>
  t.db.rpc('confirm_order', {
    p_actor: o.resident,
    p_order_id: o.id,
    p_rating: 2,
    p_tags: [],
    p_comment: '',
    p_key: key(),
  });

/** A fresh order driven into `status` through the real functions, check-in open when accepted. */
async function orderIn(status: Status): Promise<Subject> {
  const [volunteer] = (await createVolunteers(t.admin, 1, { prefix: '动作' })) as [string];
  const [resident] = (await createResidents(t.admin, 1)) as [string];
  const { id } = await placeOrder(t.db, project.id, { resident, startInMinutes: 300 });
  const o = { id, volunteer, resident };
  if (status === 'open') return o;
  if (status === 'cancelled') {
    await t.db.rpc('cancel_order', { p_actor: resident, p_order_id: id, p_reason: '', p_key: key() });
    return o;
  }
  await t.db.rpc('accept_order', { p_actor: volunteer, p_order_id: id, p_key: key() });
  await moveWindow(t, id, 5);
  if (status === 'accepted') return o;
  await checkIn(t, id, volunteer);
  if (status === 'in_service') return o;
  await checkOut(t, id, volunteer);
  if (status === 'completed') return o;
  if (status === 'confirmed') {
    await rate(o);
    return o;
  }
  await t.db.rpc('dispute_order', { p_actor: resident, p_order_id: id, p_reason: '没来', p_key: key() });
  if (status === 'disputed') return o;
  await t.db.rpc('resolve_dispute', {
    p_actor: SEED.staffZhang,
    p_order_id: id,
    p_outcome: 'void',
    p_note: '核实未服务',
    p_key: key(),
  });
  return o;
}

const actor = (o: Subject, viewer: Viewer) =>
  viewer === 'resident' ? o.resident : viewer === 'volunteer' ? o.volunteer : SEED.staffZhang;
const view = (o: Subject, viewer: Viewer) =>
  t.db.rpc<OrderView>('get_order', { p_actor: actor(o, viewer), p_order_id: o.id });

/** The write behind an action, sent by `who` as the app would send it. */
async function write(action: OrderAction, o: Subject, who: string): Promise<unknown> {
  const base = { p_actor: who, p_order_id: o.id, p_key: key() };
  switch (action) {
    case 'accept':
      return t.db.rpc('accept_order', base);
    case 'assign': {
      const [other] = (await createVolunteers(t.admin, 1, { prefix: '指派' })) as [string];
      return t.db.rpc('assign_order', { ...base, p_volunteer_id: other });
    }
    case 'release':
      return t.db.rpc('release_order', { ...base, p_reason: '临时有事' });
    case 'check_in':
    case 'check_out': {
      if (action === 'check_out') await serviceLasted(t, o.id, 60);
      const code = await presenceCode(t.db, o.id, o.resident);
      const result = await t.db.rpc<{ error?: unknown }>(action, {
        ...base,
        p_proof: { method: 'code', code },
      });
      if (result.error) throw new Error(JSON.stringify(result.error));
      return result;
    }
    case 'confirm':
      return t.db.rpc('confirm_order', { ...base, p_rating: 3, p_tags: [], p_comment: '' });
    case 'dispute':
      return t.db.rpc('dispute_order', { ...base, p_reason: '没有来' });
    case 'uphold':
    case 'void':
      return t.db.rpc('resolve_dispute', {
        ...base,
        p_order_id: o.id,
        p_outcome: action,
        p_note: '核实',
      });
    case 'cancel':
      return t.db.rpc('cancel_order', { ...base, p_reason: '' });
    case 'review_service':
      return t.db.rpc('review_service', { ...base, p_outcome: 'approve', p_note: '' });
  }
}

// What each viewer sees, in the order the page shows them.
// null: the order is none of their business (never theirs, no longer open to take).
const EXPECTED: Record<Status, Record<Viewer, OrderAction[] | null>> = {
  open: { resident: ['cancel'], volunteer: ['accept'], staff: ['assign', 'cancel'] },
  accepted: {
    resident: ['show_presence_code', 'cancel'],
    volunteer: ['check_in', 'release'],
    staff: ['staff_check_in', 'release', 'cancel'],
  },
  in_service: { resident: ['show_presence_code'], volunteer: ['check_out'], staff: ['staff_check_out'] },
  completed: { resident: ['confirm', 'dispute'], volunteer: [], staff: [] },
  confirmed: { resident: ['dispute'], volunteer: [], staff: [] },
  disputed: { resident: [], volunteer: [], staff: ['uphold', 'void'] },
  cancelled: { resident: [], volunteer: null, staff: [] },
  voided: { resident: [], volunteer: [], staff: [] },
};

// The steps the state machine has from each status (anything else is refused by the machine itself).
const STEPS: Record<Status, OrderAction[]> = {
  open: ['accept', 'assign', 'cancel'],
  accepted: ['check_in', 'release', 'cancel'],
  in_service: ['check_out'],
  completed: ['confirm', 'dispute'],
  confirmed: ['dispute'],
  disputed: ['uphold', 'void'],
  cancelled: ['cancel', 'accept'],
  voided: ['dispute', 'uphold'],
};

const STATUSES = Object.keys(EXPECTED) as Status[];
const VIEWERS: Viewer[] = ['resident', 'volunteer', 'staff'];

describe('order actions', () => {
  it.each(STATUSES)('at %s: each viewer sees exactly what they may do', async (status) => {
    const o = await orderIn(status);
    for (const viewer of VIEWERS) {
      if (EXPECTED[status][viewer] === null) {
        await expectAppError(view(o, viewer), 'not_found');
        continue;
      }
      const seen = await view(o, viewer);
      expect(seen.status).toBe(status);
      expect(seen.actions, `${viewer} at ${status}`).toEqual(EXPECTED[status][viewer]);
      if (status === 'open' && viewer === 'volunteer') expect(seen.viewerKind).toBe('candidate');
    }
    // The resident's phone shows the presence code exactly while the page offers it.
    const code = await t.db.rpc('get_presence_code', { p_actor: o.resident, p_order_id: o.id }).then(
      () => true,
      () => false,
    );
    expect(code, `presence code at ${status}`).toBe(
      EXPECTED[status].resident?.includes('show_presence_code'),
    );
    // Staff of another community, and volunteers who may not take it, don't see it at all.
    await expectAppError(t.db.rpc('get_order', { p_actor: SEED.staffWu, p_order_id: o.id }), 'not_found');
    await expectAppError(
      t.db.rpc('get_order', { p_actor: MORE.volunteerSun, p_order_id: o.id }),
      'not_found',
    );
  });

  it.each(STATUSES)(
    'at %s: a write succeeds exactly when its action is in the viewer’s list',
    async (status) => {
      for (const action of STEPS[status]) {
        for (const viewer of VIEWERS) {
          const o = await orderIn(status);
          const allowed = await view(o, viewer).then(
            (v) => v.actions.includes(action),
            () => false,
          );
          const outcome = await write(action, o, actor(o, viewer)).then(
            () => 'done',
            (e: Error & { code?: string }) => e.code ?? e.message,
          );
          const { rows } = await t.admin.query('select status from public.orders where id = $1', [o.id]);
          if (allowed) {
            expect(outcome, `${viewer} ${action} at ${status}`).toBe('done');
            expect(rows[0].status, `${viewer} ${action} at ${status}`).not.toBe(status);
          } else {
            expect(
              ['forbidden', 'not_found', 'illegal_transition', 'not_qualified', 'order_taken'],
              `${viewer} ${action} at ${status} (${outcome})`,
            ).toContain(outcome);
            expect(rows[0].status, `${viewer} ${action} at ${status}`).toBe(status);
          }
        }
      }
    },
  );

  it('offers accept to a candidate only while nobody else holds an offer', async () => {
    const o = await orderIn('open');
    const [other] = (await createVolunteers(t.admin, 1, { prefix: '派单' })) as [string];
    await t.db.rpc('make_offers', {
      p_order_id: o.id,
      p_offers: [{ volunteerId: other, score: 0.9 }],
      p_now: new Date().toISOString(),
    });
    expect((await view(o, 'volunteer')).actions).toEqual([]);
    await expectAppError(write('accept', o, o.volunteer) as Promise<unknown>, 'order_taken');
    const offered = await t.db.rpc<OrderView>('get_order', { p_actor: other, p_order_id: o.id });
    expect(offered.actions).toEqual(['accept']);
    expect(await write('accept', o, other)).toMatchObject({ status: 'accepted', volunteerId: other });
  });

  it('lets staff decide a service held for review, and nobody else', async () => {
    const o = await orderIn('in_service');
    await checkOut(t, o.id, o.volunteer, { minutes: 5 });
    expect((await view(o, 'staff')).actions).toEqual(['review_service']);
    expect((await view(o, 'resident')).actions).toEqual(['confirm', 'dispute']);
    expect((await view(o, 'volunteer')).actions).toEqual([]);
    await expectAppError(write('review_service', o, o.volunteer) as Promise<unknown>, 'forbidden');
    expect(await write('review_service', o, SEED.staffZhang)).toMatchObject({ reviewStatus: 'approved' });
    expect((await view(o, 'staff')).actions).toEqual([]);
  });

  it('lets the resident dispute a confirmed order within 7 days of confirming, and not after', async () => {
    const o = await orderIn('confirmed');
    await t.admin.query(
      "update public.orders set confirmed_at = now() - interval '6 days 23 hours' where id = $1",
      [o.id],
    );
    expect((await view(o, 'resident')).actions).toEqual(['dispute']);
    expect(await write('dispute', o, o.resident)).toMatchObject({ status: 'disputed' });

    const late = await orderIn('confirmed');
    await t.admin.query(
      "update public.orders set confirmed_at = now() - interval '7 days 1 minute' where id = $1",
      [late.id],
    );
    expect((await view(late, 'resident')).actions).toEqual([]);
    await expectAppError(
      write('dispute', late, late.resident) as Promise<unknown>,
      'illegal_transition',
      /7 天/,
    );
    const { rows } = await t.admin.query('select status from public.orders where id = $1', [late.id]);
    expect(rows[0].status).toBe('confirmed');
  });
});

describe('project and redemption actions', () => {
  it('staff move a project along its states; a resident it serves may order it', async () => {
    const staffList = async (id: string) =>
      (
        await t.db.rpc<Project[]>('list_projects', {
          p_actor: SEED.staffZhang,
          p_community_id: SEED.sunshine,
        })
      ).find((p) => p.id === id)?.actions;
    expect(project.actions).toEqual(['edit', 'archive', 'pause']);
    expect(await staffList(project.id)).toEqual(['edit', 'archive', 'pause']);
    const menu = await t.db.rpc<Project[]>('list_menu', { p_actor: SEED.residentWang });
    expect(menu.find((p) => p.id === project.id)?.actions).toEqual(['order']);
    // 代下单: staff see the menu of the resident they order for, with the resident's actions.
    const forResident = await t.db.rpc<Project[]>('list_menu', {
      p_actor: SEED.staffZhang,
      p_resident_id: MORE.residentChen,
    });
    expect(forResident.find((p) => p.id === project.id)?.actions).toEqual(['order']);
    await expectAppError(
      t.db.rpc('list_menu', { p_actor: SEED.staffWu, p_resident_id: MORE.residentChen }),
      'forbidden',
    );
    const paused = await t.db.rpc<Project>('change_project_status', {
      p_actor: SEED.staffZhang,
      p_project_id: project.id,
      p_action: 'pause',
      p_key: key(),
    });
    expect(paused.actions).toEqual(['edit', 'archive', 'publish']);
    const after = await t.db.rpc<Project[]>('list_menu', { p_actor: SEED.residentWang });
    expect(after.map((p) => p.id)).not.toContain(project.id);
    await t.db.rpc('change_project_status', {
      p_actor: SEED.staffZhang,
      p_project_id: project.id,
      p_action: 'publish',
      p_key: key(),
    });
  });

  it('the volunteer may cancel a reservation, staff may hand it over', async () => {
    const goods = await stockedGoods(t.db, { stock: 5, price: 10 });
    await grantPoints(t.db, SEED.volunteerLi, 50);
    const redemption = await t.db.rpc<{ id: string; actions: string[]; pickupCode: string }>('redeem_goods', {
      p_actor: SEED.volunteerLi,
      p_goods_id: goods.id,
      p_quantity: 1,
      p_key: key(),
    });
    expect(redemption.actions).toEqual(['cancel']);
    expect(redemption).not.toHaveProperty('payload');
    const mine = await t.db.rpc<{ id: string; actions: string[] }[]>('list_my_redemptions', {
      p_actor: SEED.volunteerLi,
    });
    expect(mine.find((r) => r.id === redemption.id)?.actions).toEqual(['cancel']);
    const desk = await t.db.rpc<{ id: string; actions: string[] }[]>('list_community_redemptions', {
      p_actor: SEED.staffZhang,
      p_community_id: SEED.sunshine,
    });
    expect(desk.find((r) => r.id === redemption.id)?.actions).toEqual(['pick_up']);
    await t.db.rpc('cancel_redemption', {
      p_actor: SEED.volunteerLi,
      p_redemption_id: redemption.id,
      p_key: key(),
    });
    const after = await t.db.rpc<{ id: string; actions: string[] }[]>('list_my_redemptions', {
      p_actor: SEED.volunteerLi,
    });
    expect(after.find((r) => r.id === redemption.id)?.actions).toEqual([]);
  });
});
