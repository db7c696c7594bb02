import path from 'node:path';
import { PROJECT_ROOT } from '../config/paths.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../observability/logger.js';
import { formatCsvProblem } from './vehicle-csv.js';
import { importVehicleCsvFile } from './vehicle-import.js';
import { hasVehicles } from './vehicle-repository.js';

/** The demo inventory shipped in the repository (see scripts/generate-seed-inventory.ts). */
export const SEED_INVENTORY_FILE = path.join(PROJECT_ROOT, 'config', 'seed', 'vehicles.csv');

/** What {@link seedInventoryIfEmpty} did. */
export interface SeedResult {
  seeded: boolean;
  inserted: number;
}

/**
 * Loads the seed inventory in one transaction when the vehicles table is empty. Two processes
 * starting together may both see an empty table; the upsert on the unique VIN makes the second
 * load a no-op instead of a duplicate.
 */
export async function seedInventoryIfEmpty(
  db: Db,
  logger: Logger,
  file = SEED_INVENTORY_FILE,
): Promise<SeedResult> {
  if (await hasVehicles(db)) {
    logger.debug('inventory present, seed skipped');
    return { seeded: false, inserted: 0 };
  }
  const report = await importVehicleCsvFile(db, file);
  if (report.result === null) {
    const problems = report.problems.slice(0, 5).map(formatCsvProblem).join('; ');
    throw new Error(`seed inventory ${file} cannot be loaded: ${problems || 'no rows'}`);
  }
  logger.info({ file, rows: report.rows, inserted: report.result.inserted }, 'inventory seeded');
  return { seeded: true, inserted: report.result.inserted };
}
