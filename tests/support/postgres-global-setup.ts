// Starts one embedded Postgres for the whole run and builds a migrated, seeded
// template database; each test file clones it (tests/support/database.ts).
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { type EmbeddedServer, startEmbeddedPostgres } from '../../functions/src/db/embedded';
import { migrate, seed } from '../../functions/src/db/migrate';
import { freePort } from './free-port';

export const TEMPLATE_DB = 'llb_template';

declare module 'vitest' {
  interface ProvidedContext {
    postgres: { adminUrl: string; urlTemplate: string; templateDb: string };
  }
}

interface Shared {
  ready: Promise<{ server: EmbeddedServer; dataDir: string }>;
  users: number;
}

// The db and api projects both use this setup; globalSetup runs in the main process,
// so a global lets them share one cluster instead of starting two.
const holder = globalThis as typeof globalThis & { __llbPostgres?: Shared };

async function start(): Promise<{ server: EmbeddedServer; dataDir: string }> {
  const dataDir = join(tmpdir(), `llb-test-${process.pid}-${Date.now()}`);
  // Not mkdtemp: as root, postgres runs as another user and must be able to enter the directory.
  await mkdir(dataDir, { recursive: true, mode: 0o755 });
  const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), fast: true });
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`create database ${TEMPLATE_DB}`);
  await admin.end();
  const template = new pg.Client({ connectionString: server.urlFor(TEMPLATE_DB) });
  await template.connect();
  await migrate(template);
  await seed(template);
  await template.end();
  return { server, dataDir };
}

export default async function setup(project: TestProject) {
  holder.__llbPostgres ??= { ready: start(), users: 0 };
  const shared = holder.__llbPostgres;
  shared.users += 1;
  const { server, dataDir } = await shared.ready;
  project.provide('postgres', {
    adminUrl: server.url,
    urlTemplate: server.urlFor('__DB__'),
    templateDb: TEMPLATE_DB,
  });
  return async () => {
    shared.users -= 1;
    if (shared.users > 0) return;
    holder.__llbPostgres = undefined;
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
