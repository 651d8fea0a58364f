import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { H5_DIST, REPO_ROOT } from '../db/paths';

/**
 * Where the h5 build goes and is served from: miniprogram/dist/h5, or `LLB_H5_OUT` (relative to
 * miniprogram/, as miniprogram/config/index.ts reads it) for a build of one's own.
 */
export function h5OutDir(): string {
  const out = process.env.LLB_H5_OUT;
  return out ? resolve(REPO_ROOT, 'miniprogram', out) : H5_DIST;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    newest = Math.max(newest, mtime);
  }
  return newest;
}

/** True when the h5 build is missing or older than the sources it is built from. */
export function h5BuildIsStale(dir = h5OutDir()): boolean {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return true;
  const sources = ['miniprogram/src', 'miniprogram/config', 'shared/src'].map((d) => join(REPO_ROOT, d));
  return Math.max(...sources.map(newestMtime)) > statSync(index).mtimeMs;
}

export interface H5Build {
  done: Promise<void>;
  /** Stops the build and everything it started (its own process group). */
  stop(): void;
}

/**
 * Starts `npm run build:h5` (into h5OutDir()). `LLB_H5_BUILD` replaces the command with a shell
 * command of one's own: tests use it to stand in for the two-minute build.
 */
export function startH5Build(options: { quiet?: boolean } = {}): H5Build {
  const stdio = options.quiet ? 'ignore' : 'inherit';
  const override = process.env.LLB_H5_BUILD;
  // detached: a process group of its own, so stop() reaches webpack's workers too.
  const child = override
    ? spawn(override, { cwd: REPO_ROOT, stdio, shell: true, detached: true })
    : spawn('npm', ['run', 'build:h5'], { cwd: REPO_ROOT, stdio, detached: true });
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`h5 build failed (${signal ?? `exit ${code}`})`)),
    );
  });
  return {
    done,
    stop: () => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    },
  };
}

/** Builds h5 and waits for it; the build stops if this process exits first. */
export async function buildH5(): Promise<void> {
  const build = startH5Build();
  const stop = () => build.stop();
  process.once('exit', stop);
  try {
    await build.done;
  } finally {
    process.off('exit', stop);
  }
}
