export const ROLES = ['resident', 'volunteer', 'staff', 'street_admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  resident: '居民',
  volunteer: '志愿者',
  staff: '社区工作人员',
  street_admin: '街道管理员',
};

export interface RoleGrant {
  role: Role;
  communityId: string | null;
  streetId: string | null;
}

const RANK: Record<Role, number> = { resident: 0, volunteer: 1, staff: 2, street_admin: 3 };

/** The role a person mainly acts in: the highest they hold, resident when they hold none. */
export function primaryRole(grants: readonly Pick<RoleGrant, 'role'>[]): Role {
  return grants.reduce<Role>((best, g) => (RANK[g.role] > RANK[best] ? g.role : best), 'resident');
}

/** Communities whose staff console the person may open (street admins reach it through their street). */
export function staffCommunityIds(grants: readonly RoleGrant[]): string[] {
  return grants.filter((g) => g.role === 'staff' && g.communityId).map((g) => g.communityId as string);
}
