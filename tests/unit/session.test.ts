import { AppError } from '@llb/shared';
import { describe, expect, it } from 'vitest';
import { issueSession, verifySession } from '../../functions/src/auth/session';

const SECRET = 'unit-test-secret-of-at-least-32-chars';
const claims = { userId: 'u-1', roles: [{ role: 'staff' as const, communityId: 'c-1', streetId: null }] };

describe('session tokens', () => {
  it('carry the user id and roles', async () => {
    const { token, expiresAt } = await issueSession(claims, SECRET, 30, new Date('2026-11-24T00:00:00Z'));
    expect(expiresAt).toBe('2026-12-24T00:00:00.000Z');
    expect(await verifySession(token, SECRET)).toEqual(claims);
  });

  it('are refused after they expire, saying so', async () => {
    const { token } = await issueSession(claims, SECRET, 1, new Date(Date.now() - 2 * 86_400_000));
    await expect(verifySession(token, SECRET)).rejects.toThrow('登录已过期，请重新登录');
  });

  it('are refused when signed with another secret or altered', async () => {
    const { token } = await issueSession(claims, SECRET, 1);
    await expect(verifySession(token, `${SECRET}-other`)).rejects.toBeInstanceOf(AppError);
    const [header, , signature] = token.split('.');
    const payload = Buffer.from(JSON.stringify({ sub: 'someone-else', roles: [] })).toString('base64url');
    await expect(verifySession(`${header}.${payload}.${signature}`, SECRET)).rejects.toThrow(/登录信息无效/);
  });
});
