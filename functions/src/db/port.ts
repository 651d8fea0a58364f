/**
 * The one door to the database: call a SQL function by name with named arguments.
 * Arguments are plain JSON values; objects and arrays travel as JSON, so list
 * parameters of SQL functions are jsonb. Both adapters raise AppError on failure.
 */
export interface Db {
  rpc<T>(fn: string, args?: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Function and argument names are spliced into SQL by the postgres adapter, so they must be plain identifiers. */
export function assertIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`not a valid SQL identifier: ${name}`);
  return name;
}
