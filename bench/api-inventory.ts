/**
 * The bench inventory: N vehicles (1,000,000 by default) derived from the seed generator, in a
 * cached SQLite file and, when asked, in a PostgreSQL schema of its own.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { PROJECT_ROOT } from '../src/config/paths.js';
import { SQL_DIR, migrateToLatest, openDatabase } from '../src/db/index.js';
import { CSV_COLUMNS } from '../src/vehicle-lookup/vehicle-csv.js';
import type { NewVehicle } from '../src/vehicle-lookup/vehicle.js';
import { computeCheckDigit } from '../src/vehicle-lookup/vin.js';
import { generateSeedInventory } from '../scripts/generate-seed-inventory.js';

/** Bump when the derived rows change, so cached files are rebuilt. */
const INVENTORY_VERSION = 1;
const TEMPLATE_ROWS = 100_000;
const TEMPLATE_SEED = 8_008;
/** Serials are the row number in six digits: that is what keeps a million VINs unique. */
export const MAX_ROWS = 1_000_000;
/** Every vehicle has the same timestamps: the bench never writes. */
const STAMP = '2026-11-21T00:00:00.000Z';
/** The PostgreSQL schema the bench owns in the `test` database (dropped afterwards). */
export const PG_SCHEMA = 'bench_api';
export const CACHE_DIR = path.join(PROJECT_ROOT, 'data', 'bench');

const COLUMNS = [...CSV_COLUMNS, 'created_at', 'updated_at'] as const;

/** A VIN with `serial` in positions 12-17 and its check digit recomputed. */
function withSerial(vin: string, serial: string): string {
  const draft = `${vin.slice(0, 11)}${serial}`;
  return `${draft.slice(0, 8)}${computeCheckDigit(draft)}${draft.slice(9)}`;
}

/**
 * The bench's vehicles, row k (from 0) a copy of seed-generator vehicle k mod 100,000 with serial
 * k: the lot's make and model mix and realistic VINs, each one distinct.
 */
export function* benchVehicles(rows: number): Generator<NewVehicle> {
  if (rows > MAX_ROWS) throw new Error(`at most ${MAX_ROWS} rows`);
  const templates = generateSeedInventory(Math.min(rows, TEMPLATE_ROWS), TEMPLATE_SEED);
  for (let k = 0; k < rows; k++) {
    const template = templates[k % templates.length] as NewVehicle;
    yield { ...template, vin: withSerial(template.vin, String(k).padStart(6, '0')) };
  }
}

/** Row count, schema (every migration) and generator version: what a cached inventory depends on. */
export function inventoryKey(rows: number): string {
  const hash = createHash('sha256').update(`v${INVENTORY_VERSION}`);
  for (const name of readdirSync(SQL_DIR).sort()) {
    for (const dialect of ['sqlite', 'postgres']) {
      const file = path.join(SQL_DIR, name, `${dialect}.sql`);
      if (existsSync(file)) hash.update(name).update(readFileSync(file));
    }
  }
  return `${rows}-${hash.digest('hex').slice(0, 12)}`;
}

// The CSV columns are the vehicle's own fields, in the table's order.
const rowValues = (v: NewVehicle) => [...CSV_COLUMNS.map((column) => v[column]), STAMP, STAMP];

/**
 * The SQLite inventory file for `rows` vehicles, built unless cached under data/bench/. Built
 * with the migrations, then the secondary indexes dropped, rows inserted in one transaction and
 * the indexes created again from their own SQL: several times faster than inserting into them.
 */
export async function sqliteInventory(rows: number): Promise<{ file: string; built: boolean }> {
  const key = inventoryKey(rows);
  const file = path.join(CACHE_DIR, `vehicles-${key}.db`);
  if (existsSync(file)) return { file, built: false };
  mkdirSync(CACHE_DIR, { recursive: true });
  for (const old of readdirSync(CACHE_DIR).filter((f) => /^vehicles-.*\.db(-wal|-shm)?$/.test(f))) {
    if (old.startsWith(`vehicles-${rows}-`)) rmSync(path.join(CACHE_DIR, old));
  }
  const building = `${file}.building`;
  rmSync(building, { force: true });
  const handle = openDatabase({ kind: 'sqlite', path: building });
  await migrateToLatest(handle.db, 'sqlite');
  await handle.destroy();

  const sqlite = new SqliteDatabase(building);
  sqlite.pragma('journal_mode = OFF');
  sqlite.pragma('synchronous = OFF');
  const indexes = sqlite
    .prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'vehicles' AND sql IS NOT NULL",
    )
    .all() as { name: string; sql: string }[];
  for (const index of indexes) sqlite.exec(`DROP INDEX ${index.name}`);
  const insert = sqlite.prepare(
    `INSERT INTO vehicles (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`,
  );
  sqlite.transaction(() => {
    for (const vehicle of benchVehicles(rows)) insert.run(rowValues(vehicle));
  })();
  for (const index of indexes) sqlite.exec(index.sql);
  // The API opens files in WAL mode; leave the file as it will be used.
  sqlite.pragma('journal_mode = WAL');
  sqlite.close();
  renameSync(building, file);
  return { file, built: true };
}

