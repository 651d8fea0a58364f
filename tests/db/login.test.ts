import type { SessionClaims } from '@llb/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { expectAppError } from '../support/expect-app-error';
import { SEED } from '../support/ids';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

type LoginReply = SessionClaims & { created: boolean };

describe('login_wechat', () => {
  it('creates the user on first login and finds the same user afterwards', async () => {
    const first = await t.db.rpc<LoginReply>('login_wechat', { p_openid: 'o-first-login', p_unionid: null });
    const again = await t.db.rpc<LoginReply>('login_wechat', { p_openid: 'o-first-login', p_unionid: 'u-1' });
    expect(first).toMatchObject({ created: true, roles: [] });
    expect(again).toMatchObject({ created: false, userId: first.userId });
    const { rows } = await t.admin.query('select wechat_unionid from public.users where id = $1', [
      first.userId,
    ]);
    expect(rows[0].wechat_unionid).toBe('u-1');
  });

  it('creates exactly one user when 20 first logins of one openid race', async () => {
    const replies = await Promise.all(
      Array.from({ length: 20 }, () => t.db.rpc<LoginReply>('login_wechat', { p_openid: 'o-racing' })),
    );
    expect(new Set(replies.map((r) => r.userId)).size).toBe(1);
    expect(replies.filter((r) => r.created)).toHaveLength(1);
    const { rows } = await t.admin.query(
      "select count(*)::int as n from public.users where wechat_openid = 'o-racing'",
    );
    expect(rows[0].n).toBe(1);
  });

  it('refuses an empty openid and creates nothing', async () => {
    const before = await t.admin.query('select count(*)::int as n from public.users');
    await expectAppError(t.db.rpc('login_wechat', { p_openid: '' }), 'invalid_input', /微信登录/);
    const after = await t.admin.query('select count(*)::int as n from public.users');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });
});

describe('login_demo', () => {
  it('returns the roles of a seeded identity', async () => {
    const claims = await t.db.rpc<SessionClaims>('login_demo', { p_demo_key: 'staff' });
    expect(claims).toEqual({
      userId: SEED.staffZhang,
      roles: [{ role: 'staff', communityId: SEED.sunshine, streetId: null }],
    });
  });

  it('does not log in as a user without a demo key', async () => {
    const real = await t.db.rpc<SessionClaims>('login_wechat', { p_openid: 'o-real-person' });
    await expectAppError(t.db.rpc('login_demo', { p_demo_key: real.userId }), 'not_found', /体验身份/);
  });

  it('lists the demo identities with their highest role', async () => {
    const list = await t.db.rpc<{ key: string; role: string }[]>('list_demo_identities');
    expect(list.find((d) => d.key === 'volunteer')?.role).toBe('volunteer');
    expect(list.find((d) => d.key === 'street-admin')?.role).toBe('street_admin');
    expect(list[0]?.role).toBe('resident');
  });
});
