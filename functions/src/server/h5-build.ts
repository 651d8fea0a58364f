import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { H5_DIST, REPO_ROOT } from '../db/paths';

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
export function h5BuildIsStale(): boolean {
  const index = join(H5_DIST, 'index.html');
  if (!existsSync(index)) return true;
  const sources = ['miniprogram/src', 'miniprogram/config', 'shared/src'].map((d) => join(REPO_ROOT, d));
  return Math.max(...sources.map(newestMtime)) > statSync(index).mtimeMs;
}

export function buildH5(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', 'build:h5'], { cwd: REPO_ROOT, stdio: 'inherit' });
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`h5 build failed (exit ${code})`)),
    );
  });
}
