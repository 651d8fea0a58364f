import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorView, RESPONSES, routeOf } from '@llb/shared';
import { createApp } from '../../functions/src/app';
import { loadConfig } from '../../functions/src/config';
import type { Db } from '../../functions/src/db/port';
import { createLocalStore } from '../../functions/src/storage/local-store';
import type { FileStore } from '../../functions/src/storage/port';
import { createWechatClient } from '../../functions/src/wechat/client';

export const TEST_SECRET = 'test-session-secret-at-least-32-characters-long';

/**
 * Every answer the api tests see is checked against the schema of its route
 * (shared/src/schemas/responses.ts), refusals against the one error shape: a
 * key renamed in SQL or in TypeScript alone fails whichever test reads it.
 */
export function checkAnswer(method: string, path: string, status: number, body: unknown): void {
  if (status === 204) return;
  const route = routeOf(method, path);
  // Health answers in its own shape whatever its status (503 when the database is down).
  const own = status < 300 || route === 'GET /api/health';
  const schema = own ? (route ? RESPONSES[route] : null) : errorView;
  if (!schema) throw new Error(`${method} ${path} answered ${status} but has no response schema`);
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new Error(
      `${method} ${path} (${status}) does not match its schema:\n${parsed.error.issues
        .map((i) => `  ${i.path.join('.')}: ${i.message}`)
        .join('\n')}\n${JSON.stringify(body).slice(0, 400)}`,
    );
  }
}

/** An answer's body: the bytes of a file (a PDF), else the parsed json (null when empty). */
// biome-ignore lint/suspicious/noExplicitAny: as JSON.parse answers; checkAnswer holds it to its route's schema
export async function readAnswer(response: Response): Promise<any> {
  const type = response.headers.get('content-type') ?? '';
  if (type.startsWith('application/pdf') || type.startsWith('image/')) {
    return new Uint8Array(await response.arrayBuffer());
  }
  const text = await response.text();
  if (type.startsWith('text/plain')) return text;
  return text ? JSON.parse(text) : null;
}

/** A file store of the test's own, in a fresh temporary folder. */
export function testFiles(): FileStore {
  return createLocalStore(mkdtempSync(join(tmpdir(), 'llb-files-')));
}

/** Encrypts ID numbers in the api tests (64 hex characters: 32 bytes). */
export const TEST_ID_NUMBER_KEY = 'ab'.repeat(32);

/** The real Hono app over a real database, configured from an environment like production's. */
export function buildTestApp(db: Db, env: NodeJS.ProcessEnv = {}) {
  const config = loadConfig({ SESSION_SECRET: TEST_SECRET, ID_NUMBER_KEY: TEST_ID_NUMBER_KEY, ...env });
  const wechat = config.wechat ? createWechatClient(config.wechat) : null;
  const files = testFiles();
  const app = createApp({ db, config, wechat, files });
  const call = async (
    method: string,
    path: string,
    options: { token?: string; body?: unknown; raw?: string } = {},
  ) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const response = await app.request(path, { method, headers, body });
    const parsed = await readAnswer(response);
    checkAnswer(method, path, response.status, parsed);
    return { status: response.status, body: parsed };
  };
  return { app, config, call, files };
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
    const parsed = text ? JSON.parse(text) : null;
    checkAnswer(method, path, response.status, parsed);
    return { status: response.status, body: parsed };
  };
}
