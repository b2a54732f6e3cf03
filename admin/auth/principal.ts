/**
 * Who is acting, apart from the permission matrix (permissions.ts) so the audit log and the request context can
 * name it without importing the module that imports them.
 */
export const ROLES = ['agency', 'specialist', 'confirmer', 'leader', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is acting: a signed-in person or an integration client (issue 4), both scoped by role and agency. */
export interface Principal {
  kind: 'user' | 'api';
  id: number;
  name: string;
  role: Role;
  agencyId: number | null;
}
