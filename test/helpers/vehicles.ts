import type { NewVehicle } from '../../src/vehicle-lookup/vehicle.js';
import { computeCheckDigit } from '../../src/vehicle-lookup/vin.js';

/**
 * A VIN with a correct check digit from its first eight characters, year code, plant code and
 * serial number (six digits).
 */
export function makeVin(first8: string, yearCode: string, plant: string, serial: number): string {
  const draft = `${first8}0${yearCode}${plant}${String(serial).padStart(6, '0')}`;
  const check = computeCheckDigit(draft);
  if (check === null || first8.length !== 8) throw new Error(`cannot build a VIN from ${draft}`);
  return `${draft.slice(0, 8)}${check}${draft.slice(9)}`;
}

let nextSerial = 100_000;

/** A stock vehicle for tests: a 2022 Honda Civic with a fresh valid VIN unless overridden. */
export function newVehicle(overrides: Partial<NewVehicle> = {}): NewVehicle {
  return {
    vin: makeVin('2HGFE2F5', 'N', 'H', nextSerial++),
    year: 2022,
    make: 'Honda',
    model: 'Civic',
    trim: 'EX',
    body: 'sedan',
    color: 'Blue',
    mileage: 18_250,
    price: 23_995,
    status: 'available',
    location: 'Main lot',
    ...overrides,
  };
}

/** A 2022 Honda CR-V EX in stock, whose VIN the agent tests read out and look up. */
export const STOCK_CRV: NewVehicle = newVehicle({
  vin: '7FARW2H52NE877541',
  year: 2022,
  make: 'Honda',
  model: 'CR-V',
  trim: 'EX',
  body: 'suv',
  color: 'White',
  price: 20_595,
});

/** `STOCK_CRV`'s VIN as a caller reads it with the NATO alphabet. */
export const STOCK_CRV_VIN_SPOKEN =
  'seven foxtrot alpha romeo whiskey two hotel five two november echo eight seven seven five four one';
