import { type AddressInfo, createServer, type Socket } from 'node:net';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
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

describe.skipIf(!postgresUrl())('PostgreSQL pool when the server stops answering', () => {
  let handle: DatabaseHandle | undefined;
  afterEach(async () => {
    await handle?.destroy();
    handle = undefined;
  });

  it('fails a connection attempt the server never answers within the connect timeout', async () => {
    // Accepts TCP and then says nothing, as a partitioned or hung server does.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    onTestFinished(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });
    handle = openDatabase({
      kind: 'postgres',
      url: `postgres://postgres@127.0.0.1:${port}/test`,
      poolSize: 1,
      connectTimeoutMs: 200,
    });
    await expect(sql`select 1`.execute(handle.db)).rejects.toThrow(/timeout/i);
  });

  it('cancels a statement that runs past the query timeout and keeps the connection', async () => {
    handle = openDatabase({
      kind: 'postgres',
      url: postgresUrl()!,
      poolSize: 1,
      queryTimeoutMs: 200,
    });
    await expect(sql`select pg_sleep(5)`.execute(handle.db)).rejects.toMatchObject({
      code: '57014', // query_canceled: the server stopped it
    });
    // The pool recovers: the next query gets a working connection.
    expect((await sql<{ one: number }>`select 1 as one`.execute(handle.db)).rows[0]?.one).toBe(1);
  });
});
