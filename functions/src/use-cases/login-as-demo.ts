import { AppError, type DemoIdentity, type LoginResult, type SessionClaims } from '@llb/shared';
import { issueSession } from '../auth/session';
import type { AppDeps } from '../http/env';

function assertDemoAllowed(deps: AppDeps): void {
  // 404, not 403: in production the route should look as if it does not exist.
  if (!deps.config.demoLogin) throw new AppError('not_found', '本环境不提供体验登录');
}

/** Logs in as a seeded demo identity: only without WeChat credentials and never in production. */
export async function loginAsDemo(deps: AppDeps, identity: string): Promise<LoginResult> {
  assertDemoAllowed(deps);
  const claims = await deps.db.rpc<SessionClaims>('login_demo', { p_demo_key: identity });
  return issueSession(claims, deps.config.sessionSecret, deps.config.sessionDays);
}

export async function listDemoIdentities(deps: AppDeps): Promise<DemoIdentity[]> {
  assertDemoAllowed(deps);
  return deps.db.rpc<DemoIdentity[]>('list_demo_identities');
}
