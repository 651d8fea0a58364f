import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { Db } from '../../functions/src/db/port';
import { createPostgresDb } from '../../functions/src/db/postgres-adapter';

export interface TestDatabase {
  name: string;
  url: string;
  /** The API's view: the rpc port acting as service_role, like production. */
  db: Db & { pool: pg.Pool };
  /** Superuser pool for assertions about rows the API can't read directly. */
  admin: pg.Pool;
  close(): Promise<void>;
}

/** A database of its own for one test file, cloned from the migrated, seeded template. */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const { adminUrl, urlTemplate, templateDb } = inject('postgres');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const root = new pg.Client({ connectionString: adminUrl });
  await root.connect();
  try {
    await root.query(
      options.empty ? `create database ${name}` : `create database ${name} template ${templateDb}`,
    );
  } finally {
    await root.end();
  }
  const url = urlTemplate.replace('__DB__', name);
  const db = createPostgresDb({ connectionString: url, role: 'service_role', max: 25 });
  const admin = new pg.Pool({ connectionString: url, max: 5 });
  return {
    name,
    url,
    db,
    admin,
    close: async () => {
      await db.close();
      await admin.end();
    },
  };
}
