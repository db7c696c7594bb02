import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { createTestDatabase, postgresUrl } from '../../test/helpers/databases.js';
import { captureLogs } from '../../test/helpers/log-capture.js';
import { openDatabase } from './connection.js';

const backendPid = async (db: ReturnType<typeof openDatabase>['db']) =>
  (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)).rows[0]!.pid;

describe.skipIf(!postgresUrl())('PostgreSQL pool', () => {
  it('survives the server closing an idle connection and reconnects on the next query', async () => {
    const scratch = await createTestDatabase('postgres');
    const name = (
      await sql<{ name: string }>`select current_database() as name`.execute(scratch.db)
    ).rows[0]!.name;
    const url = new URL(postgresUrl()!);
    url.pathname = `/${name}`;
    const { logger, lines } = captureLogs();
    const handle = openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 1 }, { logger });
    const admin = new pg.Client({ connectionString: postgresUrl()! });
    await admin.connect();
    try {
      const before = await backendPid(handle.db);
      // What a server restart or failover does to the pool's idle connection.
      await admin.query('select pg_terminate_backend($1)', [before]);
      await vi.waitFor(() =>
        expect(
          lines().find((l) => l.msg?.toString().startsWith('database connection lost')),
        ).toMatchObject({
          code: '57P01',
        }),
      );
      expect(await backendPid(handle.db)).not.toBe(before);
    } finally {
      await admin.end();
      await handle.destroy();
      await scratch.destroy();
    }
  });
});
