import { type Compilable, CompiledQuery, sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/helpers/databases.js';
import { makeVin, newVehicle } from '../../test/helpers/vehicles.js';
import { encodeCursor } from '../db/cursor.js';
import type { Db, Dialect } from '../db/index.js';
import {
  listVehiclesQuery,
  serialSuffixQuery,
  upsertVehicles,
  vehicleByVinQuery,
} from './vehicle-repository.js';

const MAKES = ['Honda', 'Toyota', 'Ford', 'Chevrolet', 'Nissan', 'Kia', 'Hyundai', 'Subaru'];

/** The plan of the exact SQL a repository function sends, one line per plan node. */
async function plan(db: Db, dialect: Dialect, query: Compilable): Promise<string> {
  const { sql: text, parameters } = query.compile();
  const prefix = dialect === 'sqlite' ? 'EXPLAIN QUERY PLAN ' : 'EXPLAIN ';
  const { rows } = await db.executeQuery<Record<string, unknown>>(
    CompiledQuery.raw(prefix + text, [...parameters]),
  );
  return rows.map((row) => String(row.detail ?? row['QUERY PLAN'])).join('\n');
}

describeEachDialect('vehicle query plans', (database, dialect) => {
  beforeAll(async () => {
    const { db } = database();
    // Enough rows, spread over makes, that PostgreSQL's statistics favour indexes as they would
    // on a real inventory; SQLite plans from the schema alone.
    const stock = Array.from({ length: dialect === 'postgres' ? 20_000 : 200 }, (_, i) =>
      newVehicle({
        vin: makeVin('2HGFE2F5', 'N', 'H', 100_000 + i),
        make: MAKES[i % MAKES.length],
        status: i % 10 === 0 ? 'sold' : 'available',
      }),
    );
    await upsertVehicles(db, stock);
    if (dialect === 'postgres') await sql`ANALYZE vehicles`.execute(db);
  });

  it('looks a VIN up through the unique index', async () => {
    const { db } = database();
    const text = await plan(
      db,
      dialect,
      vehicleByVinQuery(db, makeVin('2HGFE2F5', 'N', 'H', 100_042)),
    );
    expect(text).toMatch(
      dialect === 'sqlite'
        ? /SEARCH vehicles USING INDEX sqlite_autoindex_vehicles_1 \(vin=\?\)/
        : /Index Scan using vehicles_vin_key on vehicles/,
    );
  });

  it('lists one make in id order from the (lower(make), id) index, without sorting', async () => {
    const { db } = database();
    for (const cursor of [undefined, encodeCursor([5_000])]) {
      const text = await plan(
        db,
        dialect,
        listVehiclesQuery(db, { make: 'Honda' }, { limit: 20, cursor }),
      );
      expect(text).not.toMatch(/TEMP B-TREE|Sort|Seq Scan|SCAN vehicles/);
      expect(text).toMatch(
        dialect === 'sqlite'
          ? /SEARCH vehicles USING INDEX vehicles_make_id \(<expr>=\?/
          : /Index Scan using (vehicles_make_id|vehicles_pkey) on vehicles/,
      );
    }
  });

  it('lists by status in id order without sorting', async () => {
    const { db } = database();
    const text = await plan(db, dialect, listVehiclesQuery(db, { status: 'sold' }, { limit: 20 }));
    expect(text).not.toMatch(/TEMP B-TREE|Sort|Seq Scan/);
  });

  it('finds a VIN ending through the serial index', async () => {
    const { db } = database();
    const text = await plan(db, dialect, serialSuffixQuery(db, '100042'));
    expect(text).toMatch(
      dialect === 'sqlite'
        ? /SEARCH vehicles USING INDEX vehicles_serial \(<expr>=\?\)/
        : /Index Scan using vehicles_serial on vehicles|Bitmap Index Scan on vehicles_serial/,
    );
  });
});
