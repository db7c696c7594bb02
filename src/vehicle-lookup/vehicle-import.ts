import { type Db, inTransaction } from '../db/index.js';
import {
  type CsvProblem,
  type CsvReadOptions,
  type CsvRecord,
  formatCsvProblem,
  readVehicleCsvFile,
} from './vehicle-csv.js';
import { type UpsertResult, upsertVehicles } from './vehicle-repository.js';
import type { NewVehicle } from './vehicle.js';

/** Reported every `progressEvery` rows of each pass. */
export interface ImportProgress {
  phase: 'validate' | 'write';
  rows: number;
  elapsedMs: number;
}

export interface ImportOptions extends CsvReadOptions {
  onProgress?: (progress: ImportProgress) => void;
  /** Rows between progress reports; default 10,000. */
  progressEvery?: number;
  /** The time stamped on written rows. */
  now?: string;
  /** Keep validated rows in memory between the passes up to this many; default {@link IN_MEMORY_MAX_ROWS}. */
  memoryRows?: number;
}

/** What an import found and did; `result` is null when nothing was written. */
export interface ImportReport {
  /** Data rows in the file (the header not counted). */
  rows: number;
  /** Bad rows, by line; any of them means nothing was imported. */
  problems: CsvProblem[];
  /** Accepted with a remark (e.g. a check digit that does not calculate). */
  warnings: CsvProblem[];
  result: UpsertResult | null;
}

/** Thrown when the file no longer matches what was validated (it changed during the import). */
export class ImportAbortedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportAbortedError';
  }
}

// Vehicles handed to upsertVehicles at once; it splits them further into INSERT statements.
const WRITE_BATCH_ROWS = 5_000;

/**
 * Files up to this many rows keep their validated vehicles in memory between the passes (about
 * 30 MB); larger ones are read a second time so memory stays flat.
 */
export const IN_MEMORY_MAX_ROWS = 100_000;

function progressReporter(phase: ImportProgress['phase'], options: ImportOptions) {
  const every = options.progressEvery ?? 10_000;
  const started = performance.now();
  return (rows: number) => {
    if (options.onProgress && rows % every === 0) {
      options.onProgress({ phase, rows, elapsedMs: performance.now() - started });
    }
  };
}

const byLine = (a: CsvProblem, b: CsvProblem) => a.line - b.line;

async function* kept(vehicles: NewVehicle[]): AsyncGenerator<CsvRecord> {
  for (const vehicle of vehicles) yield { kind: 'vehicle', line: 0, vehicle, warnings: [] };
}

/** The checked file: its report, and its vehicles when it was small enough to keep them. */
interface CheckedFile extends Omit<ImportReport, 'result'> {
  vehicles: NewVehicle[] | null;
}

/** Reads the whole file and reports every bad row and warning; writes nothing. */
export async function validateVehicleCsvFile(
  file: string,
  options: ImportOptions = {},
): Promise<Omit<ImportReport, 'result'>> {
  const { vehicles: _vehicles, ...report } = await checkFile(file, options);
  return report;
}

async function checkFile(file: string, options: ImportOptions): Promise<CheckedFile> {
  let vehicles: NewVehicle[] | null = [];
  const problems: CsvProblem[] = [];
  const warnings: CsvProblem[] = [];
  const firstLineOfVin = new Map<string, number>();
  const progress = progressReporter('validate', options);
  let rows = 0;
  for await (const record of readVehicleCsvFile(file, options)) {
    if (record.kind !== 'bad_file') progress(++rows);
    if (record.kind !== 'vehicle') {
      problems.push(...record.problems);
      continue;
    }
    warnings.push(...record.warnings);
    if (vehicles !== null && rows > (options.memoryRows ?? IN_MEMORY_MAX_ROWS)) vehicles = null;
    vehicles?.push(record.vehicle);
    const { vin } = record.vehicle;
    const first = firstLineOfVin.get(vin);
    if (first === undefined) firstLineOfVin.set(vin, record.line);
    else problems.push({ line: record.line, column: 'vin', message: `repeats line ${first}` });
  }
  return { rows, problems: problems.sort(byLine), warnings: warnings.sort(byLine), vehicles };
}

/**
 * Imports an inventory CSV all or nothing: a first pass validates every row; only if no row is
 * bad are they all upserted in ONE transaction, so a failure half-way leaves the inventory as it
 * was. Large files are read twice rather than held in memory (see {@link IN_MEMORY_MAX_ROWS}).
 */
export async function importVehicleCsvFile(
  db: Db,
  file: string,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const { vehicles, ...checked } = await checkFile(file, options);
  if (checked.problems.length > 0 || checked.rows === 0) return { ...checked, result: null };

  const now = options.now ?? new Date().toISOString();
  const progress = progressReporter('write', options);
  const result = await inTransaction(db, async (trx) => {
    const total: UpsertResult = { inserted: 0, updated: 0, unchanged: 0 };
    const flush = async (batch: NewVehicle[]) => {
      const done = await upsertVehicles(trx, batch, now);
      total.inserted += done.inserted;
      total.updated += done.updated;
      total.unchanged += done.unchanged;
    };
    let batch: NewVehicle[] = [];
    let rows = 0;
    for await (const record of vehicles ? kept(vehicles) : readVehicleCsvFile(file, options)) {
      if (record.kind !== 'vehicle') {
        const first = record.problems[0];
        throw new ImportAbortedError(
          `${file} changed during the import${first ? ` (${formatCsvProblem(first)})` : ''}`,
        );
      }
      batch.push(record.vehicle);
      progress(++rows);
      if (batch.length === WRITE_BATCH_ROWS) {
        await flush(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await flush(batch);
    if (rows !== checked.rows) {
      throw new ImportAbortedError(`${file} changed during the import (row count differs)`);
    }
    return total;
  });
  return { ...checked, result };
}
