import { randomUUID } from 'node:crypto';
import { createApp } from '../../functions/src/app';
import { loadConfig } from '../../functions/src/config';
import type { Db } from '../../functions/src/db/port';
import { createWechatClient } from '../../functions/src/wechat/client';

export const TEST_SECRET = 'test-session-secret-at-least-32-characters-long';

/** The real Hono app over a real database, configured from an environment like production's. */
export function buildTestApp(db: Db, env: NodeJS.ProcessEnv = {}) {
  const config = loadConfig({ SESSION_SECRET: TEST_SECRET, ...env });
  const wechat = config.wechat ? createWechatClient(config.wechat) : null;
  const app = createApp({ db, config, wechat });
  const call = async (
    method: string,
    path: string,
    options: { token?: string; body?: unknown; raw?: string } = {},
  ) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const response = await app.request(path, { method, headers, body });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  return { app, config, call };
}

/** Logs in as a seeded demo identity and returns the token. */
export async function demoToken(
  call: ReturnType<typeof buildTestApp>['call'],
  identity: string,
): Promise<string> {
  const { status, body } = await call('POST', '/api/auth/dev', { body: { identity } });
  if (status !== 200) throw new Error(`demo login as ${identity} failed: ${status} ${JSON.stringify(body)}`);
  return body.token;
}

/** Calls the app as one of several logged-in people, each write with a fresh Idempotency-Key. */
export function sendAs(app: ReturnType<typeof buildTestApp>['app'], tokens: Record<string, string>) {
  return async (
    who: string,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const response = await app.request(path, {
      method,
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${tokens[who]}`,
        'idempotency-key': randomUUID(),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
}
