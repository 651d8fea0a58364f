import { mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../functions/src/db/paths';
import { bundleEntry } from '../../functions/src/server/bundle';
import { createTestDatabase, type TestDatabase } from '../support/database';

// Vercel deploys functions/api/index.ts with the repo's shared/ code pulled in.
// This bundles the entry the same way (one file, all imports resolved), loads
// it as Vercel would, and serves real requests through its default export.
let t: TestDatabase;
let server: Server;
let base: string;
const saved = { ...process.env };

beforeAll(async () => {
  t = await createTestDatabase();
  const outdir = join(REPO_ROOT, 'node_modules', '.cache', 'vercel-bundle-test');
  await mkdir(outdir, { recursive: true });
  const outfile = join(outdir, `index-${Date.now()}.mjs`);
  await bundleEntry('functions/api/index.ts', outfile);
  Object.assign(process.env, {
    DATABASE_URL: t.url,
    DATABASE_ROLE: 'service_role',
    NODE_ENV: 'production',
    SESSION_SECRET: 'a-production-like-secret-of-32-characters!',
    ID_NUMBER_KEY: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  });
  const entry = (await import(pathToFileURL(outfile).href)) as {
    default: (req: IncomingMessage, res: ServerResponse) => unknown;
  };
  server = createServer((req, res) => void entry.default(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}, 60_000);

afterAll(async () => {
  process.env = saved;
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await t.close();
});

describe('the Vercel bundle', () => {
  it('serves health from the database', async () => {
    const response = await fetch(`${base}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, db: 'up' });
  });

  it('keeps demo login closed in production and protects routes', async () => {
    const dev = await fetch(`${base}/api/auth/dev`, { method: 'POST', body: '{"identity":"resident"}' });
    expect(dev.status).toBe(404);
    const me = await fetch(`${base}/api/me`);
    expect(me.status).toBe(401);
    expect(((await me.json()) as { error: { message: string } }).error.message).toBe('请先登录');
  });
});
