import { AppError, type LoginResult, type RoleGrant, type SessionClaims } from '@llb/shared';
import { errors, jwtVerify, SignJWT } from 'jose';

const ISSUER = 'linlibang';
const AUDIENCE = 'linlibang-api';

function key(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/** Signs a session token (HS256) carrying the user's id and roles. */
export async function issueSession(
  claims: SessionClaims,
  secret: string,
  days: number,
  now = new Date(),
): Promise<LoginResult> {
  const expiresAt = new Date(now.getTime() + days * 86_400_000);
  const token = await new SignJWT({ roles: claims.roles })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(key(secret));
  return { token, expiresAt: expiresAt.toISOString(), session: claims };
}

/** Verifies a session token; any defect is a 401 with a message the user can act on. */
export async function verifySession(token: string, secret: string): Promise<SessionClaims> {
  try {
    const { payload } = await jwtVerify(token, key(secret), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
    });
    if (typeof payload.sub !== 'string') throw new AppError('unauthorized', '登录信息无效，请重新登录');
    const roles = Array.isArray(payload.roles) ? (payload.roles as RoleGrant[]) : [];
    return { userId: payload.sub, roles };
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (error instanceof errors.JWTExpired) throw new AppError('unauthorized', '登录已过期，请重新登录');
    throw new AppError('unauthorized', '登录信息无效，请重新登录', { cause: error });
  }
}
