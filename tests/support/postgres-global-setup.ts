// Starts one embedded Postgres for the whole run (in a child process, see
// test-postgres.ts) with a migrated, seeded template database; each test file
// clones it (tests/support/database.ts).
import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { REPO_ROOT } from '../../functions/src/db/paths';
import type { TestPostgres } from './test-postgres';

declare module 'vitest' {
  interface ProvidedContext {
    postgres: TestPostgres;
  }
}

interface Shared {
  child: ChildProcess;
  ready: Promise<TestPostgres>;
  users: number;
}

// The db and api projects both use this setup; global setups run in the main
// process, so a global lets them share one cluster instead of starting two.
const holder = globalThis as typeof globalThis & { __llbPostgres?: Shared };

function start(): Shared {
  const child = fork(join(REPO_ROOT, 'tests/support/test-postgres.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = new Promise<TestPostgres>((resolve, reject) => {
    child.once('message', (message) => resolve(message as TestPostgres));
    child.once('exit', (code) => reject(new Error(`test Postgres exited early (code ${code})`)));
  });
  return { child, ready, users: 0 };
}

export default async function setup(project: TestProject) {
  holder.__llbPostgres ??= start();
  const shared = holder.__llbPostgres;
  shared.users += 1;
  project.provide('postgres', await shared.ready);
  return async () => {
    shared.users -= 1;
    if (shared.users > 0) return;
    holder.__llbPostgres = undefined;
    const exited = new Promise((resolve) => shared.child.once('exit', resolve));
    shared.child.kill('SIGTERM');
    await exited;
  };
}
