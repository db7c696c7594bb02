import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/helpers/databases.js';
import { listAuditEvents } from './audit-repository.js';
import { IP_ATTEMPTS_FACTOR, pruneLoginAttempts } from './login-attempts.js';
import { logIn, type LoginPolicy } from './login.js';
import { findActiveSession } from './session-repository.js';
import { createUser, updateUser } from './user-repository.js';

const PASSWORD = 'a long enough password';
const MINUTE = 60_000;
const POLICY: LoginPolicy = {
  maxAttempts: 3,
  lockoutMs: 15 * MINUTE,
  sessionTtlMs: 12 * 60 * MINUTE,
};
const T0 = Date.parse('2026-11-21T10:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * MINUTE);

describeEachDialect('console login', (database) => {
  let n = 0;
  const newUser = async () => {
    const email = `login${(n += 1)}@dealer.test`;
    await createUser(database().db, { email, password: PASSWORD, role: 'viewer' });
    return email;
  };
  const attempt = (email: string, password: string, minutes: number, ip = `10.0.0.${n}`) =>
    logIn(database().db, { email, password, ip, userAgent: 'test' }, POLICY, at(minutes));

  it('starts a session on the right password and audits it', async () => {
    const email = await newUser();
    const result = await attempt(email, PASSWORD, 0);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(await findActiveSession(database().db, result.session.token, at(1))).toMatchObject({
      email,
    });
    const { items } = await listAuditEvents(database().db, { actor: email, action: 'auth.login' });
    expect(items[0]).toMatchObject({ actor: { type: 'user', label: email }, ip: `10.0.0.${n}` });
  });

  it('locks the account after N failures, refuses even the right password, then unlocks', async () => {
    const email = await newUser();
    expect(await attempt(email, 'wrong one', 0)).toEqual({
      ok: false,
      reason: 'invalid_credentials',
    });
    expect(await attempt(email, 'wrong two', 1)).toEqual({
      ok: false,
      reason: 'invalid_credentials',
    });
    // The Nth failure locks at once: 15 minutes from it.
    expect(await attempt(email, 'wrong three', 2)).toEqual({
      ok: false,
      reason: 'locked',
      lockedUntil: at(17).toISOString(),
    });
    expect(await attempt(email, PASSWORD, 10)).toMatchObject({ ok: false, reason: 'locked' });
    expect(await attempt(email, PASSWORD, 16.9)).toMatchObject({ ok: false, reason: 'locked' });
    expect(await attempt(email, PASSWORD, 17)).toMatchObject({ ok: true });

    const failed = await listAuditEvents(database().db, {
      actor: email,
      action: 'auth.login_failed',
    });
    expect(failed.items.map((e) => e.details?.reason)).toEqual([
      'locked',
      'locked',
      'wrong_password',
      'wrong_password',
      'wrong_password',
    ]);
  });

  it('does not lock for failures spread over more than one lockout period, or reset by a success', async () => {
    const email = await newUser();
    await attempt(email, 'wrong', 0);
    await attempt(email, 'wrong', 10);
    expect(await attempt(email, 'wrong', 20)).toEqual({ ok: false, reason: 'invalid_credentials' });
    expect(await attempt(email, PASSWORD, 21)).toMatchObject({ ok: true });
    await attempt(email, 'wrong', 22);
    await attempt(email, 'wrong', 23);
    expect(await attempt(email, PASSWORD, 24)).toMatchObject({ ok: true });
  });

  it('locks an address that fails on many accounts, and counts unknown and disabled accounts', async () => {
    const ip = '192.0.2.77';
    const disabled = await newUser();
    const { db } = database();
    const user = await db
      .selectFrom('users')
      .select('id')
      .where('email', '=', disabled)
      .executeTakeFirstOrThrow();
    await updateUser(db, user.id, { disabled: true });
    expect(await attempt(disabled, PASSWORD, 0, ip)).toEqual({
      ok: false,
      reason: 'invalid_credentials',
    });
    for (let i = 1; i < POLICY.maxAttempts * IP_ATTEMPTS_FACTOR; i++) {
      await attempt(`nobody${i}@dealer.test`, 'guess', 0.1, ip);
    }
    const victim = await newUser();
    expect(await attempt(victim, PASSWORD, 1, ip)).toMatchObject({ ok: false, reason: 'locked' });
    expect(await attempt(victim, PASSWORD, 1, '192.0.2.78')).toMatchObject({ ok: true });
    expect(await attempt(victim, PASSWORD, 16, ip)).toMatchObject({ ok: true });
    expect(await pruneLoginAttempts(db, at(60 * 24))).toBeGreaterThan(0);
  });
});
