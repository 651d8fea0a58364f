import pg from 'pg';
import { type DbErrorLike, mapDbError } from './map-db-error';
import { assertIdentifier, type Db } from './port';

export interface PostgresDbOptions {
  connectionString: string;
  /** Run as this role (e.g. service_role) so the grants production relies on are exercised. */
  role?: string | null;
  max?: number;
}

function toParam(value: unknown): unknown {
  if (value === undefined) return null;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) return JSON.stringify(value);
  return value;
}

/** Builds `select public.fn(a => $1, b => $2) as result`: the call PostgREST makes for a named-argument rpc. */
export function buildRpcSql(fn: string, args: Record<string, unknown>): { text: string; values: unknown[] } {
  const keys = Object.keys(args).filter((k) => args[k] !== undefined);
  const named = keys.map((k, i) => `"${assertIdentifier(k)}" => $${i + 1}`).join(', ');
  return {
    text: `select public."${assertIdentifier(fn)}"(${named}) as result`,
    values: keys.map((k) => toParam(args[k])),
  };
}

/** The rpc port over a direct Postgres connection pool (embedded in dev and tests, any Postgres 15+ in production). */
export function createPostgresDb(options: PostgresDbOptions): Db & { pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    options: options.role ? `-c role=${assertIdentifier(options.role)}` : undefined,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return {
    pool,
    async rpc<T>(fn: string, args: Record<string, unknown> = {}): Promise<T> {
      const { text, values } = buildRpcSql(fn, args);
      try {
        const { rows } = await pool.query(text, values);
        return rows[0]?.result as T;
      } catch (error) {
        throw mapDbError(error as DbErrorLike);
      }
    },
    close: () => pool.end(),
  };
}
