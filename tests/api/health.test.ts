import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb } from '../../functions/src/db/postgres-adapter';
import { buildTestApp } from '../support/api-app';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { freePort } from '../support/free-port';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

describe('GET /api/health', () => {
  it('reports the database up after a real round trip', async () => {
    const { call } = buildTestApp(t.db);
    expect(await call('GET', '/api/health')).toEqual({ status: 200, body: { ok: true, db: 'up' } });
  });

  it('answers 503 with db down when the database cannot be reached', async () => {
    const unreachable = createPostgresDb({
      connectionString: `postgres://postgres@127.0.0.1:${await freePort()}/x`,
    });
    const { call } = buildTestApp(unreachable);
    expect(await call('GET', '/api/health')).toEqual({ status: 503, body: { ok: false, db: 'down' } });
    await unreachable.close();
  });
});

describe('oversized bodies', () => {
  it('answer 413 in Chinese before reaching any route', async () => {
    const { call } = buildTestApp(t.db);
    const { status, body } = await call('POST', '/api/auth/dev', {
      raw: JSON.stringify({ identity: 'x'.repeat(300_000) }),
    });
    expect(status).toBe(413);
    expect(body.error).toEqual({ code: 'invalid_input', message: '提交的内容太大了' });
  });
});

describe('unknown routes', () => {
  it('answer 404 in Chinese without a token', async () => {
    const { call } = buildTestApp(t.db);
    const { status, body } = await call('GET', '/nothing-here');
    expect(status).toBe(404);
    expect(body.error.message).toMatch(/没有/);
  });
});
