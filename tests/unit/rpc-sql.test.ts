import { describe, expect, it } from 'vitest';
import { buildRpcSql } from '../../functions/src/db/postgres-adapter';

describe('buildRpcSql', () => {
  it('calls the function with named arguments, as PostgREST does', () => {
    expect(buildRpcSql('get_me', { p_actor: 'u1' })).toEqual({
      text: 'select public."get_me"("p_actor" => $1) as result',
      values: ['u1'],
    });
  });

  it('sends objects and arrays as JSON and leaves out undefined arguments', () => {
    const { text, values } = buildRpcSql('f', { p_a: { x: 1 }, p_b: [1, 2], p_c: undefined, p_d: null });
    expect(text).toBe('select public."f"("p_a" => $1, "p_b" => $2, "p_d" => $3) as result');
    expect(values).toEqual(['{"x":1}', '[1,2]', null]);
  });

  it('refuses names that are not plain identifiers', () => {
    expect(() => buildRpcSql('f"; drop table users; --', {})).toThrow(/identifier/);
    expect(() => buildRpcSql('f', { 'p_a" => 1, "p_b': 1 })).toThrow(/identifier/);
  });
});
