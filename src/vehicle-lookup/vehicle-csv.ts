/**
 * The inventory CSV format: a header row naming the columns (any order), then one vehicle per
 * row. Parsing streams (csv-parse) and validates every row on its own, so a report can name every
 * bad row with its line number.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { type CsvError, type InfoRecord, parse } from 'csv-parse';
import { z } from 'zod';
import {
  BODY_STYLES,
  type BodyStyle,
  type NewVehicle,
  VEHICLE_FIELDS,
  VEHICLE_STATUSES,
  type Vehicle,
  type VehicleStatus,
  makeKey,
} from './vehicle.js';
import { decodeVin } from './vin-decoder.js';

/** The columns of the format, in the order export writes them. */
export const CSV_COLUMNS = ['vin', ...VEHICLE_FIELDS] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** The header line of an export (no line break). */
export const CSV_HEADER = CSV_COLUMNS.join(',');

/** Columns a file must have; the others may be left out (empty cells: null, 0 miles, available). */
export const REQUIRED_CSV_COLUMNS: readonly CsvColumn[] = [
  'vin',
  'year',
  'make',
  'model',
  'body',
  'price',
];

/** One problem in a file: `column` is a CSV column, or `header`, `row` or `file`. */
export interface CsvProblem {
  line: number;
  column: string;
  message: string;
}

/** `line N: <column>: <problem>`, the form the import report prints. */
export function formatCsvProblem(problem: CsvProblem): string {
  return `line ${problem.line}: ${problem.column}: ${problem.message}`;
}

/**
 * What reading yields: a valid row's vehicle (with warnings), a bad row with its problems, or a
 * problem with the file itself (header, emptiness) after which nothing more is read.
 */
export type CsvRecord =
  | { kind: 'vehicle'; line: number; vehicle: NewVehicle; warnings: CsvProblem[] }
  | { kind: 'bad_row' | 'bad_file'; line: number; problems: CsvProblem[] };

/** Options for reading a file. */
export interface CsvReadOptions {
  /** Calendar year for the model-year bounds; defaults to the current UTC year. */
  currentYear?: number;
}

// Words dealer feeds use for our body styles.
const BODY_SYNONYMS: Readonly<Record<string, BodyStyle>> = {
  pickup: 'truck',
  'pickup truck': 'truck',
  crossover: 'suv',
  'sport utility': 'suv',
  liftback: 'hatchback',
  cabriolet: 'convertible',
  estate: 'wagon',
  'mini van': 'minivan',
  'mini-van': 'minivan',
};

const trimmed = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);
const required = (max: number) => trimmed(max).min(1, 'is required');
const optional = (max: number) => trimmed(max).transform((value) => (value === '' ? null : value));

function wholeNumber(what: string, max: number, fallback?: number) {
  return z
    .string()
    .trim()
    .transform((raw, ctx) => {
      if (raw === '' && fallback !== undefined) return fallback;
      // Dealer exports write "$24,995" or "24995.00": both mean 24995.
      const cleaned = raw.replace(/^\$/, '').replace(/,(?=\d{3}(\D|$))/g, '');
      if (!/^\d+(\.0+)?$/.test(cleaned)) {
        ctx.addIssue({
          code: 'custom',
          message:
            raw === '' ? 'is required' : `must be ${what} as a whole number; got ${quote(raw)}`,
        });
        return z.NEVER;
      }
      return Math.trunc(Number(cleaned));
    })
    .pipe(z.number().max(max, `must be at most ${max.toLocaleString('en-US')}`));
}

function oneOf<T extends string>(
  allowed: readonly T[],
  synonyms: Readonly<Record<string, T>>,
  fallback?: T,
) {
  return z
    .string()
    .trim()
    .transform((raw, ctx) => {
      const key = raw.toLowerCase().replace(/\s+/g, ' ');
      if (key === '' && fallback !== undefined) return fallback;
      const value = synonyms[key] ?? (allowed as readonly string[]).find((a) => a === key);
      if (value === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `must be one of ${allowed.join(', ')}; got ${quote(raw)}`,
        });
        return z.NEVER;
      }
      return value as T;
    });
}

function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text);
}

