import type { LoginResult, SessionClaims, SetHomeBody } from '@llb/shared';
import { issueSession } from '../auth/session';
import type { AppDeps } from '../http/env';

/**
 * Sets where the actor lives and returns a fresh token, since their roles changed.
 * A resend with the same idempotency key replays the first claims (and gets a fresh token for them).
 */
export async function setHomeCommunity(
  deps: AppDeps,
  actor: string,
  input: SetHomeBody,
  key: string,
): Promise<LoginResult> {
  const claims = await deps.db.rpc<SessionClaims>('set_home_community', {
    p_actor: actor,
    p_community_id: input.communityId,
    p_grid_id: input.gridId ?? null,
    p_key: key,
  });
  return issueSession(claims, deps.config.sessionSecret, deps.config.sessionDays);
}
