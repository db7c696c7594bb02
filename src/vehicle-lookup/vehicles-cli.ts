import { once } from 'node:events';
import { createWriteStream, existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { loadConfigOrExit } from '../config/index.js';
import { type Db, migrateToLatest, openDatabase } from '../db/index.js';
import {
  CSV_HEADER,
  type CsvProblem,
  formatCsvProblem,
  formatVehicleCsvRow,
} from './vehicle-csv.js';
import {
  type ImportProgress,
  importVehicleCsvFile,
  validateVehicleCsvFile,
} from './vehicle-import.js';
import { countVehicles, iterateVehicles } from './vehicle-repository.js';

const USAGE = `Usage: npm run vehicles -- <command> [options]

Commands:
  import <file.csv>   Check every row, then insert or update them all in one transaction.
                      If any row is bad, nothing is written and the bad rows are listed.
  check <file.csv>    Check every row; write nothing.
  count               Print how many vehicles the inventory holds.
  export [file.csv]   Write the inventory as CSV (to standard output without a file).

Options:
  -q, --quiet         No progress lines.
  -h, --help          This help.

CSV columns (header row required, any order): vin, year, make, model, trim, body, color,
mileage, price, status, location. Required: vin, year, make, model, body, price.`;

/** Exit codes: 0 done, 1 bad rows or a failure, 2 wrong usage. */
const EXIT_USAGE = 2;
// Warnings can run to thousands on a sloppy feed; show the first ones.
const MAX_WARNINGS_SHOWN = 50;

const out = (text: string) => process.stdout.write(`${text}\n`);
const err = (text: string) => process.stderr.write(`${text}\n`);
const count = (n: number) => n.toLocaleString('en-US');

function printProgress(progress: ImportProgress): void {
  const rate = progress.rows / Math.max(progress.elapsedMs / 1000, 0.001);
  const verb = progress.phase === 'validate' ? 'checked' : 'written';
  err(`${verb} ${count(progress.rows)} rows (${count(Math.round(rate))} rows/s)`);
}

function printWarnings(warnings: CsvProblem[]): void {
  for (const warning of warnings.slice(0, MAX_WARNINGS_SHOWN)) {
    err(`warning: ${formatCsvProblem(warning)}`);
  }
  if (warnings.length > MAX_WARNINGS_SHOWN) {
    err(`warning: ... and ${count(warnings.length - MAX_WARNINGS_SHOWN)} more warnings`);
  }
}

/** Prints the bad rows; returns the exit code. */
function printProblems(file: string, rows: number, problems: CsvProblem[]): number {
  if (problems.length === 0 && rows > 0) return 0;
  for (const problem of problems) err(formatCsvProblem(problem));
  const badRows = new Set(problems.map((p) => p.line)).size;
  out(
    rows === 0 && problems.length === 0
      ? `${file}: no vehicle rows. Nothing imported.`
      : `${file}: ${count(badRows)} bad of ${count(rows)} rows. Nothing imported.`,
  );
  return 1;
}

async function importFile(db: Db, file: string, quiet: boolean): Promise<number> {
  const started = performance.now();
  const report = await importVehicleCsvFile(db, file, {
    onProgress: quiet ? undefined : printProgress,
  });
  printWarnings(report.warnings);
  if (report.result === null) return printProblems(file, report.rows, report.problems);
  const { inserted, updated, unchanged } = report.result;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  out(
    `Imported ${count(report.rows)} rows from ${file}: ${count(inserted)} new, ` +
      `${count(updated)} updated, ${count(unchanged)} unchanged (${seconds} s).`,
  );
  return 0;
}

async function checkFile(file: string, quiet: boolean): Promise<number> {
  const report = await validateVehicleCsvFile(file, {
    onProgress: quiet ? undefined : printProgress,
  });
  printWarnings(report.warnings);
  if (report.problems.length > 0 || report.rows === 0) {
    for (const problem of report.problems) err(formatCsvProblem(problem));
    const badRows = new Set(report.problems.map((p) => p.line)).size;
    out(`${file}: ${count(badRows)} bad of ${count(report.rows)} rows.`);
    return 1;
  }
  out(`${file}: all ${count(report.rows)} rows are good.`);
  return 0;
}

async function exportCsv(db: Db, file: string | undefined): Promise<number> {
  const stream = file ? createWriteStream(file) : process.stdout;
  const write = async (line: string) => {
    if (!stream.write(`${line}\n`)) await once(stream, 'drain');
  };
  let rows = 0;
  await write(CSV_HEADER);
  for await (const vehicle of iterateVehicles(db)) {
    await write(formatVehicleCsvRow(vehicle));
    rows++;
  }
  if (file) {
    stream.end();
    await once(stream, 'finish');
    out(`Exported ${count(rows)} vehicles to ${file}.`);
  }
  return 0;
}

function usage(message?: string): number {
  if (message) err(`${message}\n`);
  (message ? err : out)(USAGE);
  return message ? EXIT_USAGE : 0;
}

async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        quiet: { type: 'boolean', short: 'q', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    return usage((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, file, ...extra] = positionals;
  if (values.help) return usage();
  if (command === undefined) return usage('Name a command.');
  if (extra.length > 0) return usage(`Unexpected argument: ${extra.join(' ')}`);
  const needsFile = command === 'import' || command === 'check';
  if (!['import', 'check', 'count', 'export'].includes(command)) {
    return usage(`Unknown command: ${command}`);
  }
  if (needsFile && !file) return usage(`${command} needs a CSV file.`);
  if (command === 'count' && file) return usage('count takes no file.');
  if (needsFile && file && !existsSync(file)) {
    err(`${file}: no such file`);
    return 1;
  }
  if (command === 'check' && file) return checkFile(path.normalize(file), values.quiet);

  const config = loadConfigOrExit();
  const handle = openDatabase(config.database);
  try {
    await migrateToLatest(handle.db, handle.dialect);
    // A big import rewrites index pages all over the file; SQLite's default 2 MB page cache
    // makes that spill constantly. This process is short-lived: give it 256 MB.
    if (handle.dialect === 'sqlite') await sql`PRAGMA cache_size = -262144`.execute(handle.db);
    if (command === 'count') {
      out(String(await countVehicles(handle.db)));
      return 0;
    }
    if (command === 'export') return await exportCsv(handle.db, file);
    return await importFile(handle.db, path.normalize(file ?? ''), values.quiet);
  } finally {
    await handle.destroy();
  }
}

/** `npm run vehicles -- import|check|count|export`: the inventory from the command line. */
run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    err(`vehicles failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
