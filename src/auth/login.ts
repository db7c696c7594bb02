import type { Db } from '../db/index.js';
import { recordAudit } from './audit-repository.js';
import { type LockoutPolicy, loginLockedUntil, recordLoginAttempt } from './login-attempts.js';
import { verifyAgainstDummy, verifyPassword } from './passwords.js';
import { createSession } from './session-repository.js';
import {
  getUserCredentials,
  markUserLoggedIn,
  normalizeEmail,
  type User,
} from './user-repository.js';

export interface LoginRequest {
  email: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
}

export type LoginResult =
  | { ok: true; user: User; session: { token: string; id: string; expiresAt: string } }
  | { ok: false; reason: 'invalid_credentials' }
  | { ok: false; reason: 'locked'; lockedUntil: string };

export interface LoginPolicy extends LockoutPolicy {
  sessionTtlMs: number;
}

/**
 * Checks a console login: refuses without checking the password while the account or address is
 * locked out; verifies the argon2id hash (or a dummy one for unknown emails, so timing does not
 * reveal which emails exist); records the attempt and an audit event; starts a session on success.
 */
export async function logIn(
  db: Db,
  request: LoginRequest,
  policy: LoginPolicy,
  now = new Date(),
): Promise<LoginResult> {
  const email = normalizeEmail(request.email);
  const at = now.toISOString();
  const audit = { ip: request.ip, userAgent: request.userAgent, at };

  const lockedUntil = await loginLockedUntil(db, { email, ip: request.ip }, policy, now);
  if (lockedUntil) {
    await recordAudit(db, {
      ...audit,
      action: 'auth.login_failed',
      actor: { type: 'anonymous', label: email },
      details: { reason: 'locked', lockedUntil },
    });
    return { ok: false, reason: 'locked', lockedUntil };
  }

  const credentials = await getUserCredentials(db, email);
  const passwordOk = credentials
    ? await verifyPassword(credentials.passwordHash, request.password)
    : await verifyAgainstDummy(request.password);
  const user = credentials?.user;

  if (!user || !passwordOk || user.disabled) {
    await recordLoginAttempt(db, { email, ip: request.ip, succeeded: false }, at);
    const reason = !user ? 'unknown_user' : !passwordOk ? 'wrong_password' : 'disabled';
    await recordAudit(db, {
      ...audit,
      action: 'auth.login_failed',
      actor: { type: 'anonymous', id: user?.id ?? null, label: email },
      details: { reason },
    });
    const nowLocked = await loginLockedUntil(db, { email, ip: request.ip }, policy, now);
    return nowLocked
      ? { ok: false, reason: 'locked', lockedUntil: nowLocked }
      : { ok: false, reason: 'invalid_credentials' };
  }

  await recordLoginAttempt(db, { email, ip: request.ip, succeeded: true }, at);
  await markUserLoggedIn(db, user.id, at);
  const session = await createSession(
    db,
    { userId: user.id, ttlMs: policy.sessionTtlMs, ip: request.ip, userAgent: request.userAgent },
    now,
  );
  await recordAudit(db, {
    ...audit,
    action: 'auth.login',
    actor: { type: 'user', id: user.id, label: user.email, credentialId: session.id },
  });
  return { ok: true, user: { ...user, lastLoginAt: at }, session };
}
