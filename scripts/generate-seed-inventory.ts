/**
 * Writes the demo inventory `config/seed/vehicles.csv` (loaded on first start when the vehicles
 * table is empty). Deterministic: a seeded PRNG and a fixed reference date, so re-running it
 * reproduces the committed file byte for byte.
 *
 *   npx tsx scripts/generate-seed-inventory.ts           # rewrite the file
 *   npx tsx scripts/generate-seed-inventory.ts --check   # exit 1 if the file is out of date
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/config/paths.js';
import { YEAR_CODES } from '../src/vehicle-lookup/model-year.js';
import { CSV_HEADER, formatVehicleCsvRow } from '../src/vehicle-lookup/vehicle-csv.js';
import type { NewVehicle, VehicleStatus } from '../src/vehicle-lookup/vehicle.js';
import { decodeVin } from '../src/vehicle-lookup/vin-decoder.js';
import { computeCheckDigit, validateVin } from '../src/vehicle-lookup/vin.js';
import { isLightVehicle, lookupWmi } from '../src/vehicle-lookup/wmi-table.js';
import { CATALOG, type CatalogModel } from './seed-catalog.js';

/** Where the seed lives in the repository. */
export const SEED_FILE = path.join(PROJECT_ROOT, 'config', 'seed', 'vehicles.csv');

const SEED = 20_261_121;
const ROWS = 300;
// The model year the lot is selling as new; fixed so the output does not depend on the clock.
const CURRENT_MODEL_YEAR = 2026;

/** mulberry32: a tiny seeded PRNG, plenty for demo data. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Random = () => number;

const between = (random: Random, low: number, high: number) =>
  low + Math.floor(random() * (high - low + 1));

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function weighted<T>(random: Random, items: readonly T[], weight: (item: T) => number): T {
  const total = items.reduce((sum, item) => sum + weight(item), 0);
  let ticket = random() * total;
  for (const item of items) {
    ticket -= weight(item);
    if (ticket < 0) return item;
  }
  return items[items.length - 1] as T;
}

const COLORS: readonly (readonly [string, number])[] = [
  ['White', 14],
  ['Pearl White', 8],
  ['Black', 19],
  ['Gray', 12],
  ['Dark Gray', 5],
  ['Silver', 11],
  ['Blue', 8],
  ['Dark Blue', 3],
  ['Red', 9],
  ['Green', 3],
  ['Brown', 2],
  ['Beige', 2],
  ['Orange', 1],
];

function checkCatalog(model: CatalogModel): void {
  for (const wmi of Object.keys(model.factories)) {
    const entry = lookupWmi(wmi);
    if (entry?.make !== model.make || !isLightVehicle(entry.vehicleType)) {
      throw new Error(`${model.make} ${model.model}: WMI ${wmi} decodes as ${entry?.make}`);
    }
  }
  for (const vds of model.vds) {
    // Position 7 (the VDS's fourth character) must be a letter for 2010+ light vehicles.
    if (!/^[0-9A-HJ-NPR-Z]{3}[A-HJ-NPR-Z][0-9A-HJ-NPR-Z]$/.test(vds)) {
      throw new Error(`${model.make} ${model.model}: bad VDS ${vds}`);
    }
  }
}

function buildVin(random: Random, model: CatalogModel, year: number, serial: string): string {
  const [wmi, plants] = pick(random, Object.entries(model.factories));
  const yearCode = YEAR_CODES.charAt(year - 2010);
  const draft = `${wmi}${pick(random, model.vds)}0${yearCode}${pick(random, [...plants])}${serial}`;
  const vin = `${draft.slice(0, 8)}${computeCheckDigit(draft)}${draft.slice(9)}`;
  const decode = decodeVin(vin, { currentYear: CURRENT_MODEL_YEAR });
  const validation = validateVin(vin);
  if (!validation.ok || validation.warnings.length > 0 || decode.make !== model.make) {
    throw new Error(`generated VIN ${vin} does not validate as a ${model.make}`);
  }
  if (decode.modelYear !== year)
    throw new Error(`generated VIN ${vin} decodes as ${decode.modelYear}`);
  return vin;
}

/** Dealer-style price: rounded to the hundred, minus five ($23,495). */
const dealerPrice = (dollars: number) => Math.max(Math.round(dollars / 100) * 100 - 5, 3_995);

