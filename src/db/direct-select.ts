import type BetterSqlite3 from 'better-sqlite3';
import type { CompiledQuery, Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { Db } from './index.js';

// The better-sqlite3 connection behind each Kysely instance openDatabase made on SQLite. Only
// that instance is registered: transactions, withSchema() and withPlugin() derive new instances
// and so always go through Kysely.
const connections = new WeakMap<Kysely<Database>, BetterSqlite3.Database>();

/** A SELECT prepared in raw mode (rows as arrays), with its column names. */
interface RawSelect {
  statement: BetterSqlite3.Statement<unknown[], unknown[]>;
  columns: string[];
}
const statements = new WeakMap<BetterSqlite3.Database, Map<string, RawSelect | null>>();

/** Lets {@link executeSelect} reach `sqlite` directly when it is handed `db`. */
export function registerSqliteConnection(
  db: Kysely<Database>,
  sqlite: BetterSqlite3.Database,
): void {
  connections.set(db, sqlite);
}

/** The statement for `sql`, prepared once; null for SQL that returns no rows. */
function prepared(sqlite: BetterSqlite3.Database, sql: string): RawSelect | null {
  let cache = statements.get(sqlite);
  if (cache === undefined) statements.set(sqlite, (cache = new Map()));
  let select = cache.get(sql);
  if (select === undefined) {
    const statement = sqlite.prepare<unknown[], unknown[]>(sql);
    select = statement.reader
      ? { statement: statement.raw(true), columns: statement.columns().map((c) => c.name) }
      : null;
    cache.set(sql, select);
  }
  return select;
}

// Rows as objects the way better-sqlite3 builds them (keys in column order, a later column of the
// same name winning), but from raw arrays: its own object rows create every key string anew for
// every row, which costs a third of reading a page of vehicles.
function rowsOf(select: RawSelect, parameters: readonly unknown[]): Record<string, unknown>[] {
  const rows = select.statement.all(parameters);
  // SQLite re-prepares a statement after a schema change, and `*` may then mean other columns.
  if (rows.length > 0 && rows[0]?.length !== select.columns.length) {
    select.columns = select.statement.columns().map((c) => c.name);
  }
  const { columns } = select;
  return rows.map((values) => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) row[columns[i] as string] = values[i];
    return row;
  });
}

/**
 * Runs a compiled SELECT and returns its rows, as `db.executeQuery(query)` would. On SQLite it
 * runs the prepared statement straight on the connection when no transaction is open there:
 * Kysely's executor (connection mutex, promises, plugins) costs more than a short indexed
 * lookup. While a transaction is open (an import in progress), it goes through Kysely, which
 * waits for the transaction to end, so callers never see uncommitted rows. Only for queries
 * whose SQL comes from a bounded set (compiled once per shape): every SQL text stays prepared.
 */
export async function executeSelect<Row>(db: Db, query: CompiledQuery<Row>): Promise<Row[]> {
  const sqlite = connections.get(db as Kysely<Database>);
  if (sqlite !== undefined && sqlite.open && !sqlite.inTransaction) {
    try {
      const select = prepared(sqlite, query.sql);
      if (select !== null) return rowsOf(select, query.parameters) as Row[];
    } catch (error) {
      // better-sqlite3 throws TypeError, not SqliteError, for a connection busy iterating a
      // streamed query (and for misuse, which Kysely reports the same way): Kysely waits its turn.
      if (!(error instanceof TypeError)) throw error;
    }
  }
  return (await db.executeQuery(query)).rows;
}
