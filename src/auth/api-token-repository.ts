import type { Selectable } from 'kysely';
import type { Db } from '../db/index.js';
import type { ApiTokenTable } from '../db/schema.js';
import type { Role } from './roles.js';
import { randomSecret, sha256Hex } from './secrets.js';

/** Every API token starts with this, so leaked tokens are easy to recognise (secret scanners). */
export const API_TOKEN_PREFIX = 'dvl_';

/** A machine client's credential, without the secret. */
export interface ApiToken {
  id: number;
  name: string;
  role: Role;
  /** The first characters of the token, to tell tokens apart in lists. */
  prefix: string;
  createdBy: number | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Thrown when a live token already has the name. */
export class DuplicateTokenNameError extends Error {
  constructor(name: string) {
    super(`a live API token named "${name}" already exists`);
    this.name = 'DuplicateTokenNameError';
  }
}

function rowToToken(row: Selectable<ApiTokenTable>): ApiToken {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: row.token_prefix,
    createdBy: row.created_by,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

/**
 * Creates a token: returns the secret (shown to the person once, never stored: only its sha256
 * is) and the stored token.
 */
export async function createApiToken(
  db: Db,
  input: { name: string; role: Role; createdBy?: number | null },
  now = new Date().toISOString(),
): Promise<{ token: string; apiToken: ApiToken }> {
  const name = input.name.trim();
  const existing = await db
    .selectFrom('api_tokens')
    .select('id')
    .where('name', '=', name)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (existing) throw new DuplicateTokenNameError(name);
  const token = `${API_TOKEN_PREFIX}${randomSecret()}`;
  const row = await db
    .insertInto('api_tokens')
    .values({
      name,
      token_hash: sha256Hex(token),
      token_prefix: token.slice(0, API_TOKEN_PREFIX.length + 6),
      role: input.role,
      created_by: input.createdBy ?? null,
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { token, apiToken: rowToToken(row) };
}

/** The live token matching this secret, stamping `last_used_at`; null when unknown or revoked. */
export async function authenticateApiToken(
  db: Db,
  token: string,
  now = new Date().toISOString(),
): Promise<ApiToken | null> {
  if (!token.startsWith(API_TOKEN_PREFIX)) return null;
  const row = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_hash', '=', sha256Hex(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  // One write per minute at most: a busy client should not turn every read into a write.
  if (!row.last_used_at || Date.parse(now) - Date.parse(row.last_used_at) >= 60_000) {
    await db
      .updateTable('api_tokens')
      .set({ last_used_at: now })
      .where('id', '=', row.id)
      .execute();
    row.last_used_at = now;
  }
  return rowToToken(row);
}

/** All tokens, newest first (revoked ones included, marked). */
export async function listApiTokens(db: Db): Promise<ApiToken[]> {
  const rows = await db.selectFrom('api_tokens').selectAll().orderBy('id', 'desc').execute();
  return rows.map(rowToToken);
}

/** The token with this id, or null. */
export async function getApiToken(db: Db, id: number): Promise<ApiToken | null> {
  const row = await db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? rowToToken(row) : null;
}

/** Revokes a token by id or by its live name; returns it, or null when there is no such live token. */
export async function revokeApiToken(
  db: Db,
  which: { id: number } | { name: string },
  now = new Date().toISOString(),
): Promise<ApiToken | null> {
  let query = db.selectFrom('api_tokens').selectAll().where('revoked_at', 'is', null);
  query = 'id' in which ? query.where('id', '=', which.id) : query.where('name', '=', which.name);
  const row = await query.executeTakeFirst();
  if (!row) return null;
  await db.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', row.id).execute();
  return rowToToken({ ...row, revoked_at: now });
}
