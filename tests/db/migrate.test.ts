import { copyFile, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listMigrations, migrate } from '../../functions/src/db/migrate';
import { MIGRATIONS_DIR } from '../../functions/src/db/paths';
import { createTestDatabase, type TestDatabase } from '../support/database';

let t: TestDatabase;
let client: pg.Client;
beforeAll(async () => {
  t = await createTestDatabase({ empty: true });
  client = new pg.Client({ connectionString: t.url });
  await client.connect();
});
afterAll(async () => {
  await client.end();
  await t.close();
});

describe('migration runner', () => {
  it('applies every migration in order and records it as the Supabase CLI does', async () => {
    const files = await listMigrations();
    const applied = await migrate(client);
    expect(applied).toEqual(files.map((f) => f.version));
    const { rows } = await client.query(
      'select version, name, array_length(statements, 1) as n from supabase_migrations.schema_migrations order by version',
    );
    expect(rows).toEqual(files.map((f) => ({ version: f.version, name: f.name, n: 1 })));
  });

  it('applies nothing the second time', async () => {
    expect(await migrate(client)).toEqual([]);
  });

  it('rolls back a failing migration and does not record it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'llb-migrations-'));
    for (const file of await readdir(MIGRATIONS_DIR))
      await copyFile(join(MIGRATIONS_DIR, file), join(dir, file));
    await writeFile(
      join(dir, '29990101000000_create_broken_thing.sql'),
      'create table public.half_done (id int);\nselect no_such_function();',
    );
    await expect(migrate(client, dir)).rejects.toThrow(/29990101000000_create_broken_thing failed/);
    const { rows } = await client.query(
      `select to_regclass('public.half_done') as table,
              exists (select 1 from supabase_migrations.schema_migrations where version = '29990101000000') as recorded`,
    );
    expect(rows[0]).toEqual({ table: null, recorded: false });
  });

  it('warns when a migration already applied has been edited since', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'llb-migrations-'));
    for (const file of await readdir(MIGRATIONS_DIR))
      await copyFile(join(MIGRATIONS_DIR, file), join(dir, file));
    const [first] = await listMigrations(dir);
    await writeFile(first?.path as string, '-- edited after the fact\nselect 1;');
    const warnings: string[] = [];
    const warn = vi.spyOn(console, 'warn').mockImplementation((message: string) => {
      warnings.push(message);
    });
    try {
      expect(await migrate(client, dir)).toEqual([]);
    } finally {
      warn.mockRestore();
    }
    expect(warnings).toEqual([
      expect.stringContaining(`${first?.version}_${first?.name} changed after it was applied`),
    ]);
  });

  it('refuses a file whose name does not follow YYYYMMDDHHmmss_verb_object.sql', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'llb-migrations-'));
    await writeFile(join(dir, 'add_things.sql'), 'select 1;');
    await expect(listMigrations(dir)).rejects.toThrow(/YYYYMMDDHHmmss/);
  });
});
