// `npm run bench:api`: load on the real API (HTTP → Hono → rpc → Postgres) against a
// bare `select 1` through the same pool, run the same way in the same process.
// Usage: npm run bench:api -- [--workers 20] [--seconds 5]
import { createApp } from '../functions/src/app';
import { loadConfig } from '../functions/src/config';
import { startWebServer } from '../functions/src/server/web';
import { testFiles } from '../tests/support/api-app';
import { freePort } from '../tests/support/free-port';
import { benchOptions, row, runLoad, startBenchDatabase } from './support';

const { workers, seconds } = benchOptions();
const bench = await startBenchDatabase(workers);
const config = loadConfig({ SESSION_SECRET: 'bench-secret-of-at-least-32-characters' });
const web = await startWebServer(createApp({ db: bench.db, config, wechat: null, files: testFiles() }), {
  port: await freePort(),
  hostname: '127.0.0.1',
});
const login = await fetch(`${web.url}/api/auth/dev`, { method: 'POST', body: '{"identity":"resident"}' });
const { token } = (await login.json()) as { token: string };

const bare = await runLoad(workers, seconds, () => bench.db.pool.query('select 1'));
const me = await runLoad(workers, seconds, async () => {
  const response = await fetch(`${web.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`GET /api/me answered ${response.status}`);
  await response.arrayBuffer();
});

console.log(`${workers} workers, ${seconds} s each, embedded Postgres, same process`);
console.log(row('select 1 (pool)', bare));
console.log(row('GET /api/me', me));
console.log(
  `api: ${me.perSecond.toFixed(0)} req/s, p99 ${me.p99.toFixed(1)} ms, ${(bare.perSecond / me.perSecond).toFixed(1)}x the cost of a bare round trip`,
);
await web.close();
await bench.stop();
