import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

async function apiFunctions(): Promise<string[]> {
  const { rows } = await t.admin.query<{ signature: string }>(`
    select p.oid::regprocedure::text as signature
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'public'`);
  return rows.map((r) => r.signature);
}

describe('database security', () => {
  it('enables row level security on every table in public', async () => {
    const { rows } = await t.admin.query(`
      select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r' and not c.relrowsecurity`);
    expect(rows).toEqual([]);
  });

  it('lets only service_role execute the API functions', async () => {
    const functions = await apiFunctions();
    expect(functions.length).toBeGreaterThan(5);
    for (const signature of functions) {
      const { rows } = await t.admin.query(
        `select has_function_privilege('anon', $1, 'execute') as anon,
                has_function_privilege('authenticated', $1, 'execute') as authed,
                has_function_privilege('service_role', $1, 'execute') as service`,
        [signature],
      );
      expect({ signature, ...rows[0] }).toEqual({ signature, anon: false, authed: false, service: true });
    }
  });

  it('gives anon and authenticated no access to any table', async () => {
    const { rows } = await t.admin.query(`
      select table_name, grantee, privilege_type from information_schema.role_table_grants
      where table_schema = 'public' and grantee in ('anon', 'authenticated')`);
    expect(rows).toEqual([]);
  });

  it('keeps service_role out of the tables: the API goes through functions only', async () => {
    const client = await t.db.pool.connect();
    try {
      await expect(client.query('select * from public.users')).rejects.toThrow(/permission denied/);
    } finally {
      client.release();
    }
  });

  it('pins search_path on every function but the inlinable distance helper, which is not security definer', async () => {
    const { rows } = await t.admin.query(`
      select p.oid::regprocedure::text as signature, p.prosecdef as definer
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname in ('public', 'private')
        and not coalesce(p.proconfig @> array['search_path=""'], false)
      order by 1`);
    // SET keeps a SQL function from being inlined; this one runs once per dispatch candidate.
    expect(rows).toEqual([
      {
        signature: 'private.distance_m(double precision,double precision,double precision,double precision)',
        definer: false,
      },
    ]);
  });
});
