// The test cluster runs in a process of its own, started by the global setup: it
// notices when the runner goes away (even by SIGKILL) and removes the cluster.
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { EmbeddedPostgresError, startEmbeddedPostgres } from '../../functions/src/db/embedded';
import { migrate, seed } from '../../functions/src/db/migrate';
import { freePort } from './free-port';

export const TEMPLATE_DB = 'llb_template';

export interface TestPostgres {
  adminUrl: string;
  urlTemplate: string;
  templateDb: string;
}

const dataDir = join(tmpdir(), `llb-test-${process.pid}-${Date.now()}`);
// Not mkdtemp: as root, postgres runs as another user and must be able to enter the directory.
await mkdir(dataDir, { recursive: true, mode: 0o755 });
const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), fast: true }).catch(
  (error: unknown) => {
    // One line the reader can act on, not a stack trace.
    if (!(error instanceof EmbeddedPostgresError)) throw error;
    console.error(error.message);
    process.exit(1);
  },
);
const admin = new pg.Client({ connectionString: server.url });
await admin.connect();
await admin.query(`create database ${TEMPLATE_DB}`);
await admin.end();
const template = new pg.Client({ connectionString: server.urlFor(TEMPLATE_DB) });
await template.connect();
await migrate(template);
await seed(template);
await template.end();

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await server.stop({ removeData: true });
  await rm(dataDir, { recursive: true, force: true });
  process.exit(0);
}
// The runner asks us to stop, or it went away (even by SIGKILL): either way, clean up.
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);

const ready: TestPostgres = {
  adminUrl: server.url,
  urlTemplate: server.urlFor('__DB__'),
  templateDb: TEMPLATE_DB,
};
process.send?.(ready);
