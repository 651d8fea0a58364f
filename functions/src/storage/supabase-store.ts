import type { SupabaseClient } from '@supabase/supabase-js';
import { NoRealtimeTransport } from '../db/supabase-adapter';
import { assertKey, type FileStore } from './port';

export interface SupabaseStoreOptions {
  url: string;
  serviceRoleKey: string;
  /** A private bucket (no public URLs): the API reads files for those allowed. */
  bucket: string;
  fetch?: typeof fetch;
}

/** Supabase Storage with the service-role key (production). */
export function createSupabaseStore(options: SupabaseStoreOptions): FileStore {
  let client: Promise<SupabaseClient> | undefined;
  // Loaded on first use, like the rpc adapter (Node 20 prints a banner on import).
  const connect = () => {
    client ??= import('@supabase/supabase-js').then(({ createClient }) =>
      createClient(options.url, options.serviceRoleKey, {
        auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
        realtime: { transport: NoRealtimeTransport as never },
        global: options.fetch ? { fetch: options.fetch } : undefined,
      }),
    );
    return client;
  };
  const bucket = async () => (await connect()).storage.from(options.bucket);
  return {
    async put(key, bytes, mime) {
      const { error } = await (await bucket()).upload(assertKey(key), bytes, {
        contentType: mime,
        upsert: true,
      });
      if (error) throw new Error(`storage upload failed: ${error.message}`);
    },
    async get(key) {
      const path = assertKey(key);
      const { data, error } = await (await bucket()).download(path);
      if (error) {
        if ('status' in error && (error as { status?: number }).status === 404) return null;
        if (/not found/i.test(error.message)) return null;
        throw new Error(`storage download failed: ${error.message}`);
      }
      return new Uint8Array(await data.arrayBuffer());
    },
    async remove(keys) {
      if (keys.length === 0) return;
      const paths = keys.map(assertKey);
      const { error } = await (await bucket()).remove(paths);
      if (error) throw new Error(`storage remove failed: ${error.message}`);
    },
  };
}
