/**
 * Where uploaded files' bytes live, behind one port: Supabase Storage in production,
 * a local folder in dev, tests and on a plain Node server. Postgres keeps who may read
 * what (public.uploads); a key is `<owner id>/<sha256>`, so the same picture is one file.
 */
export interface FileStore {
  put(key: string, bytes: Uint8Array, mime: string): Promise<void>;
  /** The bytes, or null when nothing is stored under the key. */
  get(key: string): Promise<Uint8Array | null>;
  remove(keys: string[]): Promise<void>;
}

const KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/[0-9a-f]{64}$/;

/** Keys come from SQL; anything else is a programming error, never a path to follow. */
export function assertKey(key: string): string {
  if (!KEY.test(key)) throw new Error(`not a file key: ${key}`);
  return key;
}
