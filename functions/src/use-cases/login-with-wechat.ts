import { AppError, type LoginResult, type SessionClaims } from '@llb/shared';
import { issueSession } from '../auth/session';
import type { AppDeps } from '../http/env';

/** Exchanges a wx.login code for a session; the first login creates the user. */
export async function loginWithWechat(deps: AppDeps, code: string): Promise<LoginResult> {
  if (!deps.wechat) throw new AppError('not_found', '本环境未开通微信登录');
  const identity = await deps.wechat.code2Session(code);
  const claims = await deps.db.rpc<SessionClaims>('login_wechat', {
    p_openid: identity.openid,
    p_unionid: identity.unionid ?? null,
  });
  return issueSession(
    { userId: claims.userId, roles: claims.roles },
    deps.config.sessionSecret,
    deps.config.sessionDays,
  );
}
