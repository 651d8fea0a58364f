import type { z } from 'zod';
import type {
  authOptionsView,
  communityChoiceView,
  communityOverviewView,
  demoIdentityView,
  healthView,
  loginResultView,
  meView,
  policyView,
  sessionClaimsView,
} from './schemas/views';

/** What a session token carries and what login returns. */
export type SessionClaims = z.infer<typeof sessionClaimsView>;

export type LoginResult = z.infer<typeof loginResultView>;

export type AuthOptions = z.infer<typeof authOptionsView>;

export type DemoIdentity = z.infer<typeof demoIdentityView>;

/** Policy numbers of this deployment (public.policies, keys in camelCase): text shows these, never copies. */
export type Policy = z.infer<typeof policyView>;

export type Me = z.infer<typeof meView>;

export type CommunityChoice = z.infer<typeof communityChoiceView>;

export type CommunityOverview = z.infer<typeof communityOverviewView>;

export type Health = z.infer<typeof healthView>;
