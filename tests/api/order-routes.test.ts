import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, demoToken, sendAs } from '../support/api-app';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { MORE, SEED } from '../support/ids';
import { moveWindow, serviceLasted } from '../support/orders';

let t: TestDatabase;
let api: ReturnType<typeof buildTestApp>;
const tokens: Record<string, string> = {};
let projectId: string;
let orderId: string;

let send: ReturnType<typeof sendAs>;

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
const projectBody = {
  communityId: SEED.sunshine,
  title: '智能手机课',
  category: 'smart_elderly',
  requiredSkills: ['smartphone'],
  pointsPerHour: 10,
  expectedMinutes: 60,
  maxMinutes: 120,
  serviceCommunityIds: [SEED.sunshine],
  responseHours: 24,
};

beforeAll(async () => {
  t = await createTestDatabase();
  api = buildTestApp(t.db);
  for (const who of ['resident', 'volunteer', 'staff']) tokens[who] = await demoToken(api.call, who);
  send = sendAs(api.app, tokens);
});
afterAll(() => t.close());

describe('the loop over HTTP', () => {
  it('publishes, orders, accepts, checks in and out with the code, and rates', async () => {
    const created = await send('staff', 'POST', '/api/projects', projectBody);
    expect(created.status).toBe(200);
    projectId = created.body.id;
    expect(
      (await send('staff', 'POST', `/api/projects/${projectId}/status`, { action: 'publish' })).status,
    ).toBe(200);
    expect((await send('resident', 'GET', '/api/menu')).body.map((p: { id: string }) => p.id)).toContain(
      projectId,
    );

    const placed = await send('resident', 'POST', '/api/orders', {
      projectId,
      windowStart: inMinutes(40),
      windowEnd: inMinutes(160),
      notes: '学视频通话',
    });
    expect(placed.status).toBe(201);
    orderId = placed.body.id;

    const hall = await send('volunteer', 'GET', '/api/tasks/hall');
    expect(hall.body.map((o: { id: string }) => o.id)).toContain(orderId);
    expect((await send('volunteer', 'POST', `/api/orders/${orderId}/accept`)).body.status).toBe('accepted');

    // Check-in opens 15 minutes before the window; the check-out code must be newer than the check-in.
    await moveWindow(t, orderId, 5);
    for (const step of ['check-in', 'check-out']) {
      if (step === 'check-out') await serviceLasted(t, orderId, 60);
      const { body: presence } = await send('resident', 'GET', `/api/orders/${orderId}/presence-code`);
      expect(presence.code).toMatch(/^\d{6}$/);
      const moved = await send('volunteer', 'POST', `/api/orders/${orderId}/${step}`, {
        method: 'code',
        code: presence.code,
      });
      expect(moved.status).toBe(200);
      expect(moved.body.status).toBe(step === 'check-in' ? 'in_service' : 'completed');
    }
    const rated = await send('resident', 'POST', `/api/orders/${orderId}/confirm`, {
      rating: 3,
      tags: ['耐心'],
    });
    expect(rated.body).toMatchObject({ status: 'confirmed', rating: 3 });
    const summary = await send('volunteer', 'GET', '/api/volunteer/summary');
    // Blind: one rating is not shown on its own; the service is counted.
    expect(summary.body).toMatchObject({ completedOrders: 1, ratings: null });
  });

  it('answers a wrong check-in code with 400 and a Chinese message', async () => {
    const placed = await send('resident', 'POST', '/api/orders', {
      projectId,
      windowStart: inMinutes(300),
      windowEnd: inMinutes(400),
    });
    await send('volunteer', 'POST', `/api/orders/${placed.body.id}/accept`);
    const wrong = await send('volunteer', 'POST', `/api/orders/${placed.body.id}/check-in`, {
      method: 'code',
      code: '123456',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toMatch(/[一-龥]/);
  });

  it('lets staff review a service shorter than the project’s minimum', async () => {
    const placed = await send('resident', 'POST', '/api/orders', {
      projectId,
      windowStart: inMinutes(700),
      windowEnd: inMinutes(800),
    });
    const id = placed.body.id;
    await send('volunteer', 'POST', `/api/orders/${id}/accept`);
    await moveWindow(t, id, 5);
    const code = async () => (await send('resident', 'GET', `/api/orders/${id}/presence-code`)).body.code;
    await send('volunteer', 'POST', `/api/orders/${id}/check-in`, { method: 'code', code: await code() });
    await serviceLasted(t, id, 5);
    const done = await send('volunteer', 'POST', `/api/orders/${id}/check-out`, {
      method: 'code',
      code: await code(),
    });
    expect(done.body).toMatchObject({ status: 'completed', serviceMinutes: 5, reviewStatus: 'pending' });
    expect(done.body.pointsNote).toMatch(/核实后再计积分/);

    const unexplained = await send('staff', 'POST', `/api/orders/${id}/review`, { outcome: 'reject' });
    expect(unexplained.status).toBe(400);
    expect(unexplained.body.error.code).toBe('invalid_input');
    const rejected = await send('staff', 'POST', `/api/orders/${id}/review`, {
      outcome: 'reject',
      note: '居民说没来',
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      reviewStatus: 'rejected',
      pointsNote: '社区核实后，这次服务不计积分',
    });
    const again = await send('staff', 'POST', `/api/orders/${id}/review`, { outcome: 'approve' });
    expect(again.status).toBe(409);
    expect((await send('volunteer', 'POST', `/api/orders/${id}/review`, { outcome: 'approve' })).status).toBe(
      403,
    );
  });

  it('gives staff the menu of a resident they order for (代下单), and only of their community', async () => {
    const menu = await send('staff', 'GET', `/api/staff/residents/${MORE.residentChen}/menu`);
    expect(menu.status).toBe(200);
    expect(menu.body.find((p: { id: string }) => p.id === projectId)?.actions).toEqual(['order']);
    const other = await send('staff', 'GET', `/api/staff/residents/${MORE.residentLiu}/menu`);
    expect(other.status).toBe(403);
  });

  it('replays a resent write with the same Idempotency-Key', async () => {
    const headers = { 'idempotency-key': randomUUID() };
    const body = { projectId, windowStart: inMinutes(500), windowEnd: inMinutes(600) };
    const first = await send('resident', 'POST', '/api/orders', body, headers);
    const again = await send('resident', 'POST', '/api/orders', body, headers);
    expect(again.body.id).toBe(first.body.id);
  });
});

async function counts() {
  const { rows } = await t.admin.query(`select
    (select count(*) from public.orders)::int as orders,
    (select count(*) from public.order_events)::int as events,
    (select count(*) from public.projects)::int as projects,
    (select sum(version) from public.projects)::int as versions,
    (select count(*) from public.idempotency_keys)::int as keys`);
  return rows[0];
}

describe('bad input on every new route', () => {
  const cases: [string, string, string, () => string, unknown][] = [
    ['staff', 'POST', 'create project', () => '/api/projects', { ...projectBody, pointsPerHour: 0 }],
    ['staff', 'POST', 'create project', () => '/api/projects', { ...projectBody, title: '' }],
    ['staff', 'POST', 'create project', () => '/api/projects', { ...projectBody, maxMinutes: 30 }],
    ['staff', 'POST', 'create project', () => '/api/projects', { ...projectBody, category: 'karaoke' }],
    [
      'staff',
      'PUT',
      'edit project',
      () => `/api/projects/${projectId}`,
      { ...projectBody, serviceCommunityIds: [] },
    ],
    ['staff', 'PUT', 'edit project', () => '/api/projects/not-a-uuid', projectBody],
    ['staff', 'POST', 'project status', () => `/api/projects/${projectId}/status`, { action: 'delete' }],
    ['resident', 'POST', 'place order', () => '/api/orders', { projectId: 'x' }],
    [
      'resident',
      'POST',
      'place order',
      () => '/api/orders',
      { projectId, windowStart: inMinutes(100), windowEnd: inMinutes(50) },
    ],
    [
      'resident',
      'POST',
      'place order',
      () => '/api/orders',
      { projectId, windowStart: inMinutes(100), windowEnd: inMinutes(200), contactPhone: '12345' },
    ],
    [
      'resident',
      'POST',
      'place order',
      () => '/api/orders',
      { projectId, windowStart: inMinutes(-100), windowEnd: inMinutes(200) },
    ],
    ['resident', 'POST', 'cancel', () => `/api/orders/${orderId}/cancel`, { reason: 'x'.repeat(300) }],
    ['staff', 'POST', 'assign', () => `/api/orders/${orderId}/assign`, { volunteerId: 'li' }],
    [
      'volunteer',
      'POST',
      'check in',
      () => `/api/orders/${orderId}/check-in`,
      { method: 'code', code: '12' },
    ],
    ['volunteer', 'POST', 'check in', () => `/api/orders/${orderId}/check-in`, { method: 'teleport' }],
    ['volunteer', 'POST', 'check out', () => `/api/orders/${orderId}/check-out`, { method: 'location' }],
    ['resident', 'POST', 'confirm', () => `/api/orders/${orderId}/confirm`, { rating: 5 }],
    ['resident', 'POST', 'confirm', () => `/api/orders/${orderId}/confirm`, { rating: 3, tags: ['差劲'] }],
    ['resident', 'POST', 'dispute', () => `/api/orders/${orderId}/dispute`, { reason: '' }],
    ['staff', 'POST', 'resolve', () => `/api/orders/${orderId}/resolve`, { outcome: 'maybe', note: '核实' }],
    ['volunteer', 'POST', 'release', () => `/api/orders/${orderId}/release`, '{"reason":'],
    [
      'staff',
      'GET',
      'order filter',
      () => `/api/staff/communities/${SEED.sunshine}/orders?status=lost`,
      undefined,
    ],
    [
      'staff',
      'GET',
      'resident search',
      () => `/api/staff/communities/${SEED.sunshine}/residents?q=${'x'.repeat(30)}`,
      undefined,
    ],
  ];

  it.each(cases)(
    '%s %s (%s) answers 4xx in Chinese and changes nothing',
    async (who, method, _name, path, body) => {
      const before = await counts();
      const { status, body: reply } = await send(who, method, path(), body);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
      expect(reply.error.message).toMatch(/[一-龥]/);
      expect(await counts()).toEqual(before);
    },
  );

  it.each([
    ['POST', () => '/api/projects', projectBody],
    ['POST', () => `/api/orders/${orderId}/cancel`, {}],
  ])('%s without an Idempotency-Key answers 400 in Chinese', async (method, path, body) => {
    const before = await counts();
    const { status, body: reply } = await send('staff', method, path(), body, { 'idempotency-key': '' });
    expect(status).toBe(400);
    expect(reply.error.message).toBe('请求编号（Idempotency-Key）格式不正确');
    expect(await counts()).toEqual(before);
  });
});
