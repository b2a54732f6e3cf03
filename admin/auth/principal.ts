/**
 * Who is acting, apart from the permission matrix (permissions.ts) so the audit log and the request context can
 * name it without importing the module that imports them.
 */
export const ROLES = ['agency', 'head', 'officer', 'specialist', 'confirmer', 'leader', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The roles inside an agency (issue 11): stored as users.role = 'agency' plus users.unit_role. */
export const UNIT_ROLES = ['head', 'officer'] as const;
export type UnitRole = (typeof UNIT_ROLES)[number];

/** Roles whose accounts belong to one agency. */
export function isAgencyRole(role: Role): boolean {
  return role === 'agency' || role === 'head' || role === 'officer';
}

/** Who is acting: a signed-in person or an integration client (issue 4), both scoped by role and agency. */
export interface Principal {
  kind: 'user' | 'api';
  id: number;
  name: string;
  role: Role;
  agencyId: number | null;
}
