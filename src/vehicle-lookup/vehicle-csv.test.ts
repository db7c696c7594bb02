import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { makeVin, newVehicle } from '../../test/helpers/vehicles.js';
import {
  CSV_HEADER,
  type CsvRecord,
  formatCsvProblem,
  formatVehicleCsvRow,
  readVehicleCsv,
} from './vehicle-csv.js';

async function read(text: string): Promise<CsvRecord[]> {
  const records: CsvRecord[] = [];
  for await (const record of readVehicleCsv(Readable.from([text]), { currentYear: 2026 })) {
    records.push(record);
  }
  return records;
}

function problems(records: CsvRecord[]): string[] {
  return records.flatMap((r) => (r.kind === 'vehicle' ? [] : r.problems.map(formatCsvProblem)));
}

const civicVin = makeVin('2HGFE2F5', 'N', 'H', 100_001);
const tacomaVin = makeVin('3TMCZ5AN', 'M', 'X', 100_002);

describe('readVehicleCsv', () => {
  it('reads rows in any column order, with defaults for optional cells', async () => {
    const records = await read(
      [
        'make,model,year,vin,body,price,trim,color,mileage,status,location',
        `Honda,Civic,2022,${civicVin.toLowerCase()},Sedan,"$24,995",EX,Blue,"18,250",In Service,Service bay`,
        `Toyota,Tacoma,2021,${tacomaVin},pickup,31500.00,,,,,`,
      ].join('\n'),
    );
    expect(records).toEqual([
      {
        kind: 'vehicle',
        line: 2,
        warnings: [],
        vehicle: {
          vin: civicVin,
          year: 2022,
          make: 'Honda',
          model: 'Civic',
          trim: 'EX',
          body: 'sedan',
          color: 'Blue',
          mileage: 18_250,
          price: 24_995,
          status: 'in_service',
          location: 'Service bay',
        },
      },
      {
        kind: 'vehicle',
        line: 3,
        warnings: [],
        vehicle: expect.objectContaining({
          vin: tacomaVin,
          body: 'truck',
          trim: null,
          color: null,
          mileage: 0,
          price: 31_500,
          status: 'available',
          location: null,
        }),
      },
    ]);
  });

  it('reads Windows line endings and a byte-order mark', async () => {
    const records = await read(
      `\ufeffVIN,Year,Make,Model,Body,Price\r\n${civicVin},2022,Honda,Civic,sedan,20000\r\n`,
    );
    expect(records).toMatchObject([{ kind: 'vehicle', line: 2, vehicle: { vin: civicVin } }]);
  });

  it('names every problem of every bad row with its line', async () => {
    const records = await read(
      [
        CSV_HEADER,
        `${civicVin},2022,Honda,Civic,EX,sedan,Blue,100,24995,available,Main lot`,
        '1HGCM8263OA00435,22,Honda,,EX,spaceship,Blue,-5,cheap,lost,Main lot',
        `${tacomaVin},2031,Toyota,Tacoma,,truck,,,"24,99",,`,
        '',
        `${civicVin},2022,Honda`,
        `"${civicVin}"x,2022,Honda,Civic,EX,sedan,Blue,100,24995,available,Main lot`,
      ].join('\n'),
    );
    expect(problems(records)).toEqual([
      expect.stringMatching(/^line 3: vin: VIN contains characters that are not allowed: 'O'/),
      'line 3: vin: VIN must be 17 characters; got 16',
      'line 3: year: must be a four-digit model year',
      'line 3: model: is required',
      expect.stringMatching(/^line 3: body: must be one of sedan, coupe, .*; got "spaceship"$/),
      'line 3: mileage: must be miles as a whole number; got "-5"',
      'line 3: price: must be US dollars as a whole number; got "cheap"',
      'line 3: status: must be one of available, sold, in_service; got "lost"',
      'line 4: year: must be 2027 or earlier',
      'line 4: price: must be US dollars as a whole number; got "24,99"',
      'line 6: row: expected 11 cells like the header, found 3',
      expect.stringMatching(/^line 7: row: Invalid Closing Quote/),
    ]);
    expect(records.filter((r) => r.kind === 'vehicle').map((r) => r.line)).toEqual([2]);
  });

  it('reports an unclosed quote at the row that opens it', async () => {
    const good = `${civicVin},2022,Honda,Civic,EX,sedan,Blue,100,24995,available,Main lot`;
    const records = await read(
      [CSV_HEADER, good, '', `"${tacomaVin},2021,Toyota`, ...Array(3_000).fill(good)].join('\n'),
    );
    expect(problems(records)).toEqual([
      'line 4: row: a quote opened in this row is never closed; the rest of the file cannot be read',
    ]);
  });

  it('imports a wrong check digit, a foreign make or year with warnings', async () => {
    const wrongCheck = `${civicVin.slice(0, 8)}${civicVin[8] === '7' ? '8' : '7'}${civicVin.slice(9)}`;
    const [record] = await read(
      [CSV_HEADER, `${wrongCheck},2021,Toyota,Civic,,sedan,,,20000,,`].join('\n'),
    );
    expect(record?.kind).toBe('vehicle');
    expect(record?.kind === 'vehicle' && record.warnings.map(formatCsvProblem)).toEqual([
      expect.stringMatching(/^line 2: vin: Check digit .* \(imported anyway\)$/),
      "line 2: make: the VIN's maker code 2HG belongs to Honda",
      "line 2: year: the VIN's year code (position 10) means 2022",
    ]);
  });

  it('rejects a header with unknown, repeated or missing columns, and an empty file', async () => {
    expect(problems(await read('vin,year,colour,vin\n1,2,3,4\n'))).toEqual([
      expect.stringMatching(/^line 1: header: unknown column "colour"; the columns are vin,year,/),
      'line 1: header: column "vin" appears twice',
      'line 1: header: missing required column(s): make, model, body, price',
    ]);
    expect(problems(await read('\n\n'))).toEqual([
      expect.stringMatching(/^line 1: header: the file is empty/),
    ]);
  });

  it('writes rows that read back to the same vehicle', async () => {
    const vehicle = newVehicle({ trim: 'Sport, "Touring"', color: null, location: ' North lot' });
    const line = formatVehicleCsvRow(vehicle);
    expect(line).toContain('"Sport, ""Touring"""');
    const [record] = await read(`${CSV_HEADER}\n${line}\n`);
    expect(record).toMatchObject({
      kind: 'vehicle',
      vehicle: { ...vehicle, location: 'North lot' },
    });
  });
});
