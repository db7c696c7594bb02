import type { Db } from '../db/index.js';
import type { Role } from './roles.js';
import { randomSecret, sha256Hex } from './secrets.js';

/** A live browser session and the user it belongs to. */
export interface Session {
  /** sha256 hex of the cookie token (what the table stores). */
  id: string;
  userId: number;
  email: string;
  role: Role;
  createdAt: string;
  expiresAt: string;
}

/**
 * Starts a session for the user: returns the token for the cookie (only its sha256 is stored)
 * and the session. The expiry is absolute: SESSION_TTL_HOURS after login, however busy the user.
 */
export async function createSession(
  db: Db,
  input: { userId: number; ttlMs: number; ip?: string | null; userAgent?: string | null },
  now = new Date(),
): Promise<{ token: string; id: string; expiresAt: string }> {
  const token = randomSecret();
  const id = sha256Hex(token);
  const expiresAt = new Date(now.getTime() + input.ttlMs).toISOString();
  await db
    .insertInto('sessions')
    .values({
      id,
      user_id: input.userId,
      created_at: now.toISOString(),
      expires_at: expiresAt,
      ip: input.ip ?? null,
      user_agent: input.userAgent?.slice(0, 512) ?? null,
    })
    .execute();
  return { token, id, expiresAt };
}

/** The session for a cookie token if it exists, is not revoked or expired, and its user is enabled. */
export async function findActiveSession(
  db: Db,
  token: string,
  now = new Date(),
): Promise<Session | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id',
      'sessions.user_id',
      'sessions.created_at',
      'sessions.expires_at',
      'users.email',
      'users.role',
    ])
    .where('sessions.id', '=', sha256Hex(token))
    .where('sessions.revoked_at', 'is', null)
    .where('sessions.expires_at', '>', now.toISOString())
    .where('users.disabled', '=', 0)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    userId: row.user_id,
    email: row.email,
    role: row.role,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

/** Ends one session (logout). */
export async function revokeSession(db: Db, id: string, now = new Date()): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now.toISOString() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

/**
 * Ends every session of a user (password reset, disabled, role change), except `exceptId` (the
 * session making the change, when people change their own password); returns how many.
 */
export async function revokeUserSessions(
  db: Db,
  userId: number,
  options: { exceptId?: string | null; now?: Date } = {},
): Promise<number> {
  let query = db
    .updateTable('sessions')
    .set({ revoked_at: (options.now ?? new Date()).toISOString() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (options.exceptId) query = query.where('id', '!=', options.exceptId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Deletes sessions that expired or were revoked before `before`; returns how many. */
export async function deleteStaleSessions(db: Db, before: Date): Promise<number> {
  const cutoff = before.toISOString();
  const result = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<', cutoff), eb('revoked_at', '<', cutoff)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
