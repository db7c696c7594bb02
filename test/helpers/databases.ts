import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import {
  migrateToLatest,
  openDatabase,
  type DatabaseHandle,
  type Dialect,
} from '../../src/db/index.js';

export const DIALECTS: readonly Dialect[] = ['sqlite', 'postgres'];

/** A migrated, empty database of the given dialect: SQLite in memory or a throwaway PostgreSQL database. */
export async function createTestDatabase(dialect: Dialect): Promise<DatabaseHandle> {
  if (dialect === 'sqlite') {
    const handle = openDatabase({ kind: 'sqlite', path: ':memory:' });
    await migrateToLatest(handle.db, 'sqlite');
    return handle;
  }
  const baseUrl = inject('postgresUrl');
  if (!baseUrl) throw new Error('PostgreSQL is not reachable');
  const name = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(baseUrl, `CREATE DATABASE ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const handle = openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 5 });
  await migrateToLatest(handle.db, 'postgres');
  return {
    ...handle,
    async destroy() {
      await handle.destroy();
      await adminQuery(baseUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** The PostgreSQL base URL for tests that need their own server-side setup, or null. */
export function postgresUrl(): string | null {
  return inject('postgresUrl');
}

/**
 * Runs the same suite against SQLite and PostgreSQL, one fresh database per dialect.
 * The PostgreSQL run is skipped (visibly) when no server is reachable outside CI.
 */
export function describeEachDialect(
  name: string,
  body: (database: () => DatabaseHandle, dialect: Dialect) => void,
): void {
  for (const dialect of DIALECTS) {
    const skip = dialect === 'postgres' && !inject('postgresUrl');
    (skip ? describe.skip : describe)(`${dialect}: ${name}`, () => {
      let handle: DatabaseHandle | undefined;
      beforeAll(async () => {
        handle = await createTestDatabase(dialect);
      });
      afterAll(async () => {
        await handle?.destroy();
      });
      body(() => {
        if (!handle) throw new Error('database not ready');
        return handle;
      }, dialect);
    });
  }
}
