import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startEmbeddedPostgres } from '../functions/src/db/embedded';
import { migrate, seed } from '../functions/src/db/migrate';
import { createPostgresDb } from '../functions/src/db/postgres-adapter';
import { freePort } from '../tests/support/free-port';

export interface LoadResult {
  count: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/** `--workers` and `--seconds` from the command line (npm run bench:x -- --workers 40). */
export function benchOptions(defaults = { workers: 20, seconds: 5 }) {
  const { values } = parseArgs({
    options: { workers: { type: 'string' }, seconds: { type: 'string' } },
  });
  return {
    workers: Number(values.workers ?? defaults.workers),
    seconds: Number(values.seconds ?? defaults.seconds),
  };
}

/** `workers` loops calling `op` back to back for `seconds`; latency percentiles in ms. */
export async function runLoad(
  workers: number,
  seconds: number,
  op: (worker: number) => Promise<unknown>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      while (performance.now() < end) {
        const start = performance.now();
        await op(worker);
        latencies.push(performance.now() - start);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { count: latencies.length, perSecond: latencies.length / seconds, p50: at(0.5), p99: at(0.99) };
}

export function row(name: string, r: LoadResult): string {
  return `${name.padEnd(22)} ${r.perSecond.toFixed(0).padStart(8)}/s  p50 ${r.p50.toFixed(2).padStart(6)} ms  p99 ${r.p99.toFixed(2).padStart(6)} ms`;
}

/** A migrated, seeded embedded Postgres of its own, and the rpc port acting as service_role. */
export async function startBenchDatabase(poolSize: number) {
  const dataDir = join(tmpdir(), `llb-bench-${process.pid}`);
  await mkdir(dataDir, { recursive: true, mode: 0o755 });
  const server = await startEmbeddedPostgres({ dataDir, port: await freePort() });
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await migrate(admin);
  await seed(admin);
  await admin.end();
  const db = createPostgresDb({ connectionString: server.url, role: 'service_role', max: poolSize });
  return {
    url: server.url,
    db,
    stop: async () => {
      await db.close();
      await server.stop({ removeData: true });
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
