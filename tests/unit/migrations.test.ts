import { readFile } from 'node:fs/promises';
import { isErrorCode } from '@llb/shared';
import { describe, expect, it } from 'vitest';
import { listMigrations } from '../../functions/src/db/migrate';

describe('migrations', () => {
  it('have unique versions in Supabase naming', async () => {
    const files = await listMigrations();
    expect(files.length).toBeGreaterThan(0);
    expect(new Set(files.map((f) => f.version)).size).toBe(files.length);
  });

  it('raise only error codes the API knows, so every SQL failure maps to a 4xx with a message', async () => {
    const codes = new Set<string>();
    for (const file of await listMigrations()) {
      const sql = await readFile(file.path, 'utf8');
      for (const match of sql.matchAll(/private\.fail\('([a-z_]+)'/g)) codes.add(match[1] as string);
    }
    expect(codes.size).toBeGreaterThan(0);
    expect([...codes].filter((code) => !isErrorCode(code))).toEqual([]);
  });
});
