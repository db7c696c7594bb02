import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/helpers/databases.js';
import { makeVin, newVehicle } from '../../test/helpers/vehicles.js';
import { upsertVehicles } from './vehicle-repository.js';
import {
  InvalidVinError,
  decodeValidVin,
  lookupVehicle,
  requireValidVin,
} from './vehicle-service.js';

const stocked = newVehicle();
// Same car with position 9 wrong: structurally fine, check digit off.
const badCheckDigit = `${stocked.vin.slice(0, 8)}${stocked.vin[8] === '1' ? '2' : '1'}${stocked.vin.slice(9)}`;
const stockedWithBadCheckDigit = newVehicle({ vin: badCheckDigit.replace(/\d{6}$/, '424242') });

describeEachDialect('vehicle service', (database) => {
  beforeAll(async () => {
    await upsertVehicles(database().db, [stocked, stockedWithBadCheckDigit]);
  });

  it('decodes a stocked VIN and returns the vehicle', async () => {
    const spaced = stocked.vin.toLowerCase().replace(/(.{3})/g, '$1 ');
    const result = await lookupVehicle(database().db, spaced);
    expect(result).toMatchObject({
      vin: stocked.vin,
      matched: true,
      vehicle: { vin: stocked.vin, make: 'Honda', model: 'Civic', year: 2022 },
      decode: { vin: stocked.vin, valid: true, make: 'Honda', modelYear: 2022 },
      warnings: [],
    });
  });

  it('still decodes a valid VIN that is not in stock', async () => {
    const vin = makeVin('5YJ3E1EA', 'P', 'F', 123_456);
    const result = await lookupVehicle(database().db, vin);
    expect(result).toMatchObject({ vin, matched: false, vehicle: null });
    expect(result.decode).toMatchObject({ make: 'Tesla', modelYear: 2023 });
  });

  it('matches a VIN whose check digit is wrong and warns about it', async () => {
    const vin = stockedWithBadCheckDigit.vin;
    const result = await lookupVehicle(database().db, vin);
    expect(result.matched).toBe(true);
    expect(result.warnings.map((w) => w.key)).toEqual(['check_digit']);
  });

  it('rejects a structurally invalid VIN with every issue', async () => {
    const error = await lookupVehicle(database().db, '1HGCM8263OA00435').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidVinError);
    const invalid = error as InvalidVinError;
    expect(invalid.vin).toBe('1HGCM8263OA00435');
    expect(invalid.issues.map((i) => i.key).sort()).toEqual(['incomplete', 'invalid_characters']);
    expect(invalid.message).toMatch(/^Invalid VIN: .*I, O and Q.*17 characters/);
  });
});

it('requireValidVin and decodeValidVin normalize or throw', () => {
  expect(requireValidVin(` ${stocked.vin.toLowerCase()} `)).toBe(stocked.vin);
  expect(decodeValidVin(stocked.vin).make).toBe('Honda');
  expect(() => requireValidVin('')).toThrow(InvalidVinError);
  expect(() => decodeValidVin('ZZZ')).toThrow(/17 characters/);
});
