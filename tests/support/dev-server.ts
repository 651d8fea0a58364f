import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { REPO_ROOT } from '../../functions/src/db/paths';
import { freePort } from './free-port';

export interface DevServer {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** The server's own database (superuser), for a test to set policy rows as an operator would. */
  databaseUrl: string;
  /** Runs one statement against that database. */
  sql(text: string, params?: unknown[]): Promise<pg.QueryResult>;
  /** Waits for the process to exit after the signal. */
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

export interface DevServerOptions {
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
}

export async function newDataDir(): Promise<string> {
  const dir = join(tmpdir(), `llb-e2e-${process.pid}-${Date.now()}`);
  await mkdir(dir, { recursive: true, mode: 0o755 });
  return dir;
}

/** Runs `npm run dev` as a newcomer would, on free ports and its own data directory, until /api/health is up. */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const port = await freePort();
  const pgPort = await freePort();
  const dataDir = options.dataDir ?? (await newDataDir());
  // node itself (not npx) is the child, so a signal reaches the server as it would from kill(1).
  const child = spawn(process.execPath, ['--import', 'tsx', 'functions/src/server/dev.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      EMBEDDED_PG_PORT: String(pgPort),
      LLB_DATA_DIR: dataDir,
      SKIP_H5_BUILD: '1',
      NODE_ENV: 'development',
      // Tests drive the scheduled tick themselves when they need it; a background one would race them.
      TICK_INTERVAL_SECONDS: '0',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (chunk) => {
    log += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    log += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`dev server exited early:\n${log}`);
    const ok = await fetch(`${url}/api/health`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`dev server did not become healthy:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  // The embedded server's superuser (functions/src/db/embedded.ts), unless the test gave DATABASE_URL.
  const databaseUrl =
    options.env?.DATABASE_URL ??
    process.env.DATABASE_URL ??
    `postgres://postgres:postgres@127.0.0.1:${pgPort}/postgres`;
  return {
    url,
    child,
    output: () => log,
    databaseUrl,
    async sql(text, params) {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        return await client.query(text, params);
      } finally {
        await client.end();
      }
    },
    kill: (signal) => {
      child.kill(signal);
      return exited;
    },
  };
}
