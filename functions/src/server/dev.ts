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
import { type H5Build, h5BuildIsStale, startH5Build } from './h5-build';
import { startTickLoop } from './tick-loop';
import { assertPortFree, startWebServer } from './web';

const envFile = join(REPO_ROOT, '.env');
if (existsSync(envFile)) process.loadEnvFile(envFile);

const port = Number(process.env.PORT || 3000);
const hostname = process.env.HOST || '127.0.0.1';

await assertPortFree(port, hostname);

// The h5 build (about 1–2 min on 2 cores) runs while Postgres starts; the server answers /api at
// once and shows 正在准备 at / until the build is done.
let h5Build: H5Build | null = null;
function stopBeforeReady(signal: NodeJS.Signals): void {
  h5Build?.stop();
  process.exit(signal === 'SIGINT' ? 130 : 143);
}
let h5Settled = false;
if (process.env.SKIP_H5_BUILD !== '1' && h5BuildIsStale()) {
  console.log('building the h5 app in the background (1–2 min the first time); / says 正在准备 until then…');
  const started = Date.now();
  h5Build = startH5Build();
  const stopBuild = h5Build.stop;
  process.once('exit', stopBuild);
  // Until shutdown() below takes over, a signal stops the build (its own process group) too.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, stopBeforeReady);
  h5Build.done
    .finally(() => {
      h5Settled = true;
      process.off('exit', stopBuild);
    })
    .catch(() => {});
  h5Build.done.then(
    () => console.log(`h5 app built in ${Math.round((Date.now() - started) / 1000)} s`),
    (error: unknown) =>
      console.error(`${error instanceof Error ? error.message : error}; / shows an error page, /api works`),
  );
}

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

// Embedded: act as service_role, exactly the grants production's API key has.
const db = createPostgresDb({
  connectionString: databaseUrl,
  role: embedded ? 'service_role' : process.env.DATABASE_ROLE || null,
});
const deps = createDeps(process.env, db);
const server = await startWebServer(createApp(deps), { port, hostname, h5Ready: h5Build?.done });
const running = () => console.log(`邻里帮 is running at ${server.url}  (API: ${server.url}/api/health)`);
if (h5Build && !h5Settled) {
  console.log(`邻里帮 API is up at ${server.url}/api/health; / says 正在准备 until the h5 build is done…`);
  h5Build.done.then(running, () => {});
} else {
  running();
}

const stopTicks = startTickLoop(db, Number(process.env.TICK_INTERVAL_SECONDS ?? 60), {
  topK: deps.config.dispatchTopK,
  files: deps.files,
});

async function shutdown(): Promise<void> {
  h5Build?.stop();
  stopTicks();
  await server.close();
  await db.close();
  await embedded?.stop();
  process.exit(0);
}
process.off('SIGINT', stopBeforeReady);
process.off('SIGTERM', stopBeforeReady);
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
