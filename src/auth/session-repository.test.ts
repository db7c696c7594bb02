import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/helpers/databases.js';
import { sha256Hex } from './secrets.js';
import {
  createSession,
  deleteStaleSessions,
  findActiveSession,
  revokeSession,
  revokeUserSessions,
} from './session-repository.js';
import { createUser, updateUser } from './user-repository.js';

const HOUR = 3_600_000;
const T0 = new Date('2026-11-21T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

describeEachDialect('sessions repository', (database) => {
  let n = 0;
  const newUser = async () =>
    createUser(database().db, {
      email: `s${(n += 1)}@dealer.test`,
      password: 'a long enough password',
      role: 'supervisor',
    });

  it('stores only the sha256 of the token and expires after the TTL', async () => {
    const { db } = database();
    const user = await newUser();
    const { token, id, expiresAt } = await createSession(
      db,
      { userId: user.id, ttlMs: 12 * HOUR },
      T0,
    );
    expect(token.length).toBeGreaterThanOrEqual(43);
    expect(id).toBe(sha256Hex(token));
    expect(expiresAt).toBe(at(12 * HOUR).toISOString());
    const rows = await db
      .selectFrom('sessions')
      .selectAll()
      .where('user_id', '=', user.id)
      .execute();
    expect(JSON.stringify(rows)).not.toContain(token);

    expect(await findActiveSession(db, token, at(12 * HOUR - 1))).toMatchObject({
      userId: user.id,
      role: 'supervisor',
    });
    expect(await findActiveSession(db, token, at(12 * HOUR))).toBeNull();
    expect(await findActiveSession(db, `${token}x`, T0)).toBeNull();
  });

  it('ends on logout, on revoking the user, and when the user is disabled', async () => {
    const { db } = database();
    const user = await newUser();
    const a = await createSession(db, { userId: user.id, ttlMs: HOUR }, T0);
    const b = await createSession(db, { userId: user.id, ttlMs: HOUR }, T0);
    const c = await createSession(db, { userId: user.id, ttlMs: HOUR }, T0);
    await revokeSession(db, a.id, T0);
    expect(await findActiveSession(db, a.token, T0)).toBeNull();
    expect(await revokeUserSessions(db, user.id, { exceptId: c.id, now: T0 })).toBe(1);
    expect(await findActiveSession(db, b.token, T0)).toBeNull();
    expect(await findActiveSession(db, c.token, T0)).not.toBeNull();
    await updateUser(db, user.id, { disabled: true });
    expect(await findActiveSession(db, c.token, T0)).toBeNull();
  });

  it('deletes stale sessions', async () => {
    const { db } = database();
    const user = await newUser();
    const old = await createSession(db, { userId: user.id, ttlMs: HOUR }, at(-48 * HOUR));
    const live = await createSession(db, { userId: user.id, ttlMs: HOUR }, T0);
    expect(await deleteStaleSessions(db, at(-HOUR))).toBeGreaterThanOrEqual(1);
    const ids = (await db.selectFrom('sessions').select('id').execute()).map((r) => r.id);
    expect(ids).not.toContain(old.id);
    expect(ids).toContain(live.id);
  });
});
