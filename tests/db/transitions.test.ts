import {
  ORDER_STATUSES,
  ORDER_TRANSITIONS,
  type OrderStatus,
  PROJECT_TRANSITIONS,
  REDEMPTION_TRANSITIONS,
  type Transitions,
} from '@llb/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { expectAppError } from '../support/expect-app-error';
import { MORE, SEED } from '../support/ids';
import {
  checkIn,
  checkOut,
  createResidents,
  createVolunteers,
  key,
  placeOrder,
  presenceCode,
  publishProject,
} from '../support/orders';

let t: TestDatabase;
let projectId: string;
beforeAll(async () => {
  t = await createTestDatabase();
  projectId = (await publishProject(t.db)).id;
});
afterAll(() => t.close());

function rows(machine: string, transitions: Transitions<string>): string[] {
  return Object.entries(transitions)
    .flatMap(([action, rule]) => rule.from.map((from) => `${machine} ${action} ${from} -> ${rule.to}`))
    .sort();
}

describe('the state machines', () => {
  it('are the same in SQL as in shared/', async () => {
    const { rows: sql } = await t.admin.query<{ line: string }>(
      `select machine || ' ' || action || ' ' || from_status || ' -> ' || to_status as line
       from public.status_transitions order by 1`,
    );
    const expected = [
      ...rows('order', ORDER_TRANSITIONS),
      ...rows('project', PROJECT_TRANSITIONS),
      ...rows('redemption', REDEMPTION_TRANSITIONS),
    ].sort();
    expect(sql.map((r) => r.line)).toEqual(expected);
  });

  it('cannot be bypassed by writing the status directly', async () => {
    const order = await placeOrder(t.db, projectId, { startInMinutes: 600 });
    await expect(
      t.admin.query("update public.orders set status = 'confirmed' where id = $1", [order.id]),
    ).rejects.toThrow('illegal_transition');
  });
});

/** Drives a fresh order into `status` through the real functions; each gets its own volunteer. */
interface Subject {
  id: string;
  volunteer: string;
  resident: string;
}

async function orderIn(status: OrderStatus): Promise<Subject> {
  const [volunteer] = (await createVolunteers(t.admin, 1, { prefix: status })) as [string];
  const [resident] = (await createResidents(t.admin, 1)) as [string];
  const { id } = await placeOrder(t.db, projectId, { startInMinutes: 40, resident });
  const done = { id, volunteer, resident };
  if (status === 'open') return done;
  if (status === 'cancelled') {
    await t.db.rpc('cancel_order', { p_actor: resident, p_order_id: id, p_reason: '', p_key: key() });
    return done;
  }
  await t.db.rpc('accept_order', { p_actor: volunteer, p_order_id: id, p_key: key() });
  if (status === 'accepted') return done;
  await checkIn(t, id, volunteer);
  if (status === 'in_service') return done;
  await checkOut(t, id, volunteer);
  if (status === 'completed') return done;
  if (status === 'confirmed') {
    await t.db.rpc('confirm_order', {
      p_actor: resident,
      p_order_id: id,
      p_rating: 2,
      p_tags: [],
      p_comment: '',
      p_key: key(),
    });
    return done;
  }
  await t.db.rpc('dispute_order', { p_actor: resident, p_order_id: id, p_reason: '没来', p_key: key() });
  if (status === 'disputed') return done;
  await t.db.rpc('resolve_dispute', {
    p_actor: SEED.staffZhang,
    p_order_id: id,
    p_outcome: 'void',
    p_note: '核实未服务',
    p_key: key(),
  });
  return done;
}

/** Each action as the person entitled to take it would send it. */
function attempt(action: string, order: Subject, code: string): Promise<unknown> {
  const base = { p_order_id: order.id, p_key: key() };
  switch (action) {
    case 'accept':
      return t.db.rpc('accept_order', { ...base, p_actor: MORE.volunteerZhao });
    case 'assign':
      return t.db.rpc('assign_order', {
        ...base,
        p_actor: SEED.staffZhang,
        p_volunteer_id: MORE.volunteerZhao,
      });
    case 'release':
      return t.db.rpc('release_order', { ...base, p_actor: SEED.staffZhang, p_reason: '' });
    case 'check_in':
    case 'check_out':
      return t.db.rpc(action, { ...base, p_actor: order.volunteer, p_proof: { method: 'code', code } });
    case 'confirm':
      return t.db.rpc('confirm_order', {
        ...base,
        p_actor: order.resident,
        p_rating: 3,
        p_tags: [],
        p_comment: '',
      });
    case 'dispute':
      return t.db.rpc('dispute_order', { ...base, p_actor: order.resident, p_reason: '没有来' });
    case 'uphold':
    case 'void':
      return t.db.rpc('resolve_dispute', {
        ...base,
        p_actor: SEED.staffZhang,
        p_outcome: action,
        p_note: '核实',
      });
    case 'cancel':
      return t.db.rpc('cancel_order', { ...base, p_actor: order.resident, p_reason: '' });
    default:
      throw new Error(`no function for ${action}`);
  }
}

describe('every illegal order transition', () => {
  const actions = Object.keys(ORDER_TRANSITIONS).filter((a) => a !== 'auto_confirm');

  it.each(ORDER_STATUSES)('is refused with a specific error from %s, and changes nothing', async (status) => {
    const refused = actions.filter(
      (a) =>
        !(ORDER_TRANSITIONS[a as keyof typeof ORDER_TRANSITIONS].from as readonly string[]).includes(status),
    );
    for (const action of refused) {
      const order = await orderIn(status);
      const volunteerOf = (
        await t.admin.query('select volunteer_id from public.orders where id = $1', [order.id])
      ).rows[0].volunteer_id;
      const code =
        status === 'accepted' || status === 'in_service'
          ? await presenceCode(t.db, order.id, order.resident)
          : '000000';
      // Who is refused for what: taking someone else's order is order_taken; a volunteer acting
      // on an order that is not theirs is forbidden; everything else is illegal_transition.
      const expected =
        action === 'accept' && volunteerOf
          ? 'order_taken'
          : (action === 'check_in' || action === 'check_out') && !volunteerOf
            ? 'forbidden'
            : 'illegal_transition';
      const error = await expectAppError(attempt(action, order, code), expected);
      expect(error.message, `${action} from ${status}`).not.toBe('');
      const after = await t.admin.query('select status from public.orders where id = $1', [order.id]);
      expect(after.rows[0].status, `${action} from ${status}`).toBe(status);
    }
  });
});