function rowSchema(currentYear: number) {
  return z.object({
    year: z
      .string()
      .trim()
      .regex(/^\d{4}$/, 'must be a four-digit model year')
      .transform(Number)
      .pipe(
        z
          .number()
          .min(1981, 'must be 1981 or later (17-character VINs)')
          .max(currentYear + 1, `must be ${currentYear + 1} or earlier`),
      ),
    make: required(40),
    model: required(60),
    trim: optional(60),
    body: oneOf(BODY_STYLES, BODY_SYNONYMS),
    color: optional(40),
    mileage: wholeNumber('miles', 2_000_000, 0),
    price: wholeNumber('US dollars', 10_000_000),
    status: oneOf<VehicleStatus>(
      VEHICLE_STATUSES,
      { 'in service': 'in_service', 'in-service': 'in_service' },
      'available',
    ),
    location: optional(60),
  });
}

// Schemas depend on the year bound only; build each once, not per row.
const rowSchemas = new Map<number, ReturnType<typeof rowSchema>>();

function rowSchemaFor(currentYear: number): ReturnType<typeof rowSchema> {
  let schema = rowSchemas.get(currentYear);
  if (schema === undefined) {
    schema = rowSchema(currentYear);
    rowSchemas.set(currentYear, schema);
  }
  return schema;
}

type Cells = Partial<Record<CsvColumn, string>>;

function checkVin(
  raw: string,
  row: { make?: string; year?: number },
  line: number,
  options: { currentYear: number },
): { vin: string; problems: CsvProblem[]; warnings: CsvProblem[] } {
  const problem = (message: string, column = 'vin') => ({ line, column, message });
  if (raw.trim() === '') return { vin: '', problems: [problem('is required')], warnings: [] };
  const decode = decodeVin(raw, { currentYear: options.currentYear });
  const problems = decode.errors.map((issue) => problem(issue.message));
  const warnings = decode.warnings.map((issue) => problem(`${issue.message} (imported anyway)`));
  if (decode.valid && decode.make && row.make && makeKey(decode.make) !== makeKey(row.make)) {
    warnings.push(problem(`the VIN's maker code ${decode.wmi} belongs to ${decode.make}`, 'make'));
  }
  if (
    decode.valid &&
    decode.modelYearConclusive &&
    row.year !== undefined &&
    decode.modelYear !== row.year
  ) {
    warnings.push(problem(`the VIN's year code (position 10) means ${decode.modelYear}`, 'year'));
  }
  return { vin: decode.vin, problems, warnings };
}

/** Validates one data row; `cells` maps column names to raw cell text. */
export function parseVehicleRow(
  cells: Cells,
  line: number,
  options: { currentYear: number },
): CsvRecord {
  const parsed = rowSchemaFor(options.currentYear).safeParse({
    year: cells.year ?? '',
    make: cells.make ?? '',
    model: cells.model ?? '',
    trim: cells.trim ?? '',
    body: cells.body ?? '',
    color: cells.color ?? '',
    mileage: cells.mileage ?? '',
    price: cells.price ?? '',
    status: cells.status ?? '',
    location: cells.location ?? '',
  });
  const fields = parsed.success ? parsed.data : undefined;
  const vin = checkVin(cells.vin ?? '', { make: cells.make, year: fields?.year }, line, options);
  const problems = [
    ...vin.problems,
    ...(parsed.error?.issues.map((issue) => ({
      line,
      column: String(issue.path[0] ?? 'row'),
      message: issue.message,
    })) ?? []),
  ];
  if (problems.length > 0 || fields === undefined) return { kind: 'bad_row', line, problems };
  return { kind: 'vehicle', line, vehicle: { vin: vin.vin, ...fields }, warnings: vin.warnings };
}

function headerProblems(header: readonly string[]): CsvProblem[] {
  const problems: CsvProblem[] = [];
  const seen = new Set<string>();
  const problem = (message: string) => problems.push({ line: 1, column: 'header', message });
  for (const name of header) {
    if (!(CSV_COLUMNS as readonly string[]).includes(name)) {
      problem(`unknown column ${quote(name)}; the columns are ${CSV_COLUMNS.join(',')}`);
    } else if (seen.has(name)) {
      problem(`column ${quote(name)} appears twice`);
    }
    seen.add(name);
  }
  const missing = REQUIRED_CSV_COLUMNS.filter((name) => !seen.has(name));
  if (missing.length > 0) problem(`missing required column(s): ${missing.join(', ')}`);
  return problems;
}

