import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type Kysely,
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
  Migrator,
  sql,
} from 'kysely';
import { PROJECT_ROOT } from '../config/paths.js';
import type { Dialect } from './connection.js';
import { splitSqlStatements } from './sql-statements.js';

/** The `sql/` folder at the project root. */
export const SQL_DIR = path.join(PROJECT_ROOT, 'sql');

/**
 * Reads migrations from `sql/<name>/{sqlite,postgres}.sql`. Names sort in time order
 * (`2026_11_21_0001_vehicles`); files are frozen once released and never import app code.
 */
export class SqlFileMigrationProvider implements MigrationProvider {
  constructor(
    private readonly dialect: Dialect,
    private readonly dir = SQL_DIR,
  ) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const entries = await readdir(this.dir, { withFileTypes: true });
    const migrations: Record<string, Migration> = {};
    for (const entry of entries.filter((e) => e.isDirectory()).sort(byName)) {
      const file = path.join(this.dir, entry.name, `${this.dialect}.sql`);
      const statements = splitSqlStatements(await readFile(file, 'utf8'));
      migrations[entry.name] = {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see migrateToLatest
        async up(db: Kysely<any>) {
          for (const statement of statements) await sql.raw(statement).execute(db);
        },
      };
    }
    return migrations;
  }
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Brings the schema to the latest migration; throws with the failing migration's name. */
export async function migrateToLatest(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time: untyped by design
  db: Kysely<any>,
  dialect: Dialect,
  dir = SQL_DIR,
): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: new SqlFileMigrationProvider(dialect, dir) });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${cause}`, {
      cause: result.error,
    });
  }
  return result;
}
