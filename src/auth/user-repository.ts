import type { Selectable } from 'kysely';
import type { Db } from '../db/index.js';
import type { UserTable } from '../db/schema.js';
import { assertPasswordAcceptable, hashPassword } from './passwords.js';
import type { Role } from './roles.js';

/** A staff member who logs into the console. The password hash never leaves this module. */
export interface User {
  id: number;
  email: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
  passwordChangedAt: string;
  lastLoginAt: string | null;
}

/** Thrown when creating a user whose email is taken. */
export class DuplicateUserError extends Error {
  constructor(email: string) {
    super(`a user with email ${email} already exists`);
    this.name = 'DuplicateUserError';
  }
}

/** Emails compare case-insensitively and without surrounding spaces. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function rowToUser(row: Selectable<UserTable>): User {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    disabled: row.disabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    passwordChangedAt: row.password_changed_at,
    lastLoginAt: row.last_login_at,
  };
}

/** Creates a user with an argon2id hash of the password; throws `DuplicateUserError` or `WeakPasswordError`. */
export async function createUser(
  db: Db,
  input: { email: string; password: string; role: Role },
  now = new Date().toISOString(),
): Promise<User> {
  assertPasswordAcceptable(input.password);
  const email = normalizeEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  if (await getUserByEmail(db, email)) throw new DuplicateUserError(email);
  const row = await db
    .insertInto('users')
    .values({
      email,
      password_hash: passwordHash,
      role: input.role,
      disabled: 0,
      created_at: now,
      updated_at: now,
      password_changed_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
    .catch(async (error: unknown) => {
      // Lost a race with another insert of the same email.
      if (await getUserByEmail(db, email)) throw new DuplicateUserError(email);
      throw error;
    });
  return rowToUser(row);
}

/** The user with this id, or null. */
export async function getUserById(db: Db, id: number): Promise<User | null> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? rowToUser(row) : null;
}

/** The user with this email (any case), or null. */
export async function getUserByEmail(db: Db, email: string): Promise<User | null> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('email', '=', normalizeEmail(email))
    .executeTakeFirst();
  return row ? rowToUser(row) : null;
}

/** The user and their password hash, for the login check only. */
export async function getUserCredentials(
  db: Db,
  email: string,
): Promise<{ user: User; passwordHash: string } | null> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('email', '=', normalizeEmail(email))
    .executeTakeFirst();
  return row ? { user: rowToUser(row), passwordHash: row.password_hash } : null;
}

/** All users, by email. */
export async function listUsers(db: Db): Promise<User[]> {
  const rows = await db.selectFrom('users').selectAll().orderBy('email').execute();
  return rows.map(rowToUser);
}

/** How many users exist (the first admin is only created when there are none). */
export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** How many enabled admins exist, so the last one cannot be demoted or disabled. */
export async function countActiveAdmins(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('role', '=', 'admin')
    .where('disabled', '=', 0)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Changes role and/or the disabled flag; returns the user, or null when it does not exist. */
export async function updateUser(
  db: Db,
  id: number,
  patch: { role?: Role; disabled?: boolean },
  now = new Date().toISOString(),
): Promise<User | null> {
  await db
    .updateTable('users')
    .set({
      ...(patch.role !== undefined && { role: patch.role }),
      ...(patch.disabled !== undefined && { disabled: patch.disabled ? 1 : 0 }),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
  return getUserById(db, id);
}

/** Sets a new password (argon2id); returns the user, or null when it does not exist. */
export async function setUserPassword(
  db: Db,
  id: number,
  password: string,
  now = new Date().toISOString(),
): Promise<User | null> {
  assertPasswordAcceptable(password);
  const passwordHash = await hashPassword(password);
  await db
    .updateTable('users')
    .set({ password_hash: passwordHash, password_changed_at: now, updated_at: now })
    .where('id', '=', id)
    .execute();
  return getUserById(db, id);
}

/** Stamps a successful login. */
export async function markUserLoggedIn(db: Db, id: number, at: string): Promise<void> {
  await db.updateTable('users').set({ last_login_at: at }).where('id', '=', id).execute();
}
