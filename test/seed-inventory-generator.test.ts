import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  SEED_FILE,
  generateSeedInventory,
  seedInventoryCsv,
} from '../scripts/generate-seed-inventory.js';
import { SEED_INVENTORY_FILE } from '../src/vehicle-lookup/seed-inventory.js';

describe('scripts/generate-seed-inventory.ts', () => {
  it('reproduces the committed seed file exactly', () => {
    expect(SEED_FILE).toBe(SEED_INVENTORY_FILE);
    expect(seedInventoryCsv()).toBe(readFileSync(SEED_INVENTORY_FILE, 'utf8'));
  });

  it('changes with the seed and keeps VINs and their last six characters unique', () => {
    const other = generateSeedInventory(300, 7);
    expect(other.map((v) => v.vin)).not.toEqual(generateSeedInventory().map((v) => v.vin));
    expect(new Set(other.map((v) => v.vin.slice(-6))).size).toBe(300);
  });
});