function malformedMessage(error: CsvError | undefined): string {
  if (error?.code === 'CSV_QUOTE_NOT_CLOSED' || error?.code === 'CSV_MAX_RECORD_SIZE') {
    return 'a quote opened in this row is never closed; the rest of the file cannot be read';
  }
  return error?.message ?? 'malformed CSV';
}

// Malformed records are reported by csv-parse's on_skip callback as it parses ahead; hand them
// out in line order among the good records.
function* flushSkipped(skipped: CsvProblem[], beforeLine = Infinity): Generator<CsvRecord> {
  while (skipped.length > 0 && (skipped[0]?.line ?? 0) < beforeLine) {
    const problem = skipped.shift() as CsvProblem;
    yield { kind: 'bad_row', line: problem.line, problems: [problem] };
  }
}

/**
 * Streams the records of an inventory CSV, validating each row. Header problems come back as one
 * record for line 1 and end the stream; malformed CSV (e.g. a stray quote) becomes a record with a
 * `row` problem. Line numbers are where a record ends (a quoted cell may span lines).
 */
export async function* readVehicleCsv(
  input: Readable,
  options: CsvReadOptions = {},
): AsyncGenerator<CsvRecord> {
  const currentYear = options.currentYear ?? new Date().getUTCFullYear();
  const skipped: CsvProblem[] = [];
  let lastSkippedLine = -1;
  // Where the last good record ended: a malformed one starts after it (csv-parse reports the
  // line where it gave up, which for an unclosed quote is far down the file).
  let lastRecord = { lines: 0, empty_lines: 0 };
  const parser = parse({
    bom: true,
    trim: true,
    info: true,
    skip_empty_lines: true,
    relax_column_count: true,
    // A runaway quote would otherwise read the rest of the file into one cell.
    max_record_size: 64 * 1024,
    skip_records_with_error: true,
    on_record: (record: string[], context: InfoRecord) => {
      lastRecord = { lines: context.lines, empty_lines: context.empty_lines };
      return record;
    },
    on_skip: (error: CsvError | undefined) => {
      const blank = typeof error?.empty_lines === 'number' ? error.empty_lines : 0;
      const line = lastRecord.lines + 1 + Math.max(0, blank - lastRecord.empty_lines);
      // Recovering from a bad quote can raise a second error on the same line: report one.
      if (lastSkippedLine === line) return;
      lastSkippedLine = line;
      skipped.push({ line, column: 'row', message: malformedMessage(error) });
    },
  });
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);

  let header: string[] | undefined;
  for await (const { record, info } of parser as AsyncIterable<{
    record: string[];
    info: { lines: number };
  }>) {
    yield* flushSkipped(skipped, info.lines);
    if (header === undefined) {
      header = record.map((name) => name.trim().toLowerCase());
      const problems = headerProblems(header);
      if (problems.length > 0) {
        yield { kind: 'bad_file', line: info.lines, problems };
        parser.destroy();
        return;
      }
      continue;
    }
    if (record.length !== header.length) {
      const message = `expected ${header.length} cells like the header, found ${record.length}`;
      const problems = [{ line: info.lines, column: 'row', message }];
      yield { kind: 'bad_row', line: info.lines, problems };
      continue;
    }
    const cells: Cells = {};
    for (let i = 0; i < header.length; i++) cells[header[i] as CsvColumn] = record[i];
    yield parseVehicleRow(cells, info.lines, { currentYear });
  }
  yield* flushSkipped(skipped);
  if (header === undefined) {
    const message = `the file is empty; the first line must name the columns (${CSV_HEADER})`;
    yield { kind: 'bad_file', line: 1, problems: [{ line: 1, column: 'header', message }] };
  }
}

/** {@link readVehicleCsv} over a file. */
export function readVehicleCsvFile(
  file: string,
  options: CsvReadOptions = {},
): AsyncGenerator<CsvRecord> {
  return readVehicleCsv(createReadStream(file), options);
}

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One vehicle as a CSV line in {@link CSV_COLUMNS} order (no line break). */
export function formatVehicleCsvRow(vehicle: NewVehicle | Vehicle): string {
  return CSV_COLUMNS.map((column) => csvCell(vehicle[column])).join(',');
}
