import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file's place so commands work from any working directory. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const MIGRATIONS_DIR = join(REPO_ROOT, 'supabase', 'migrations');
export const SEED_FILE = join(REPO_ROOT, 'supabase', 'seed.sql');
export const DATA_DIR = process.env.LLB_DATA_DIR || join(REPO_ROOT, '.data');
export const H5_DIST = join(REPO_ROOT, 'miniprogram', 'dist', 'h5');
