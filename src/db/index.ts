import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

export * from './connection.js';
export { migrateToLatest, SQL_DIR } from './migrator.js';
export type * from './schema.js';

/** What repositories take first: the database or a transaction on it. */
export type Db = Kysely<Database> | Transaction<Database>;