/** The connection URL whose sessions see the bench schema first. */
export function schemaUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${PG_SCHEMA}`);
  return url.toString();
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Whether PostgreSQL answers at `url`. */
export async function postgresReachable(url: string): Promise<boolean> {
  return withClient(url, async (client) => void (await client.query('SELECT 1'))).then(
    () => true,
    () => false,
  );
}

/** Drops the bench schema and everything in it. */
export async function dropPostgresInventory(baseUrl: string): Promise<void> {
  await withClient(baseUrl, (client) => client.query(`DROP SCHEMA IF EXISTS ${PG_SCHEMA} CASCADE`));
}

const PG_CHUNK_ROWS = 20_000;
const PG_TYPES = [
  'text',
  'int',
  'text',
  'text',
  'text',
  'text',
  'text',
  'int',
  'int',
  'text',
  'text',
  'timestamptz',
  'timestamptz',
];

/**
 * The inventory in the `bench_api` schema of the PostgreSQL database at `baseUrl`, the same way
 * as SQLite (indexes dropped, rows inserted from arrays, indexes rebuilt, then ANALYZE). A schema
 * left by an earlier run with the same key is reused. Returns the URL the API should use.
 */
export async function postgresInventory(
  baseUrl: string,
  rows: number,
): Promise<{ url: string; built: boolean }> {
  const key = inventoryKey(rows);
  const url = schemaUrl(baseUrl);
  const current = await withClient(baseUrl, async (client) => {
    const found = await client.query<{ present: boolean }>(
      `SELECT to_regclass('${PG_SCHEMA}.bench_inventory') IS NOT NULL AS present`,
    );
    if (!found.rows[0]?.present) return null;
    const marker = await client.query<{ key: string }>(
      `SELECT key FROM ${PG_SCHEMA}.bench_inventory`,
    );
    return marker.rows[0]?.key ?? null;
  });
  if (current === key) return { url, built: false };

  await dropPostgresInventory(baseUrl);
  await withClient(baseUrl, (client) => client.query(`CREATE SCHEMA ${PG_SCHEMA}`));
  const handle = openDatabase({ kind: 'postgres', url, poolSize: 1 });
  await migrateToLatest(handle.db, 'postgres');
  await handle.destroy();

  await withClient(url, async (client) => {
    const { rows: indexes } = await client.query<{ name: string; definition: string }>(
      `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
        WHERE schemaname = $1 AND tablename = 'vehicles'
          AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = $2::regclass)`,
      [PG_SCHEMA, `${PG_SCHEMA}.vehicles`],
    );
    for (const index of indexes) await client.query(`DROP INDEX ${index.name}`);
    const insert = `INSERT INTO vehicles (${COLUMNS.join(', ')})
      SELECT * FROM unnest(${PG_TYPES.map((type, i) => `$${i + 1}::${type}[]`).join(', ')})`;
    const columns: unknown[][] = COLUMNS.map(() => []);
    const flush = async () => {
      if (columns[0]?.length) await client.query(insert, columns);
      for (const column of columns) column.length = 0;
    };
    await client.query('BEGIN');
    for (const vehicle of benchVehicles(rows)) {
      rowValues(vehicle).forEach((value, i) => columns[i]?.push(value));
      if ((columns[0]?.length ?? 0) >= PG_CHUNK_ROWS) await flush();
    }
    await flush();
    await client.query('COMMIT');
    for (const index of indexes) await client.query(index.definition);
    await client.query('ANALYZE vehicles');
    await client.query('CREATE TABLE bench_inventory (key TEXT NOT NULL)');
    await client.query('INSERT INTO bench_inventory (key) VALUES ($1)', [key]);
  });
  return { url, built: true };
}

/** VINs and makes to request, read from the inventory. */
export interface RequestSample {
  /** Stocked VINs, in random order. */
  known: string[];
  /** Valid VINs the inventory does not hold (another vehicle's first 11 characters, a serial in use). */
  unknown: string[];
  /** Every make and how many vehicles it has, most first. */
  makes: { make: string; count: number }[];
  /** Row ids in random order (the anchors read by primary key). */
  ids: number[];
}

/** A reproducible random sample of the inventory's VINs, plus unknown ones and the makes. */
export function sampleRequests(file: string, count: number, unknownCount: number): RequestSample {
  const sqlite = new SqliteDatabase(file, { readonly: true });
  try {
    const total = (sqlite.prepare('SELECT max(id) AS n FROM vehicles').get() as { n: number }).n;
    const byId = sqlite.prepare('SELECT vin FROM vehicles WHERE id = ?').pluck();
    const exists = sqlite.prepare('SELECT 1 FROM vehicles WHERE vin = ?').pluck();
    let state = 12_345;
    const random = () => {
      state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
      return state / 4_294_967_296;
    };
    const randomId = () => 1 + Math.floor(random() * total);
    const pick = () => byId.get(randomId()) as string;
    const known = Array.from({ length: count }, pick);
    const unknown: string[] = [];
    while (unknown.length < unknownCount) {
      const vin = withSerial(pick(), pick().slice(11));
      if (exists.get(vin) === undefined) unknown.push(vin);
    }
    const makes = sqlite
      .prepare('SELECT make, count(*) AS count FROM vehicles GROUP BY make ORDER BY count DESC')
      .all() as { make: string; count: number }[];
    const ids = Array.from({ length: count }, randomId);
    return { known, unknown, makes, ids };
  } finally {
    sqlite.close();
  }
}
