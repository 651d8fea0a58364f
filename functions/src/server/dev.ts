// `npm run dev`: real Postgres (embedded, or DATABASE_URL), migrations and the demo
// street, the API under /api and the h5 build of the mini-program at /, on one origin.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { createApp } from '../app';
import { EmbeddedPostgresError, type EmbeddedServer, startEmbeddedPostgres } from '../db/embedded';
import { migrate, seed } from '../db/migrate';
import { DATA_DIR, REPO_ROOT } from '../db/paths';
import { createPostgresDb } from '../db/postgres-adapter';
import { createDeps } from '../deps';
import { buildH5, h5BuildIsStale } from './h5-build';
import { startTickLoop } from './tick-loop';
import { assertPortFree, startWebServer } from './web';

const envFile = join(REPO_ROOT, '.env');
if (existsSync(envFile)) process.loadEnvFile(envFile);

const port = Number(process.env.PORT || 3000);
const hostname = process.env.HOST || '127.0.0.1';

await assertPortFree(port, hostname);

let embedded: EmbeddedServer | null = null;
let databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  const started = Date.now();
  embedded = await startEmbeddedPostgres({
    dataDir: DATA_DIR,
    port: Number(process.env.EMBEDDED_PG_PORT || 54329),
    log: process.env.LOG_POSTGRES ? (line) => console.log(`[postgres] ${line}`) : undefined,
    notice: (line) => console.log(line),
  }).catch((error: unknown) => {
    // One line saying what to do, not a stack trace.
    if (!(error instanceof EmbeddedPostgresError)) throw error;
    console.error(error.message);
    process.exit(1);
  });
  databaseUrl = embedded.url;
  console.log(`embedded Postgres ready in ${Date.now() - started} ms (data in ${embedded.pgdata})`);
}

const admin = new pg.Client({ connectionString: databaseUrl });
await admin.connect();
const applied = await migrate(admin);
if (applied.length) console.log(`applied migrations: ${applied.join(', ')}`);
if (process.env.SEED !== '0') await seed(admin);
await admin.end();

if (process.env.SKIP_H5_BUILD !== '1' && h5BuildIsStale()) {
  console.log('building the h5 app (about 30 s on first run)…');
  await buildH5();
}

// Embedded: act as service_role, exactly the grants production's API key has.
const db = createPostgresDb({
  connectionString: databaseUrl,
  role: embedded ? 'service_role' : process.env.DATABASE_ROLE || null,
});
const deps = createDeps(process.env, db);
const server = await startWebServer(createApp(deps), { port, hostname });
console.log(`邻里帮 is running at ${server.url}  (API: ${server.url}/api/health)`);

const stopTicks = startTickLoop(db, Number(process.env.TICK_INTERVAL_SECONDS ?? 60), {
  topK: deps.config.dispatchTopK,
});

async function shutdown(): Promise<void> {
  stopTicks();
  await server.close();
  await db.close();
  await embedded?.stop();
  process.exit(0);
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
