import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config/index.js';
import type { Logger } from '../observability/logger.js';
import { registerSqliteConnection } from './direct-select.js';
import type { Database } from './schema.js';
import { withStatementCache } from './sqlite-statement-cache.js';

export type Dialect = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** Closes the pool or file; safe to call twice. */
  destroy(): Promise<void>;
}

/** How long a SQLite writer waits on a lock before SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

// Both dialects hand repositories the same JS values: ids and counts as numbers, times as ISO-8601
// strings, JSON columns as their raw text (SQLite stores JSON as text; jsonb would come back parsed).
const PG_OID = {
  int8: 20,
  numeric: 1700,
  timestamp: 1114,
  timestamptz: 1184,
  json: 114,
  jsonb: 3802,
};

function pgTypeParser(oid: number, format?: string): (value: string) => unknown {
  switch (oid) {
    case PG_OID.int8:
    case PG_OID.numeric:
      return Number;
    case PG_OID.timestamptz:
      return (value) => new Date(value).toISOString();
    case PG_OID.timestamp:
      return (value) => new Date(`${value.replace(' ', 'T')}Z`).toISOString();
    case PG_OID.json:
    case PG_OID.jsonb:
      return (value) => value;
    default:
      return pg.types.getTypeParser(oid, format as 'text');
  }
}

function openSqlite(file: string): SqliteDatabase.Database {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  if (file !== ':memory:') sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  return sqlite;
}

/** Opens the configured database (SQLite file or PostgreSQL pool) behind one Kysely instance. */
export function openDatabase(
  config: DatabaseConfig,
  options: { logger?: Logger } = {},
): DatabaseHandle {
  if (config.kind === 'sqlite') {
    const sqlite = openSqlite(config.path);
    const db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
    });
    registerSqliteConnection(db, sqlite);
    return { db, dialect: 'sqlite', destroy: once(() => db.destroy()) };
  }
  const queryTimeoutMs = config.queryTimeoutMs ?? 30_000;
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolSize,
    // A server that stops answering (network partition, hung failover) must fail queries instead
    // of leaving a call's reads and the post-call summary waiting forever. The server cancels a
    // slow statement itself (the connection stays usable); the client-side timer, a little
    // later, is for a server that cannot even do that.
    connectionTimeoutMillis: config.connectTimeoutMs ?? 5_000,
    statement_timeout: queryTimeoutMs,
    query_timeout: queryTimeoutMs + 5_000,
    types: { getTypeParser: pgTypeParser } as unknown as pg.CustomTypesConfig,
  });
  // A connection that dies (server restart, failover, pg_terminate_backend) is emitted as 'error'
  // on its client, and an EventEmitter 'error' without a listener kills the process. pg-pool
  // listens only while the client is idle (and re-emits on the pool): a client checked out for a
  // query or transaction needs its own listener. The query in flight fails with the error anyway,
  // and pg-pool drops the broken client; the next query opens a new connection.
  pool.on('connect', (client) => client.on('error', () => undefined));
  pool.on('error', (error: Error & { code?: string }) => {
    options.logger?.warn(
      { err: error.message, code: error.code },
      'database connection lost; the next query reconnects',
    );
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', destroy: once(() => db.destroy()) };
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
