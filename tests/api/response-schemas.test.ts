import { RESPONSES } from '@llb/shared';
import { describe, expect, it } from 'vitest';
import { buildTestApp, checkAnswer } from '../support/api-app';

// The app is only inspected here, never called: a database is not needed.
const { app } = buildTestApp({ rpc: async () => null, close: async () => {} } as never);

describe('response schemas', () => {
  it('name every route of the app, and no route that does not exist', () => {
    const routes = new Set(
      app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path.replace(/\/$/, '')}`),
    );
    expect([...routes].sort()).toEqual(Object.keys(RESPONSES).sort());
  });

  it('refuse an answer with a key the schema does not know, or without one it needs', () => {
    const ok = { ok: true, db: 'up' };
    expect(() => checkAnswer('GET', '/api/health', 200, ok)).not.toThrow();
    expect(() => checkAnswer('GET', '/api/health', 200, { ...ok, extra: 1 })).toThrow(/extra/);
    expect(() => checkAnswer('GET', '/api/health', 200, { ok: true })).toThrow(/db/);
    expect(() => checkAnswer('GET', '/api/nowhere', 200, ok)).toThrow(/no response schema/);
  });

  it('refuse a refusal that is not in Chinese or not of a documented code', () => {
    const refusal = (code: string, message: string) => ({ error: { code, message } });
    expect(() => checkAnswer('GET', '/api/me', 400, refusal('invalid_input', '请填写名称'))).not.toThrow();
    expect(() => checkAnswer('GET', '/api/me', 400, refusal('invalid_input', 'Invalid input'))).toThrow();
    expect(() => checkAnswer('GET', '/api/me', 400, refusal('oops', '出错了'))).toThrow();
  });
});
