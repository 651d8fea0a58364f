import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { MIGRATIONS_DIR, SEED_FILE } from './paths';

const MIGRATION_FILE = /^(\d{14})_([a-z0-9_]+)\.sql$/;
// Any constant will do; it serialises concurrent runners (two dev servers, parallel test setup).
const MIGRATION_LOCK = 7_245_001;

export interface MigrationFile {
  version: string;
  name: string;
  path: string;
}

export async function listMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  return files.map((file) => {
    const match = MIGRATION_FILE.exec(file);
    if (!match) throw new Error(`migration file name must be YYYYMMDDHHmmss_verb_object.sql: ${file}`);
    return { version: match[1] as string, name: match[2] as string, path: join(dir, file) };
  });
}

/**
 * Applies pending migrations in order, each in its own transaction, and records
 * them in supabase_migrations.schema_migrations as the Supabase CLI does, so the
 * same database can later be managed with `supabase migration` / `db push`.
 */
export async function migrate(client: pg.ClientBase, dir = MIGRATIONS_DIR): Promise<string[]> {
  await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await client.query(`
      create schema if not exists supabase_migrations;
      create table if not exists supabase_migrations.schema_migrations (
        version text not null primary key,
        statements text[],
        name text
      );`);
    const { rows } = await client.query<{ version: string; statements: string[] | null }>(
      'select version, statements from supabase_migrations.schema_migrations',
    );
    const applied = new Map(rows.map((r) => [r.version, r.statements?.join('\n') ?? null]));
    const done: string[] = [];
    for (const migration of await listMigrations(dir)) {
      const sql = await readFile(migration.path, 'utf8');
      if (applied.has(migration.version)) {
        // Applied migrations are history: editing one changes nothing in an existing database.
        const recorded = applied.get(migration.version);
        if (recorded !== null && recorded !== sql) {
          console.warn(
            `migration ${migration.version}_${migration.name} changed after it was applied here; ` +
              'write a new migration (or, for a local database, delete .data/ to start over)',
          );
        }
        continue;
      }
      await client.query('begin');
      try {
        await client.query(sql);
        await client.query(
          'insert into supabase_migrations.schema_migrations (version, statements, name) values ($1, $2, $3)',
          [migration.version, [sql], migration.name],
        );
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw new Error(
          `migration ${migration.version}_${migration.name} failed: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
      done.push(migration.version);
    }
    return done;
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}

/** Loads supabase/seed.sql (the demo street); written to be safe to run again. */
export async function seed(client: pg.ClientBase, file = SEED_FILE): Promise<void> {
  await client.query(await readFile(file, 'utf8'));
}
