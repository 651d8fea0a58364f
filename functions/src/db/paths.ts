import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder up from this module holding supabase/migrations (works from a bundle too). */
function findRepoRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'supabase', 'migrations'))) return dir;
  }
  return process.cwd();
}

export const REPO_ROOT = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
export const MIGRATIONS_DIR = join(REPO_ROOT, 'supabase', 'migrations');
export const SEED_FILE = join(REPO_ROOT, 'supabase', 'seed.sql');
export const DATA_DIR = process.env.LLB_DATA_DIR || join(REPO_ROOT, '.data');
export const H5_DIST = join(REPO_ROOT, 'miniprogram', 'dist', 'h5');
