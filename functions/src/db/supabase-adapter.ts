import type { SupabaseClient } from '@supabase/supabase-js';
import { mapDbError } from './map-db-error';
import { assertIdentifier, type Db } from './port';

export interface SupabaseDbOptions {
  url: string;
  serviceRoleKey: string;
  fetch?: typeof fetch;
}

// The API never subscribes to realtime; Node 20 has no global WebSocket and
// supabase-js refuses to construct without a transport, so it gets one that can't connect.
export class NoRealtimeTransport {
  constructor() {
    throw new Error('realtime is not used by the API');
  }
}

/** The rpc port over supabase-js: `POST /rest/v1/rpc/<fn>` with the service-role key. Production default. */
export function createSupabaseDb(options: SupabaseDbOptions): Db {
  // Loaded on first use: on Node 20 importing supabase-js prints a deprecation banner,
  // and `npm run dev`, which imports this module, never calls it.
  let client: Promise<SupabaseClient> | undefined;
  const connect = () =>
    (client ??= import('@supabase/supabase-js').then(({ createClient }) =>
      createClient(options.url, options.serviceRoleKey, {
        auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
        realtime: { transport: NoRealtimeTransport as never },
        global: options.fetch ? { fetch: options.fetch } : undefined,
      }),
    ));
  return {
    async rpc<T>(fn: string, args: Record<string, unknown> = {}): Promise<T> {
      const name = assertIdentifier(fn);
      const { data, error } = await (await connect()).rpc(name, args);
      if (error) throw mapDbError(error);
      return data as T;
    },
    close: async () => {},
  };
}
