import { describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/helpers/databases.js';
import { makeVin, newVehicle } from '../../test/helpers/vehicles.js';
import { InvalidCursorError } from '../db/cursor.js';
import type { Db } from '../db/index.js';
import {
  countVehicles,
  findVehiclesBySerialSuffix,
  getVehicleByVin,
  iterateVehicles,
  listVehicles,
  searchInventory,
  upsertVehicles,
} from './vehicle-repository.js';
import type { NewVehicle } from './vehicle.js';

async function reset(db: Db, vehicles: NewVehicle[] = []): Promise<void> {
  await db.deleteFrom('vehicles').execute();
  if (vehicles.length > 0) await upsertVehicles(db, vehicles, '2026-11-01T00:00:00.000Z');
}

async function allPages(db: Db, filters: Parameters<typeof listVehicles>[1], limit: number) {
  const seen: string[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const page = await listVehicles(db, filters, { limit, cursor });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    seen.push(...page.items.map((v) => v.vin));
    if (page.nextCursor === null) return seen;
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not end');
}

const civic = newVehicle();
const crv = newVehicle({
  vin: makeVin('2HKRW2H5', 'M', 'H', 412_345),
  year: 2021,
  model: 'CR-V',
  trim: 'EX-L',
  body: 'suv',
  color: 'Lunar Silver',
  price: 27_450,
  mileage: 31_000,
});
const silverado = newVehicle({
  vin: makeVin('1GCUYDED', 'P', 'Z', 123_456),
  year: 2023,
  make: 'Chevrolet',
  model: 'Silverado 1500',
  trim: 'LT Trail Boss',
  body: 'truck',
  color: 'Black',
  price: 48_900,
  status: 'in_service',
  location: 'Service bay',
});
const f150 = newVehicle({
  vin: makeVin('1FTFW1E8', 'R', 'F', 654_321),
  year: 2024,
  make: 'Ford',
  model: 'F-150',
  trim: 'XLT 100%',
  body: 'truck',
  color: 'Oxford White',
  price: 52_300,
  mileage: 12,
});
const soldAccord = newVehicle({
  vin: makeVin('1HGCY1F3', 'P', 'A', 777_001),
  year: 2023,
  model: 'Accord',
  trim: 'Sport',
  price: 26_800,
  status: 'sold',
});

describeEachDialect('vehicle repository', (database) => {
  it('stores vehicles and reads one back by VIN as a domain object', async () => {
    const { db } = database();
    await reset(db, [civic, crv]);
    const found = await getVehicleByVin(db, crv.vin);
    expect(found).toEqual({
      ...crv,
      id: expect.any(Number),
      createdAt: '2026-11-01T00:00:00.000Z',
      updatedAt: '2026-11-01T00:00:00.000Z',
    });
    expect(Object.keys(found ?? {}).some((key) => key.includes('_'))).toBe(false);
    expect(await getVehicleByVin(db, makeVin('2HGFE2F5', 'N', 'H', 999_999))).toBeNull();
    // The compiled lookup is reused; a second VIN must not get the first one's answer.
    expect((await getVehicleByVin(db, civic.vin))?.model).toBe('Civic');
  });

  it('upserts: inserts new VINs, updates changed ones, leaves equal ones alone', async () => {
    const { db } = database();
    await reset(db, [civic, crv]);
    const result = await upsertVehicles(
      db,
      [
        { ...civic, price: 22_995, status: 'sold' },
        crv,
        silverado,
        { ...silverado, price: 47_500 },
      ],
      '2026-11-02T08:00:00Z',
    );
    expect(result).toEqual({ inserted: 1, updated: 1, unchanged: 1 });
    expect(await getVehicleByVin(db, civic.vin)).toMatchObject({
      price: 22_995,
      status: 'sold',
      createdAt: '2026-11-01T00:00:00.000Z',
      updatedAt: '2026-11-02T08:00:00.000Z',
    });
    expect(await getVehicleByVin(db, crv.vin)).toMatchObject({
      updatedAt: '2026-11-01T00:00:00.000Z',
    });
    expect(await getVehicleByVin(db, silverado.vin)).toMatchObject({ price: 47_500 });
    expect(await countVehicles(db)).toBe(3);
  });

  it('upserts in chunks and rolls back with the surrounding transaction', async () => {
    const { db } = database();
    await reset(db);
    const many = Array.from({ length: 1_234 }, () => newVehicle());
    expect(await upsertVehicles(db, many)).toEqual({ inserted: 1_234, updated: 0, unchanged: 0 });
    expect(await countVehicles(db)).toBe(1_234);
    const changed = many.map((v, i) => (i % 2 === 0 ? { ...v, mileage: v.mileage + 1 } : v));
    await expect(
      db.transaction().execute(async (trx) => {
        expect(await upsertVehicles(trx, [...changed, newVehicle()])).toEqual({
          inserted: 1,
          updated: 617,
          unchanged: 617,
        });
        throw new Error('abort the import');
      }),
    ).rejects.toThrow('abort the import');
    expect(await countVehicles(db)).toBe(1_234);
    expect((await getVehicleByVin(db, many[0]?.vin ?? ''))?.mileage).toBe(many[0]?.mileage);
  });

  it('lists every vehicle once across keyset pages, in id order', async () => {
    const { db } = database();
    const stock = [civic, crv, silverado, f150, soldAccord];
    await reset(db, stock);
    expect(await allPages(db, {}, 2)).toEqual(stock.map((v) => v.vin));
    const first = await listVehicles(db, {}, { limit: 5 });
    expect(first.nextCursor).toBeNull();
    expect(first.items.map((v) => v.id)).toEqual(
      [...first.items.map((v) => v.id)].sort((a, b) => a - b),
    );
  });

  it('filters by make (any case, aliases), model, year, status, body and price', async () => {
    const { db } = database();
    await reset(db, [civic, crv, silverado, f150, soldAccord]);
    const vins = async (filters: Parameters<typeof listVehicles>[1]) =>
      (await listVehicles(db, filters)).items.map((v) => v.vin);
    expect(await vins({ make: 'HONDA' })).toEqual([civic.vin, crv.vin, soldAccord.vin]);
    expect(await vins({ make: 'chevy' })).toEqual([silverado.vin]);
    expect(await vins({ make: 'honda', model: 'cr-v' })).toEqual([crv.vin]);
    expect(await vins({ year: 2023 })).toEqual([silverado.vin, soldAccord.vin]);
    expect(await vins({ status: 'in_service' })).toEqual([silverado.vin]);
    expect(await vins({ body: 'truck', priceMin: 49_000 })).toEqual([f150.vin]);
    expect(await vins({ priceMin: 24_000, priceMax: 28_000 })).toEqual([crv.vin, soldAccord.vin]);
    expect(await vins({ make: 'Toyota' })).toEqual([]);
    expect(await allPages(db, { make: 'honda' }, 1)).toEqual([civic.vin, crv.vin, soldAccord.vin]);
  });

  it('finds free text in make, model, trim, color, year and the start of the VIN', async () => {
    const { db } = database();
    await reset(db, [civic, crv, silverado, f150, soldAccord]);
    const q = async (text: string) =>
      (await listVehicles(db, { q: text })).items.map((v) => v.model);
    expect(await q('chevy trail')).toEqual(['Silverado 1500']);
    expect(await q('honda silver')).toEqual(['CR-V']);
    expect(await q('2023')).toEqual(['Silverado 1500', 'Accord']);
    expect(await q(crv.vin.slice(0, 6).toLowerCase())).toEqual(['CR-V']);
    expect(await q('f-150 white')).toEqual(['F-150']);
    // LIKE wildcards in the text are literal characters.
    expect(await q('100%')).toEqual(['F-150']);
    expect(await q('%')).toEqual(['F-150']);
    expect(await q('_')).toEqual([]);
  });

  it('rejects a cursor it did not make', async () => {
    const { db } = database();
    for (const cursor of ['nope', Buffer.from('["x"]').toString('base64url'), '!!!']) {
      await expect(listVehicles(db, {}, { cursor })).rejects.toBeInstanceOf(InvalidCursorError);
    }
  });

  it('searches available stock cheapest first for the agent', async () => {
    const { db } = database();
    await reset(db, [civic, crv, silverado, f150, soldAccord]);
    const models = async (search: Parameters<typeof searchInventory>[1]) =>
      (await searchInventory(db, search)).vehicles.map((v) => v.model);
    expect(await models({})).toEqual(['Civic', 'CR-V', 'F-150']);
    expect(await models({ make: 'Honda', model: 'crv' })).toEqual(['CR-V']);
    expect(await models({ model: 'F150' })).toEqual(['F-150']);
    expect(await models({ body: 'truck', status: 'any' })).toEqual(['Silverado 1500', 'F-150']);
    expect(await models({ yearFrom: 2022, yearTo: 2023, status: 'any' })).toEqual([
      'Civic',
      'Accord',
      'Silverado 1500',
    ]);
    expect(await models({ priceMax: 25_000 })).toEqual(['Civic']);
    expect(await searchInventory(db, { limit: 2 })).toMatchObject({ hasMore: true });
    expect(await searchInventory(db, { limit: 3 })).toMatchObject({ hasMore: false });
  });

  it('finds vehicles by the last six VIN characters', async () => {
    const { db } = database();
    await reset(db, [civic, crv, silverado]);
    expect((await findVehiclesBySerialSuffix(db, '412345')).map((v) => v.vin)).toEqual([crv.vin]);
    expect(await findVehiclesBySerialSuffix(db, '412 34')).toEqual([]);
    expect(await findVehiclesBySerialSuffix(db, '000000')).toEqual([]);
    expect(await findVehiclesBySerialSuffix(db, "1'; --")).toEqual([]);
  });

  it('counts and iterates the whole inventory', async () => {
    const { db } = database();
    const stock = [civic, crv, silverado, f150, soldAccord];
    await reset(db, stock);
    expect(await countVehicles(db)).toBe(5);
    const vins: string[] = [];
    for await (const vehicle of iterateVehicles(db, 2)) vins.push(vehicle.vin);
    expect(vins).toEqual(stock.map((v) => v.vin));
  });
});

describe('makeVin helper', () => {
  it('builds VINs whose check digit validates', async () => {
    const { validateVin } = await import('./vin.js');
    expect(validateVin(civic.vin)).toMatchObject({ ok: true, warnings: [] });
  });
});
