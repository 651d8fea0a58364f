import { resolve } from 'node:path';
import { createLocalStore } from './local-store';
import type { FileStore } from './port';
import { createSupabaseStore } from './supabase-store';

/**
 * Supabase Storage when Supabase is configured (bucket SUPABASE_STORAGE_BUCKET, default
 * `uploads`, private), else a folder: UPLOAD_DIR, default `.data/uploads` under the
 * working directory.
 */
export function createStoreFromEnv(env: NodeJS.ProcessEnv = process.env): FileStore {
  if (env.SUPABASE_URL && env.SUPABASE_SERVICE_ROLE_KEY) {
    return createSupabaseStore({
      url: env.SUPABASE_URL,
      serviceRoleKey: env.SUPABASE_SERVICE_ROLE_KEY,
      bucket: env.SUPABASE_STORAGE_BUCKET || 'uploads',
    });
  }
  return createLocalStore(resolve(env.UPLOAD_DIR || '.data/uploads'));
}
