import { sql } from 'kysely';
import { beforeAll, expect, it, vi } from 'vitest';
import { describeEachDialect } from '../../test/helpers/databases.js';
import { makeVin, newVehicle } from '../../test/helpers/vehicles.js';
import { upsertVehicles } from '../vehicle-lookup/vehicle-repository.js';
import { executeSelect } from './direct-select.js';
import type { Db } from './index.js';

const STAMP = '2026-11-01T00:00:00.000Z';
const stock = [
  newVehicle({ vin: makeVin('2HGFE2F5', 'N', 'H', 500_001) }),
  newVehicle({ vin: makeVin('2HGFE2F5', 'N', 'H', 500_002), trim: null, color: null }),
  newVehicle({ vin: makeVin('1FTFW1E8', 'R', 'F', 500_003), make: 'Ford', model: 'F-150' }),
];

const byMake = (db: Db, make: string) =>
  db.selectFrom('vehicles').selectAll().where('make', '=', make).orderBy('id').compile();

describeEachDialect('executeSelect', (database, dialect) => {
  beforeAll(async () => {
    await upsertVehicles(database().db, stock, STAMP);
  });

  it('returns exactly the rows Kysely returns, nulls and numbers included', async () => {
    const { db } = database();
    for (const make of ['Honda', 'Ford', 'Tesla']) {
      const query = byMake(db, make);
      expect(await executeSelect(db, query)).toEqual((await db.executeQuery(query)).rows);
    }
    const counted = db
      .selectFrom('vehicles')
      .select((eb) => [eb.fn.countAll<number>().as('n'), sql<string>`'x'`.as('x')])
      .compile();
    expect(await executeSelect(db, counted)).toEqual((await db.executeQuery(counted)).rows);
  });

  it('reads SQLite directly, and goes through Kysely in a transaction', async () => {
    const { db } = database();
    const query = byMake(db, 'Honda');
    const kysely = vi.spyOn(db, 'executeQuery');
    try {
      await executeSelect(db, query);
      expect(kysely).toHaveBeenCalledTimes(dialect === 'sqlite' ? 0 : 1);
    } finally {
      kysely.mockRestore();
    }
    await db.transaction().execute(async (trx) => {
      const inTransaction = vi.spyOn(trx, 'executeQuery');
      await executeSelect(trx, query);
      expect(inTransaction).toHaveBeenCalledTimes(1);
    });
  });

  it('never shows rows of a transaction still open (SQLite waits for it to end)', async () => {
    const { db } = database();
    const query = byMake(db, 'Kia');
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted = () => {};
    const insertedYet = new Promise<void>((resolve) => (inserted = resolve));
    const events: string[] = [];
    const transaction = db.transaction().execute(async (trx) => {
      await upsertVehicles(trx, [
        newVehicle({ vin: makeVin('KNDETCAA', 'P', '7', 500_004), make: 'Kia' }),
      ]);
      inserted();
      await held;
      events.push('commit');
    });
    await insertedYet;
    const read = executeSelect(db, query).then((rows) => {
      events.push('read');
      return rows;
    });
    if (dialect === 'postgres') expect(await read).toEqual([]);
    release();
    await transaction;
    const rows = await read;
    // SQLite has one connection: the read ran after the commit and sees the row.
    if (dialect === 'sqlite') expect([events, rows.length]).toEqual([['commit', 'read'], 1]);
    await db.deleteFrom('vehicles').where('make', '=', 'Kia').execute();
  });

  // Kysely streams from PostgreSQL only with pg-cursor, which the project does not use.
  (dialect === 'sqlite' ? it : it.skip)(
    'waits for a streamed query on the connection',
    async () => {
      const { db } = database();
      const query = byMake(db, 'Honda');
      const rows = db.selectFrom('vehicles').select('id').orderBy('id').stream();
      const stream = rows[Symbol.asyncIterator]();
      expect((await stream.next()).done).toBe(false);
      const read = executeSelect(db, query);
      while (!(await stream.next()).done);
      expect(await read).toHaveLength(2);
    },
  );

  it('follows a schema change under a cached statement', async () => {
    const { db } = database();
    const query = byMake(db, 'Ford');
    await executeSelect(db, query);
    await sql`ALTER TABLE vehicles ADD COLUMN note TEXT`.execute(db);
    try {
      const rows = await executeSelect(db, query);
      expect(rows).toEqual((await db.executeQuery(query)).rows);
      expect(rows[0]).toHaveProperty('note', null);
    } finally {
      await sql`ALTER TABLE vehicles DROP COLUMN note`.execute(db);
    }
  });
});
