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
