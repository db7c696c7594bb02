import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/app.js';
import { describeEachDialect } from '../../test/helpers/databases.js';
import { makeVin, newVehicle } from '../../test/helpers/vehicles.js';
import type { Db } from '../db/index.js';
import { CSV_HEADER, formatCsvProblem, formatVehicleCsvRow } from './vehicle-csv.js';
import { ImportAbortedError, type ImportProgress, importVehicleCsvFile } from './vehicle-import.js';
import { countVehicles, getVehicleByVin, upsertVehicles } from './vehicle-repository.js';
import type { NewVehicle } from './vehicle.js';

function csvFile(lines: string[]): string {
  const file = path.join(tempDir('vehicles-import-'), 'vehicles.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function reset(db: Db, vehicles: NewVehicle[] = []): Promise<void> {
  await db.deleteFrom('vehicles').execute();
  if (vehicles.length > 0) await upsertVehicles(db, vehicles);
}

/** `count` vehicles with distinct valid VINs (Honda CR-Vs of several years). */
function manyVehicles(count: number): NewVehicle[] {
  return Array.from({ length: count }, (_, i) =>
    newVehicle({
      vin: makeVin('2HKRW2H5', 'KLMNPR'.charAt(i % 6), 'H', 200_000 + i),
      year: 2019 + (i % 6),
      model: 'CR-V',
      body: 'suv',
      price: 20_000 + (i % 9_000),
      mileage: i % 80_000,
    }),
  );
}

describeEachDialect('vehicle CSV import', (database, dialect) => {
  it('reports every bad row with its line and writes nothing', async () => {
    const { db } = database();
    const existing = newVehicle();
    await reset(db, [existing]);
    const file = csvFile([
      CSV_HEADER,
      formatVehicleCsvRow({ ...existing, price: 1 }),
      formatVehicleCsvRow(newVehicle({ year: 1970 })),
      formatVehicleCsvRow(newVehicle()),
      formatVehicleCsvRow(newVehicle({ vin: 'ABC123', body: 'boat' as NewVehicle['body'] })),
      formatVehicleCsvRow({ ...existing, color: 'Red' }),
    ]);
    const report = await importVehicleCsvFile(db, file);
    expect(report.rows).toBe(5);
    expect(report.result).toBeNull();
    expect(report.problems.map(formatCsvProblem)).toEqual([
      'line 3: year: must be 1981 or later (17-character VINs)',
      'line 5: vin: VIN must be 17 characters; got 6',
      expect.stringMatching(/^line 5: body: must be one of .*; got "boat"$/),
      'line 6: vin: repeats line 2',
    ]);
    expect(await countVehicles(db)).toBe(1);
    expect(await getVehicleByVin(db, existing.vin)).toMatchObject({ price: existing.price });
  });

  it('updates stored VINs and inserts new ones in one go', async () => {
    const { db } = database();
    const [kept, changed] = [newVehicle(), newVehicle()];
    await reset(db, [kept, changed] as NewVehicle[]);
    const added = newVehicle({ make: 'Honda', model: 'Accord', trim: null });
    const file = csvFile([
      CSV_HEADER,
      formatVehicleCsvRow(kept as NewVehicle),
      formatVehicleCsvRow({ ...(changed as NewVehicle), status: 'sold', price: 19_500 }),
      formatVehicleCsvRow(added),
    ]);
    const report = await importVehicleCsvFile(db, file, { now: '2026-11-21T12:00:00.000Z' });
    expect(report).toEqual({
      rows: 3,
      problems: [],
      warnings: [],
      result: { inserted: 1, updated: 1, unchanged: 1 },
    });
    expect(await getVehicleByVin(db, (changed as NewVehicle).vin)).toMatchObject({
      status: 'sold',
      price: 19_500,
      updatedAt: '2026-11-21T12:00:00.000Z',
    });
    expect(await getVehicleByVin(db, added.vin)).toMatchObject({ model: 'Accord', trim: null });
    expect(await countVehicles(db)).toBe(3);
  });

  it('rolls everything back when the file changes between checking and writing', async () => {
    const { db } = database();
    await reset(db);
    const stock = manyVehicles(12);
    const file = csvFile([CSV_HEADER, ...stock.map(formatVehicleCsvRow)]);
    const onProgress = (progress: ImportProgress) => {
      if (progress.phase === 'validate' && progress.rows === 12) appendFileSync(file, 'junk\n');
    };
    await expect(
      importVehicleCsvFile(db, file, { onProgress, progressEvery: 4, memoryRows: 0 }),
    ).rejects.toBeInstanceOf(ImportAbortedError);
    expect(await countVehicles(db)).toBe(0);
  });

  // PostgreSQL gets the re-reading path (rows not kept in memory) and a smaller file.
  const [size, memoryRows] = dialect === 'sqlite' ? [50_000, undefined] : [10_000, 0];
  it(`imports ${size.toLocaleString('en-US')} rows in one transaction with progress`, async () => {
    const { db } = database();
    await reset(db);
    const file = csvFile([CSV_HEADER, ...manyVehicles(size).map(formatVehicleCsvRow)]);
    const progress: ImportProgress[] = [];
    const report = await importVehicleCsvFile(db, file, {
      onProgress: (p) => progress.push(p),
      progressEvery: 5_000,
      memoryRows,
    });
    expect(report.result).toEqual({ inserted: size, updated: 0, unchanged: 0 });
    expect(await countVehicles(db)).toBe(size);
    expect(progress.map((p) => `${p.phase}:${p.rows}`)).toEqual(
      ['validate', 'write'].flatMap((phase) =>
        Array.from({ length: size / 5_000 }, (_, i) => `${phase}:${(i + 1) * 5_000}`),
      ),
    );
  });
});
