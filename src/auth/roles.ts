/** Staff roles, least to most privileged: each role may do everything the ones before it may. */
export const ROLES = ['viewer', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Whether a stored or submitted string is a known role. */
export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Whether `role` is at least as privileged as `required`. */
export function roleAtLeast(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}

/** Roles that may download and delete recordings (viewers only look and listen). */
export function mayDownloadRecordings(role: Role): boolean {
  return roleAtLeast(role, 'supervisor');
}

/** Who a request acts as, once authenticated (see the access-control plugin). */
export interface Principal {
  /** The user id for sessions, the token id for API tokens. */
  id: number;
  /** The user's email; null for API tokens. */
  email: string | null;
  /** What the audit log and the console show: the email, or `token:<name>`. */
  label: string;
  role: Role;
  via: 'session' | 'token';
  /** The session id (sha256 of the cookie) or `token:<id>`: what audit events are grouped by. */
  credentialId: string;
}
