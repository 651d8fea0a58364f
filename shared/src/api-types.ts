import type { Role, RoleGrant } from './roles';

/** What a session token carries and what login returns. */
export interface SessionClaims {
  userId: string;
  roles: RoleGrant[];
}

export interface LoginResult {
  token: string;
  expiresAt: string;
  session: SessionClaims;
}

export interface AuthOptions {
  wechat: boolean;
  demo: boolean;
}

export interface DemoIdentity {
  key: string;
  name: string;
  role: Role;
  communityName: string;
}

/** Policy numbers of this deployment (public.policies, keys in camelCase): text shows these, never copies. */
export interface Policy {
  orderNoticeMinutes: number;
  orderHorizonDays: number;
  openOrdersPerResident: number;
  autoConfirmHours: number;
  disputeDays: number;
  pickupDays: number;
  presenceCodeSeconds: number;
  presenceMaxFailures: number;
  presenceLockoutMinutes: number;
  checkInRadiusM: number;
  checkInLeadMinutes: number;
  checkInLateMinutes: number;
  offerWindowMinutes: number;
  escalationStepMinutes: number;
  escalationBonusPoints: number;
  escalationMaxSteps: number;
  escalationWidenAtStep: number;
}

export interface Me {
  id: string;
  name: string;
  nickname: string;
  realName: string | null;
  phone: string | null;
  phoneMasked: string | null;
  address: string | null;
  elderMode: boolean;
  home: {
    communityId: string;
    communityName: string;
    servicePhone: string;
    gridName: string | null;
    streetName: string;
  } | null;
  roles: (RoleGrant & { scopeName: string })[];
  volunteer: {
    status: 'pending' | 'approved' | 'rejected' | 'suspended';
    communityName: string;
    isPartyMember: boolean;
    serviceRadiusM: number;
    skills: { code: string; name: string }[];
  } | null;
  /** Communities this person serves as staff (all of the street for a street admin). */
  staffCommunities: { id: string; name: string; streetId: string }[];
  policy: Policy;
}

export interface CommunityChoice {
  id: string;
  name: string;
  streetId: string;
  streetName: string;
  grids: { id: string; name: string }[];
}

export interface CommunityOverview {
  communityId: string;
  communityName: string;
  residents: number;
  volunteers: number;
  pendingVolunteers: number;
  staff: number;
  skills: { code: string; name: string; volunteers: number }[];
}

export interface Health {
  ok: boolean;
  db: 'up' | 'down';
}
