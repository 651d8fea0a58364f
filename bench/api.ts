// `npm run bench:api`: load on the real API (HTTP → Hono → rpc → Postgres) against a
// bare `select 1` through the same pool, run the same way in the same process.
// Usage: npm run bench:api -- [--workers 20] [--seconds 5]
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createApp } from '../functions/src/app';
import { loadConfig } from '../functions/src/config';
import { startEmbeddedPostgres } from '../functions/src/db/embedded';
import { migrate, seed } from '../functions/src/db/migrate';
import { createPostgresDb } from '../functions/src/db/postgres-adapter';
import { startWebServer } from '../functions/src/server/web';
import { freePort } from '../tests/support/free-port';

const { values } = parseArgs({
  options: { workers: { type: 'string', default: '20' }, seconds: { type: 'string', default: '5' } },
});
const workers = Number(values.workers);
const seconds = Number(values.seconds);

interface Result {
  count: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/** `workers` loops calling `op` back to back for `seconds`; latency percentiles in ms. */
async function run(op: () => Promise<unknown>): Promise<Result> {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < end) {
        const start = performance.now();
        await op();
        latencies.push(performance.now() - start);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { count: latencies.length, perSecond: latencies.length / seconds, p50: at(0.5), p99: at(0.99) };
}

const dataDir = join(tmpdir(), `llb-bench-${process.pid}`);
await mkdir(dataDir, { recursive: true, mode: 0o755 });
const server = await startEmbeddedPostgres({ dataDir, port: await freePort() });
const admin = new pg.Client({ connectionString: server.url });
await admin.connect();
await migrate(admin);
await seed(admin);
await admin.end();

const db = createPostgresDb({ connectionString: server.url, role: 'service_role', max: workers });
const config = loadConfig({ SESSION_SECRET: 'bench-secret-of-at-least-32-characters' });
const web = await startWebServer(createApp({ db, config, wechat: null }), {
  port: await freePort(),
  hostname: '127.0.0.1',
});
const login = await fetch(`${web.url}/api/auth/dev`, { method: 'POST', body: '{"identity":"resident"}' });
const { token } = (await login.json()) as { token: string };

const bare = await run(() => db.pool.query('select 1'));
const me = await run(async () => {
  const response = await fetch(`${web.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`GET /api/me answered ${response.status}`);
  await response.arrayBuffer();
});

const row = (name: string, r: Result) =>
  `${name.padEnd(16)} ${r.perSecond.toFixed(0).padStart(8)}/s  p50 ${r.p50.toFixed(2).padStart(6)} ms  p99 ${r.p99.toFixed(2).padStart(6)} ms`;
console.log(`${workers} workers, ${seconds} s each, embedded Postgres, same process`);
console.log(row('select 1 (pool)', bare));
console.log(row('GET /api/me', me));
console.log(
  `api: ${me.perSecond.toFixed(0)} req/s, p99 ${me.p99.toFixed(1)} ms, ${(bare.perSecond / me.perSecond).toFixed(1)}x the cost of a bare round trip`,
);

await web.close();
await db.close();
await server.stop();
await rm(dataDir, { recursive: true, force: true });