function usedCondition(random: Random, msrp: number, year: number) {
  const age = CURRENT_MODEL_YEAR - year;
  const mileage = Math.max(
    between(random, 900, 6_000),
    Math.round(age * between(random, 8_000, 15_000) + between(random, -3_000, 3_000)),
  );
  // About 14% off in the first year and 7% a year after that, less for high mileage; a rough
  // fit of current US used-car prices.
  const retained = 0.86 * 0.93 ** (age - 1) * (1 - Math.min(0.35, mileage / 350_000));
  const value = msrp * retained;
  return { mileage, price: dealerPrice(value * (0.95 + random() * 0.1)) };
}

function statusAndLocation(random: Random, isNew: boolean): [VehicleStatus, string] {
  const roll = random();
  if (roll < (isNew ? 0.07 : 0.12)) return ['in_service', 'Service bay'];
  if (roll < (isNew ? 0.15 : 0.27)) return ['sold', 'Main lot'];
  if (isNew && random() < 0.2) return ['available', 'Showroom'];
  return ['available', random() < 0.6 ? 'Main lot' : 'North lot'];
}

function generateVehicle(random: Random, serials: Set<string>): NewVehicle {
  const model = weighted(random, CATALOG, (m) => m.weight);
  const [trim, msrp] = pick(random, model.trims);
  const [firstYear, lastYear] = model.years;
  const newYears = [CURRENT_MODEL_YEAR, CURRENT_MODEL_YEAR + 1].filter(
    (y) => y >= firstYear && y <= lastYear,
  );
  const isNew = newYears.length > 0 && random() < 0.32;
  const year = isNew
    ? weighted(random, newYears, (y) => (y === CURRENT_MODEL_YEAR ? 7 : 3))
    : between(random, firstYear, Math.min(lastYear, CURRENT_MODEL_YEAR - 1));
  const condition = isNew
    ? { mileage: between(random, 3, 45), price: dealerPrice(msrp * (0.97 + random() * 0.06)) }
    : usedCondition(random, msrp, year);
  let serial: string;
  do serial = String(between(random, 100_000, 999_999));
  while (serials.has(serial));
  serials.add(serial);
  const [status, location] = statusAndLocation(random, isNew);
  return {
    vin: buildVin(random, model, year, serial),
    year,
    make: model.make,
    model: model.model,
    trim,
    body: model.body,
    color: weighted(random, COLORS, ([, w]) => w)[0],
    mileage: condition.mileage,
    price: condition.price,
    status,
    location,
  };
}

/** The seed vehicles; the same on every run. */
export function generateSeedInventory(rows = ROWS, seed = SEED): NewVehicle[] {
  // Serials are six digits and unique: a demo lot, not a load-test generator.
  if (rows > 100_000) throw new Error('the seed inventory is at most 100,000 vehicles');
  CATALOG.forEach(checkCatalog);
  const random = prng(seed);
  // Distinct last-six serials keep the keypad fallback (VIN ending) unambiguous on the demo lot.
  const serials = new Set<string>();
  return Array.from({ length: rows }, () => generateVehicle(random, serials));
}

/** The seed file's text. */
export function seedInventoryCsv(): string {
  return `${[CSV_HEADER, ...generateSeedInventory().map(formatVehicleCsvRow)].join('\n')}\n`;
}

function main(): void {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
  const text = seedInventoryCsv();
  if (values.check) {
    const current = readFileSync(SEED_FILE, 'utf8');
    if (current !== text) {
      process.stderr.write(`${SEED_FILE} is out of date: run scripts/generate-seed-inventory.ts\n`);
      process.exit(1);
    }
    process.stdout.write(`${SEED_FILE} is up to date.\n`);
    return;
  }
  writeFileSync(SEED_FILE, text);
  process.stdout.write(`Wrote ${text.split('\n').length - 2} vehicles to ${SEED_FILE}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
