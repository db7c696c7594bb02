import type { Db } from '../db/index.js';

/** How many failures lock an account or an address, and for how long. */
export interface LockoutPolicy {
  /** Failed logins for one account, within one lockout period, that lock it (LOGIN_MAX_ATTEMPTS). */
  maxAttempts: number;
  lockoutMs: number;
}

/**
 * One address may fail this many times the per-account limit before it is locked out: an office
 * behind one NAT makes typos on several accounts, a password sprayer tries many accounts.
 */
export const IP_ATTEMPTS_FACTOR = 4;

/** Stores a login attempt (the email as typed, normalized; unknown emails count too). */
export async function recordLoginAttempt(
  db: Db,
  attempt: { email: string; ip: string | null; succeeded: boolean },
  at = new Date().toISOString(),
): Promise<void> {
  await db
    .insertInto('login_attempts')
    .values({
      email: attempt.email,
      ip: attempt.ip,
      succeeded: attempt.succeeded ? 1 : 0,
      at,
    })
    .execute();
}

/**
 * The lockout end for a series of failures (newest first) when the newest `limit` of them fall
 * within one lockout period and that period, counted from the newest failure, has not passed.
 */
function lockoutEnd(failuresNewestFirst: string[], limit: number, lockoutMs: number, now: number) {
  const newest = failuresNewestFirst[0];
  const oldestCounted = failuresNewestFirst[limit - 1];
  if (newest === undefined || oldestCounted === undefined) return null;
  const newestMs = Date.parse(newest);
  if (newestMs - Date.parse(oldestCounted) >= lockoutMs) return null;
  const until = newestMs + lockoutMs;
  return until > now ? until : null;
}

/** The times of the newest `limit` failures for one account or one address after `since`. */
async function recentFailures(
  db: Db,
  who: { column: 'email' | 'ip'; value: string },
  since: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('login_attempts')
    .select('at')
    .where(who.column, '=', who.value)
    .where('succeeded', '=', 0)
    .where('at', '>', since)
    .orderBy('at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => row.at);
}

/**
 * When a login for this email from this address is locked, the time it unlocks (ISO); else null.
 * Per account: `maxAttempts` failures since the last success within one lockout period. Per
 * address: `maxAttempts * IP_ATTEMPTS_FACTOR` failures within one period, whatever the account.
 * Attempts refused during a lockout are not recorded, so the lockout ends on time.
 */
export async function loginLockedUntil(
  db: Db,
  input: { email: string; ip: string | null },
  policy: LockoutPolicy,
  now = new Date(),
): Promise<string | null> {
  const nowMs = now.getTime();
  const windowStart = new Date(nowMs - 2 * policy.lockoutMs).toISOString();

  const lastSuccess = await db
    .selectFrom('login_attempts')
    .select('at')
    .where('email', '=', input.email)
    .where('succeeded', '=', 1)
    .orderBy('at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const since = lastSuccess && lastSuccess.at > windowStart ? lastSuccess.at : windowStart;
  const accountFailures = await recentFailures(
    db,
    { column: 'email', value: input.email },
    since,
    policy.maxAttempts,
  );
  let until = lockoutEnd(accountFailures, policy.maxAttempts, policy.lockoutMs, nowMs);

  if (input.ip) {
    const ipLimit = policy.maxAttempts * IP_ATTEMPTS_FACTOR;
    const ipFailures = await recentFailures(
      db,
      { column: 'ip', value: input.ip },
      windowStart,
      ipLimit,
    );
    const ipUntil = lockoutEnd(ipFailures, ipLimit, policy.lockoutMs, nowMs);
    if (ipUntil !== null && (until === null || ipUntil > until)) until = ipUntil;
  }
  return until === null ? null : new Date(until).toISOString();
}

/** Deletes attempts older than `before` (they no longer count toward any lockout). */
export async function pruneLoginAttempts(db: Db, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('login_attempts')
    .where('at', '<', before.toISOString())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
