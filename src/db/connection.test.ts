import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, postgresUrl } from '../../test/helpers/databases.js';
import { captureLogs } from '../../test/helpers/log-capture.js';
import { type DatabaseHandle, openDatabase } from './connection.js';

const backendPid = async (db: DatabaseHandle['db']) =>
  (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)).rows[0]!.pid;

describe.skipIf(!postgresUrl())('PostgreSQL pool when the server drops connections', () => {
  let scratch: DatabaseHandle;
  let handle: DatabaseHandle;
  let admin: pg.Client;
  let logs: ReturnType<typeof captureLogs>;

  beforeEach(async () => {
    scratch = await createTestDatabase('postgres');
    const { name } = (
      await sql<{ name: string }>`select current_database() as name`.execute(scratch.db)
    ).rows[0]!;
    const url = new URL(postgresUrl()!);
    url.pathname = `/${name}`;
    logs = captureLogs();
    handle = openDatabase(
      { kind: 'postgres', url: url.toString(), poolSize: 2 },
      { logger: logs.logger },
    );
    admin = new pg.Client({ connectionString: postgresUrl()! });
    await admin.connect();
  });
  afterEach(async () => {
    await admin.end();
    await handle.destroy();
    await scratch.destroy();
  });

  // Both cases crashed the process ("Unhandled 'error' event"); vitest fails a test on that.
  it('survives losing an idle connection, logs it, and reconnects on the next query', async () => {
    const before = await backendPid(handle.db);
    await admin.query('select pg_terminate_backend($1)', [before]);
    await vi.waitFor(() =>
      expect(
        logs.lines().find((l) => l.msg === 'database connection lost; the next query reconnects'),
      ).toMatchObject({ code: '57P01' }),
    );
    expect(await backendPid(handle.db)).not.toBe(before);
  });

  it('fails only the query in flight when its connection is lost', async () => {
    const transaction = handle.db.transaction().execute(async (trx) => {
      const own = await backendPid(trx);
      const sleeping = sql`select pg_sleep(30)`.execute(trx);
      await vi.waitFor(async () => {
        const { rows } = await admin.query(
          "select 1 from pg_stat_activity where pid = $1 and query like '%pg_sleep%'",
          [own],
        );
        expect(rows).toHaveLength(1);
      });
      await admin.query('select pg_terminate_backend($1)', [own]);
      await expect(sleeping).rejects.toMatchObject({ code: '57P01' });
    });
    // The commit has no connection left either.
    await expect(transaction).rejects.toThrow();
    expect(await backendPid(handle.db)).toBeGreaterThan(0);
  });
});
