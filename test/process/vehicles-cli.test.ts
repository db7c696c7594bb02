import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/index.js';
import { CSV_HEADER, formatVehicleCsvRow } from '../../src/vehicle-lookup/vehicle-csv.js';
import { validateVehicleCsvFile } from '../../src/vehicle-lookup/vehicle-import.js';
import { countVehicles, getVehicleByVin } from '../../src/vehicle-lookup/vehicle-repository.js';
import type { NewVehicle } from '../../src/vehicle-lookup/vehicle.js';
import { tempDir } from '../helpers/app.js';
import { newVehicle } from '../helpers/vehicles.js';

// Each spawn compiles and loads the CLI afresh (seconds on a busy machine): few spawns, and the
// database is checked in-process.
const dir = tempDir('vehicles-cli-');
const databaseFile = path.join(dir, 'cli.db');
const env = { ...process.env, DATABASE_URL: databaseFile, DATA_DIR: dir };
const inspect = openDatabase({ kind: 'sqlite', path: databaseFile });
afterAll(() => inspect.destroy());

function vehicles(...args: string[]) {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'src/vehicle-lookup/vehicles-cli.ts', ...args],
    { env, encoding: 'utf8', timeout: 20_000 },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function csv(name: string, rows: (NewVehicle | string)[]): string {
  const file = path.join(dir, name);
  const lines = rows.map((row) => (typeof row === 'string' ? row : formatVehicleCsvRow(row)));
  writeFileSync(file, `${[CSV_HEADER, ...lines].join('\n')}\n`);
  return file;
}

const a = newVehicle();
const b = newVehicle({ model: 'Accord' });
const c = newVehicle({ model: 'Pilot', body: 'suv' });

describe('npm run vehicles (the process)', () => {
  it('lists every bad row with its line, imports nothing and exits 1', async () => {
    const file = csv('bad.csv', [
      a,
      { ...b, year: 1975 },
      formatVehicleCsvRow(c).replace(',suv,', ',boat,'),
      'ABC',
    ]);
    const result = vehicles('import', file, '--quiet');
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      'line 3: year: must be 1981 or later (17-character VINs)',
      expect.stringMatching(/^line 4: body: must be one of .*; got "boat"$/),
      'line 5: row: expected 11 cells like the header, found 1',
    ]);
    expect(result.stdout).toBe(`${file}: 3 bad of 4 rows. Nothing imported.\n`);
    expect(await countVehicles(inspect.db)).toBe(0);
  });

  it('imports a good file, then an update, reporting the counts', async () => {
    const first = vehicles('import', csv('good.csv', [a, b]));
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /^Imported 2 rows from .*good\.csv: 2 new, 0 updated, 0 unchanged \(\d+\.\d s\)\.\n$/,
    );
    const second = vehicles('import', csv('update.csv', [a, { ...b, status: 'sold' }, c]));
    expect(second).toMatchObject({ code: 0, stderr: '' });
    expect(second.stdout).toMatch(/: 1 new, 1 updated, 1 unchanged /);
    expect(await countVehicles(inspect.db)).toBe(3);
    expect(await getVehicleByVin(inspect.db, b.vin)).toMatchObject({ status: 'sold' });
  });

  it('exports the inventory as CSV that imports cleanly', async () => {
    const file = path.join(dir, 'export.csv');
    const result = vehicles('export', file);
    expect(result).toMatchObject({ code: 0, stdout: `Exported 3 vehicles to ${file}.\n` });
    expect(await validateVehicleCsvFile(file)).toEqual({ rows: 3, problems: [], warnings: [] });
  });

  it('explains its usage and exits 2 on a wrong command line', () => {
    const result = vehicles('frobnicate');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Unknown command: frobnicate\n\nUsage: npm run vehicles/);
  });
});
