import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueSession } from '../../functions/src/auth/session';
import { buildTestApp, TEST_SECRET } from '../support/api-app';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { SEED } from '../support/ids';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

const PROTECTED: [string, string][] = [
  ['GET', '/api/me'],
  ['PUT', '/api/me/home'],
  ['PUT', '/api/me/preferences'],
  ['GET', '/api/menu'],
  ['POST', '/api/orders'],
  ['GET', '/api/wallet'],
  ['GET', '/api/offers/mine'],
  ['GET', '/api/communities'],
  ['GET', `/api/staff/communities/${SEED.sunshine}/overview`],
];

describe('protected routes', () => {
  it.each(PROTECTED)('%s %s without a token answers 401 in Chinese', async (method, path) => {
    const { call } = buildTestApp(t.db);
    const body0 = method === 'GET' ? undefined : { communityId: SEED.peace };
    const { status, body } = await call(method, path, { body: body0 });
    expect(status).toBe(401);
    expect(body.error).toEqual({ code: 'unauthorized', message: '请先登录' });
  });

  it.each(PROTECTED)('%s %s with a forged token answers 401', async (method, path) => {
    const { call } = buildTestApp(t.db);
    const forged = await issueSession(
      { userId: SEED.adminHuang, roles: [] },
      'someone-elses-secret-of-at-least-32-chars',
      1,
    );
    const { status, body } = await call(method, path, { token: forged.token });
    expect(status).toBe(401);
    expect(body.error.message).toBe('登录信息无效，请重新登录');
  });

  it('rejects an expired token with a message saying so', async () => {
    const { call } = buildTestApp(t.db);
    const old = await issueSession(
      { userId: SEED.residentWang, roles: [] },
      TEST_SECRET,
      1,
      new Date('2026-01-01'),
    );
    const { status, body } = await call('GET', '/api/me', { token: old.token });
    expect(status).toBe(401);
    expect(body.error.message).toBe('登录已过期，请重新登录');
  });

  it('rejects a token with the algorithm switched to none', async () => {
    const { call } = buildTestApp(t.db);
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({ sub: SEED.adminHuang, iss: 'linlibang', aud: 'linlibang-api', exp: 4102444800 }),
    ).toString('base64url');
    const { status } = await call('GET', '/api/me', { token: `${header}.${payload}.` });
    expect(status).toBe(401);
  });

  it('takes the actor from the token, so a valid token for a deleted user is refused by the database', async () => {
    const { call } = buildTestApp(t.db);
    const token = await new SignJWT({ roles: [] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('00000000-0000-4000-8000-00000000dead')
      .setIssuer('linlibang')
      .setAudience('linlibang-api')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(TEST_SECRET));
    const { status, body } = await call('GET', '/api/me', { token });
    expect(status).toBe(401);
    expect(body.error.message).toBe('登录已失效，请重新登录');
  });
});
