import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, demoToken, sendAs } from '../support/api-app';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { SEED } from '../support/ids';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

const homeOf = async (userId: string) =>
  (
    await t.admin.query(
      "select community_id, grid_id from public.user_roles where user_id = $1 and role = 'resident'",
      [userId],
    )
  ).rows[0];

describe('GET /api/me', () => {
  it("returns the logged-in person's profile, roles and community", async () => {
    const { call } = buildTestApp(t.db);
    const { status, body } = await call('GET', '/api/me', { token: await demoToken(call, 'resident') });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: SEED.residentWang,
      name: '王秀英',
      elderMode: true,
      home: { communityName: '阳光社区', servicePhone: '021-55501234' },
      roles: [{ role: 'resident', scopeName: '阳光社区' }],
    });
  });
});

describe('PUT /api/me/preferences', () => {
  it('turns 长辈模式 off and on, and refuses anything but true or false', async () => {
    const { app, call } = buildTestApp(t.db);
    const token = await demoToken(call, 'resident-chen');
    const send = sendAs(app, { chen: token });
    expect((await send('chen', 'PUT', '/api/me/preferences', { elderMode: false })).status).toBe(200);
    expect((await call('GET', '/api/me', { token })).body.elderMode).toBe(false);
    const bad = await send('chen', 'PUT', '/api/me/preferences', { elderMode: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('请选择打开或关闭长辈模式');
    expect((await call('GET', '/api/me', { token })).body.elderMode).toBe(false);
  });

  it('takes an Idempotency-Key like every write: none is a 400 that changes nothing, a resend replays', async () => {
    const { app, call } = buildTestApp(t.db);
    const token = await demoToken(call, 'resident-liu');
    const before = (await call('GET', '/api/me', { token })).body.elderMode;
    const missing = await call('PUT', '/api/me/preferences', { token, body: { elderMode: !before } });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toEqual({ code: 'invalid_input', message: '缺少请求编号（Idempotency-Key）' });
    expect((await call('GET', '/api/me', { token })).body.elderMode).toBe(before);

    const send = sendAs(app, { liu: token });
    const key = { 'idempotency-key': 'prefs-key-0001' };
    expect((await send('liu', 'PUT', '/api/me/preferences', { elderMode: !before }, key)).body).toEqual({
      elderMode: !before,
    });
    await send(
      'liu',
      'PUT',
      '/api/me/preferences',
      { elderMode: before },
      { 'idempotency-key': 'prefs-key-0002' },
    );
    const replay = await send('liu', 'PUT', '/api/me/preferences', { elderMode: !before }, key);
    expect(replay.body).toEqual({ elderMode: !before });
    expect((await call('GET', '/api/me', { token })).body.elderMode).toBe(before);
  });
});

describe('PUT /api/me/home', () => {
  it('moves the home and returns a new token carrying the new role', async () => {
    const { app, call } = buildTestApp(t.db);
    const send = sendAs(app, { chen: await demoToken(call, 'resident-chen') });
    const { status, body } = await send('chen', 'PUT', '/api/me/home', {
      communityId: SEED.peace,
      gridId: SEED.peaceGrid1,
    });
    expect(status).toBe(200);
    expect(body.session.roles).toEqual([{ role: 'resident', communityId: SEED.peace, streetId: null }]);
    const me = await call('GET', '/api/me', { token: body.token });
    expect(me.body.home.communityName).toBe('和平社区');
  });

  it('refuses a move without an Idempotency-Key and leaves the home where it was', async () => {
    const { call } = buildTestApp(t.db);
    const token = await demoToken(call, 'resident');
    const before = await homeOf(SEED.residentWang);
    const { status, body } = await call('PUT', '/api/me/home', { token, body: { communityId: SEED.peace } });
    expect(status).toBe(400);
    expect(body.error).toEqual({ code: 'invalid_input', message: '缺少请求编号（Idempotency-Key）' });
    expect(await homeOf(SEED.residentWang)).toEqual(before);
  });

  it.each([
    [{}, '请选择所在社区'],
    [{ communityId: 'not-a-uuid' }, '请选择所在社区'],
    [{ communityId: SEED.peace, gridId: 'x' }, '网格选择有误'],
  ])('answers 400 in Chinese for %j and changes nothing', async (payload, message) => {
    const { app, call } = buildTestApp(t.db);
    const send = sendAs(app, { wang: await demoToken(call, 'resident') });
    const before = await homeOf(SEED.residentWang);
    const { status, body } = await send('wang', 'PUT', '/api/me/home', payload);
    expect(status).toBe(400);
    expect(body.error).toEqual({ code: 'invalid_input', message });
    expect(await homeOf(SEED.residentWang)).toEqual(before);
  });

  it('answers 400 for a grid of another community, reported by the database', async () => {
    const { app, call } = buildTestApp(t.db);
    const send = sendAs(app, { wang: await demoToken(call, 'resident') });
    const { status, body } = await send('wang', 'PUT', '/api/me/home', {
      communityId: SEED.sunshine,
      gridId: SEED.peaceGrid1,
    });
    expect(status).toBe(400);
    expect(body.error.message).toBe('所选网格不属于这个社区');
  });
});

describe('GET /api/staff/communities/:id/overview', () => {
  it('shows staff their community and refuses a resident with 403', async () => {
    const { call } = buildTestApp(t.db);
    const path = `/api/staff/communities/${SEED.sunshine}/overview`;
    const staff = await call('GET', path, { token: await demoToken(call, 'staff') });
    expect(staff.status).toBe(200);
    expect(staff.body).toMatchObject({ communityName: '阳光社区', volunteers: 4 });
    const resident = await call('GET', path, { token: await demoToken(call, 'resident') });
    expect(resident.status).toBe(403);
    expect(resident.body.error.message).toBe('只有本社区的工作人员可以查看');
  });

  it('answers 400 for a malformed community id', async () => {
    const { call } = buildTestApp(t.db);
    const { status, body } = await call('GET', '/api/staff/communities/abc/overview', {
      token: await demoToken(call, 'staff'),
    });
    expect(status).toBe(400);
    expect(body.error.message).toBe('社区编号不正确');
  });
});
