import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSupabaseDb } from '../../functions/src/db/supabase-adapter';
import { expectAppError } from '../support/expect-app-error';
import { freePort } from '../support/free-port';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

// A local stand-in for PostgREST: records each request and answers with the next queued reply.
let server: Server;
let baseUrl: string;
const seen: Seen[] = [];
const replies: { status: number; body: unknown }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const reply = replies.shift() ?? { status: 500, body: { message: 'no reply queued' } };
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen.length = 0;
  replies.length = 0;
});

const KEY = 'service-role-key-for-tests';

describe('supabase adapter', () => {
  it('sends POST /rest/v1/rpc/<fn> with the named arguments as JSON and the service-role key', async () => {
    replies.push({ status: 200, body: { userId: 'u1', roles: [] } });
    const db = createSupabaseDb({ url: baseUrl, serviceRoleKey: KEY });
    const result = await db.rpc('get_me', { p_actor: 'u1', p_filters: { a: [1, 2] } });

    expect(result).toEqual({ userId: 'u1', roles: [] });
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/rest/v1/rpc/get_me');
    expect(request?.headers.apikey).toBe(KEY);
    expect(request?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request?.headers['content-type']).toMatch(/application\/json/);
    expect(JSON.parse(request?.body ?? '')).toEqual({ p_actor: 'u1', p_filters: { a: [1, 2] } });
  });

  it('maps an application error raised in SQL back to the same AppError as the postgres adapter', async () => {
    replies.push({
      status: 400,
      body: { code: 'P0001', message: 'forbidden', details: '只有本社区的工作人员可以查看', hint: null },
    });
    const db = createSupabaseDb({ url: baseUrl, serviceRoleKey: KEY });
    await expectAppError(db.rpc('get_community_overview', {}), 'forbidden', /^只有本社区的工作人员可以查看$/);
  });

  it.each([
    ['23505', 'conflict'],
    ['22P02', 'invalid_input'],
    ['40001', 'conflict'],
    ['57014', 'db_unavailable'],
    ['PGRST202', 'internal'],
  ] as const)('maps SQLSTATE %s to %s', async (code, expected) => {
    replies.push({ status: 400, body: { code, message: 'something', details: null, hint: null } });
    const db = createSupabaseDb({ url: baseUrl, serviceRoleKey: KEY });
    await expectAppError(db.rpc('any_fn'), expected);
  });

  it('reports an unreachable Supabase as db_unavailable', async () => {
    const db = createSupabaseDb({ url: `http://127.0.0.1:${await freePort()}`, serviceRoleKey: KEY });
    await expectAppError(db.rpc('health_check'), 'db_unavailable');
  });

  it('refuses a function name that is not a plain identifier before sending anything', async () => {
    const db = createSupabaseDb({ url: baseUrl, serviceRoleKey: KEY });
    await expect(db.rpc('get_me/../../users')).rejects.toThrow(/identifier/);
    expect(seen).toHaveLength(0);
  });
});
