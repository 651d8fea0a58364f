import { describe, expect, it } from 'vitest';
import { mapDbError } from '../../functions/src/db/map-db-error';

describe('mapDbError', () => {
  it('turns an application error raised in SQL into that AppError with its Chinese detail', () => {
    const error = mapDbError({ code: 'P0001', message: 'forbidden', detail: '只有本社区的工作人员可以查看' });
    expect([error.code, error.status, error.message]).toEqual([
      'forbidden',
      403,
      '只有本社区的工作人员可以查看',
    ]);
  });

  it('reads PostgREST’s `details` the same as node-postgres’s `detail`', () => {
    expect(mapDbError({ code: 'P0001', message: 'not_found', details: '没有这个体验身份' }).message).toBe(
      '没有这个体验身份',
    );
  });

  it('does not trust a raise with an unknown code: it is an internal error', () => {
    expect(mapDbError({ code: 'P0001', message: 'whatever' }).code).toBe('internal');
  });

  it.each([
    ['23505', 'conflict'],
    ['23503', 'invalid_input'],
    ['23514', 'invalid_input'],
    ['22P02', 'invalid_input'],
    ['40P01', 'conflict'],
    ['08006', 'db_unavailable'],
    ['ECONNREFUSED', 'db_unavailable'],
    ['42883', 'internal'],
  ])('maps %s to %s', (code, expected) => {
    expect(mapDbError({ code, message: 'x' }).code).toBe(expected);
  });

  it.each(['22021', '22P05'])('maps %s (a NUL byte in text or jsonb) to a Chinese 400', (code) => {
    const error = mapDbError({ code, message: 'invalid byte sequence for encoding "UTF8": 0x00' });
    expect([error.code, error.status, error.message]).toEqual([
      'invalid_input',
      400,
      '内容里有无法识别的字符，请删掉后再试',
    ]);
  });

  it('treats a failed fetch (Supabase unreachable) as the database being unavailable', () => {
    expect(mapDbError({ code: '', message: 'TypeError: fetch failed' }).code).toBe('db_unavailable');
  });

  it('never exposes the database message to the user', () => {
    const error = mapDbError({
      code: '23505',
      message: 'duplicate key value violates unique constraint "users_pkey"',
    });
    expect(error.message).not.toMatch(/users_pkey/);
  });
});
