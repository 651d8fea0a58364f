import type { Db } from './port';
import { createPostgresDb } from './postgres-adapter';
import { createSupabaseDb } from './supabase-adapter';

/**
 * Chooses the adapter from the environment: Supabase (URL + service-role key) in
 * production, otherwise a direct connection to DATABASE_URL (any Postgres 15+).
 */
export function createDbFromEnv(env: NodeJS.ProcessEnv = process.env): Db {
  if (env.SUPABASE_URL && env.SUPABASE_SERVICE_ROLE_KEY) {
    return createSupabaseDb({ url: env.SUPABASE_URL, serviceRoleKey: env.SUPABASE_SERVICE_ROLE_KEY });
  }
  if (env.DATABASE_URL) {
    return createPostgresDb({ connectionString: env.DATABASE_URL, role: env.DATABASE_ROLE || null });
  }
  throw new Error('No database configured: set SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY, or DATABASE_URL');
}
