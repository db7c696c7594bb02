import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

export * from './connection.js';
export { executeSelect } from './direct-select.js';
export { migrateToLatest, SQL_DIR } from './migrator.js';
export type * from './schema.js';

/** What repositories take first: the database or a transaction on it. */
export type Db = Kysely<Database> | Transaction<Database>;

/** Runs `fn` in a transaction, or inside the caller's transaction when `db` already is one. */
export async function inTransaction<T>(
  db: Db,
  fn: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<Database>);
  return (db as Kysely<Database>).transaction().execute(fn);
}
