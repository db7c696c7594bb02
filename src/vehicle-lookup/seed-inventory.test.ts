import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/app.js';
import { describeEachDialect } from '../../test/helpers/databases.js';
import { migrateToLatest, openDatabase } from '../db/index.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { SEED_INVENTORY_FILE, seedInventoryIfEmpty } from './seed-inventory.js';
import { CSV_HEADER, readVehicleCsvFile } from './vehicle-csv.js';
import { validateVehicleCsvFile } from './vehicle-import.js';
import { countVehicles, listVehicles } from './vehicle-repository.js';
import { decodeVin } from './vin-decoder.js';
import { validateVin } from './vin.js';

function capturingLogger(): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const logger = createLogger(
    { log: { level: 'debug', format: 'json', pii: false } },
    { destination },
  );
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('the seed inventory file', () => {
  it('has at least 250 clean rows whose VINs decode to the row make and year', async () => {
    const report = await validateVehicleCsvFile(SEED_INVENTORY_FILE, { currentYear: 2026 });
    expect(report.rows).toBeGreaterThanOrEqual(250);
    expect(report.problems).toEqual([]);
    expect(report.warnings).toEqual([]);
    const makes = new Set<string>();
    for await (const record of readVehicleCsvFile(SEED_INVENTORY_FILE, { currentYear: 2026 })) {
      if (record.kind !== 'vehicle') throw new Error('bad seed row');
      const { vin, make, year } = record.vehicle;
      expect(validateVin(vin), vin).toMatchObject({ ok: true, errors: [], warnings: [] });
      const decode = decodeVin(vin, { currentYear: 2026 });
      expect({ vin, make: decode.make, year: decode.modelYear }).toEqual({ vin, make, year });
      expect(decode.modelYearConclusive).toBe(true);
      makes.add(make);
    }
    for (const make of ['Honda', 'Toyota', 'Ford', 'Chevrolet', 'Nissan', 'Hyundai', 'Kia']) {
      expect(makes).toContain(make);
    }
    for (const make of ['Subaru', 'Mazda', 'Volkswagen', 'BMW', 'Tesla', 'Jeep', 'Ram']) {
      expect(makes).toContain(make);
    }
  });
});

describeEachDialect('seedInventoryIfEmpty', (database) => {
  it('loads the seed into an empty table once, and logs it', async () => {
    const { db } = database();
    const { logger, lines } = capturingLogger();
    const first = await seedInventoryIfEmpty(db, logger);
    const rows = (await validateVehicleCsvFile(SEED_INVENTORY_FILE)).rows;
    expect(first).toEqual({ seeded: true, inserted: rows });
    expect(await countVehicles(db)).toBe(rows);
    expect(await seedInventoryIfEmpty(db, logger)).toEqual({ seeded: false, inserted: 0 });
    expect(lines().map((l) => l.msg)).toEqual([
      'inventory seeded',
      'inventory present, seed skipped',
    ]);
    const hondas = await listVehicles(db, { make: 'honda' }, { limit: 100 });
    expect(hondas.items.length).toBeGreaterThan(5);
  });

  it('does not double-load when two starts race on an empty table', async () => {
    const { db } = database();
    await db.deleteFrom('vehicles').execute();
    const { logger } = capturingLogger();
    const results = await Promise.all([
      seedInventoryIfEmpty(db, logger),
      seedInventoryIfEmpty(db, logger),
    ]);
    const rows = (await validateVehicleCsvFile(SEED_INVENTORY_FILE)).rows;
    expect(results.reduce((sum, r) => sum + r.inserted, 0)).toBe(rows);
    expect(await countVehicles(db)).toBe(rows);
  });

  it('refuses a seed file with bad rows and writes nothing', async () => {
    const { db } = database();
    await db.deleteFrom('vehicles').execute();
    const file = path.join(tempDir(), 'bad-seed.csv');
    writeFileSync(file, `${CSV_HEADER}\nABC,2020,Honda,Civic,,sedan,,,1,,\n`);
    await expect(seedInventoryIfEmpty(db, capturingLogger().logger, file)).rejects.toThrow(
      /cannot be loaded: line 2: vin: VIN must be 17 characters/,
    );
    expect(await countVehicles(db)).toBe(0);
  });
});

describe('seedInventoryIfEmpty across two SQLite connections', () => {
  it('leaves one copy of each vehicle when both load at once', async () => {
    const file = path.join(tempDir(), 'race.db');
    const a = openDatabase({ kind: 'sqlite', path: file });
    const b = openDatabase({ kind: 'sqlite', path: file });
    try {
      await migrateToLatest(a.db, 'sqlite');
      const { logger } = capturingLogger();
      await Promise.all([seedInventoryIfEmpty(a.db, logger), seedInventoryIfEmpty(b.db, logger)]);
      const rows = (await validateVehicleCsvFile(SEED_INVENTORY_FILE)).rows;
      expect(await countVehicles(a.db)).toBe(rows);
    } finally {
      await a.destroy();
      await b.destroy();
    }
  });
});
