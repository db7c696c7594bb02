import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/helpers/databases.js';
import { verifyPassword, WeakPasswordError } from './passwords.js';
import {
  countActiveAdmins,
  countUsers,
  createUser,
  DuplicateUserError,
  getUserByEmail,
  getUserCredentials,
  listUsers,
  setUserPassword,
  updateUser,
} from './user-repository.js';

const PASSWORD = 'a long enough password';

describeEachDialect('users repository', (database) => {
  it('stores an argon2id hash, never the password, and normalizes the email', async () => {
    const { db } = database();
    const user = await createUser(db, {
      email: '  Ann@Dealer.TEST ',
      password: PASSWORD,
      role: 'viewer',
    });
    expect(user).toMatchObject({ email: 'ann@dealer.test', role: 'viewer', disabled: false });
    const row = await db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(JSON.stringify(row)).not.toContain(PASSWORD);
    const credentials = await getUserCredentials(db, 'ANN@dealer.test');
    expect(await verifyPassword(credentials!.passwordHash, PASSWORD)).toBe(true);
    expect(await verifyPassword(credentials!.passwordHash, `${PASSWORD}!`)).toBe(false);
    expect(user).not.toHaveProperty('passwordHash');
  });

  it('refuses duplicate emails (any case) and short passwords', async () => {
    const { db } = database();
    await createUser(db, { email: 'bob@dealer.test', password: PASSWORD, role: 'admin' });
    await expect(
      createUser(db, { email: 'BOB@dealer.test', password: PASSWORD, role: 'viewer' }),
    ).rejects.toBeInstanceOf(DuplicateUserError);
    await expect(
      createUser(db, { email: 'short@dealer.test', password: 'too short', role: 'viewer' }),
    ).rejects.toBeInstanceOf(WeakPasswordError);
  });

  it('changes role, disabled flag and password', async () => {
    const { db } = database();
    const user = await createUser(db, {
      email: 'cy@dealer.test',
      password: PASSWORD,
      role: 'viewer',
    });
    const admins = await countActiveAdmins(db);
    expect(await updateUser(db, user.id, { role: 'admin' })).toMatchObject({ role: 'admin' });
    expect(await countActiveAdmins(db)).toBe(admins + 1);
    expect(await updateUser(db, user.id, { disabled: true })).toMatchObject({ disabled: true });
    expect(await countActiveAdmins(db)).toBe(admins);
    await setUserPassword(db, user.id, 'another long password');
    const credentials = await getUserCredentials(db, 'cy@dealer.test');
    expect(await verifyPassword(credentials!.passwordHash, 'another long password')).toBe(true);
    expect(await updateUser(db, 999_999, { role: 'viewer' })).toBeNull();
    expect((await listUsers(db)).map((u) => u.email)).toContain('cy@dealer.test');
    expect(await countUsers(db)).toBeGreaterThanOrEqual(3);
    expect(await getUserByEmail(db, 'nobody@dealer.test')).toBeNull();
  });
});
