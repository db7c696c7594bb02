import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/helpers/databases.js';
import { makeVin, newVehicle } from '../../test/helpers/vehicles.js';
import { encodeCursor } from '../db/cursor.js';
import type { Db } from '../db/index.js';
import type { VehicleFilters } from './vehicle-filters.js';
import {
  getVehicleByVin,
  listVehicles,
  listVehiclesQuery,
  upsertVehicles,
} from './vehicle-repository.js';

// The defaults of newVehicle match every filter below; each variant misses exactly one.
const MATCHING: Required<Omit<VehicleFilters, 'q'>> = {
  make: ' HONDA',
  model: ' CIVIC ',
  year: 2022,
  status: 'available',
  body: 'sedan',
  priceMin: 20_000,
  priceMax: 30_000,
};
let serial = 600_000;
const vin = () => makeVin('2HGFE2F5', 'N', 'H', serial++);
const stock = [
  ...Array.from({ length: 8 }, () => newVehicle({ vin: vin(), trim: null, color: null })),
  newVehicle({ vin: vin(), make: 'Toyota', model: 'Corolla' }),
  newVehicle({ vin: vin(), model: 'Accord' }),
  newVehicle({ vin: vin(), year: 2019 }),
  newVehicle({ vin: vin(), status: 'sold', location: null }),
  newVehicle({ vin: vin(), body: 'hatchback' }),
  newVehicle({ vin: vin(), price: 12_500 }),
  newVehicle({ vin: vin(), price: 41_000 }),
];

/** Every combination of the field filters: the shapes the list compiles once each. */
function everyShape(): VehicleFilters[] {
  const keys = Object.keys(MATCHING) as (keyof typeof MATCHING)[];
  return Array.from({ length: 2 ** keys.length }, (_, mask) =>
    Object.fromEntries(keys.filter((_, i) => mask & (1 << i)).map((k) => [k, MATCHING[k]])),
  );
}

describeEachDialect('vehicle repository: compiled-once and direct SQLite reads', (database) => {
  let afterId = 0;
  beforeAll(async () => {
    const { db } = database();
    await upsertVehicles(db, stock, '2026-11-01T00:00:00.000Z');
    const first = await listVehicles(db, {}, { limit: 2 });
    afterId = first.items[1]?.id ?? 0;
  });

  // A transaction never takes the direct path: what it reads went through Kysely's executor.
  const throughKysely = <T>(read: (trx: Db) => Promise<T>) =>
    database().db.transaction().execute(read);

  it('looks every VIN up as Kysely does, unknown ones as null', async () => {
    const { db } = database();
    for (const vehicle of [...stock, newVehicle({ vin: makeVin('2HGFE2F5', 'N', 'H', 699_999) })]) {
      const direct = await getVehicleByVin(db, vehicle.vin);
      expect(direct).toEqual(await throughKysely((trx) => getVehicleByVin(trx, vehicle.vin)));
      expect(direct === null).toBe(!stock.includes(vehicle));
    }
  });

  it('lists every filter shape, with and without a cursor, as the query builder does', async () => {
    const { db } = database();
    for (const filters of everyShape()) {
      for (const cursor of [undefined, encodeCursor([afterId])]) {
        const page = await listVehicles(db, filters, { limit: 3, cursor });
        expect(page).toEqual(
          await throughKysely((trx) => listVehicles(trx, filters, { limit: 3, cursor })),
        );
        // The values bound to the compiled-once query: the builder, fed anew, finds the same ids.
        const built = await listVehiclesQuery(db, filters, { limit: 3, cursor }).execute();
        expect(page.items.map((v) => v.id)).toEqual(built.slice(0, 3).map((row) => row.id));
      }
    }
  });

  it('binds each filter value where its condition is: each leaves out its own variants', async () => {
    const { db } = database();
    const left = { make: 1, model: 2, year: 1, status: 1, body: 1, priceMin: 1, priceMax: 1 };
    for (const [key, value] of Object.entries(MATCHING)) {
      const page = await listVehicles(db, { [key]: value }, { limit: 100 });
      expect(page.items.length, key).toBe(stock.length - left[key as keyof typeof left]);
    }
  });
});
