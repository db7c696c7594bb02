import { isDeepStrictEqual } from 'node:util';
import { type CompiledQuery, sql } from 'kysely';
import { decodeCursor, encodeCursor } from '../db/cursor.js';
import { type Db, executeSelect, inTransaction } from '../db/index.js';
import type { NewVehicleRow, VehicleRow } from '../db/schema.js';
import {
  type VehicleFilters,
  type VehicleQuery,
  applyFilters,
  filterBindings,
} from './vehicle-filters.js';
import {
  type BodyStyle,
  type NewVehicle,
  type Vehicle,
  type VehicleStatus,
  makeKey,
} from './vehicle.js';

export type { VehicleFilters } from './vehicle-filters.js';

/** Page size bounds for {@link listVehicles}. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** Rows per INSERT in {@link upsertVehicles}: 13 parameters a row stays far below both dialects' limits. */
export const UPSERT_CHUNK_ROWS = 500;

function rowToVehicle(row: VehicleRow): Vehicle {
  return {
    id: row.id,
    vin: row.vin,
    year: row.year,
    make: row.make,
    model: row.model,
    trim: row.trim,
    body: row.body,
    color: row.color,
    mileage: row.mileage,
    price: row.price,
    status: row.status,
    location: row.location,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function vehicleToRow(vehicle: NewVehicle, now: string): NewVehicleRow {
  return {
    vin: vehicle.vin,
    year: vehicle.year,
    make: vehicle.make,
    model: vehicle.model,
    trim: vehicle.trim,
    body: vehicle.body,
    color: vehicle.color,
    mileage: vehicle.mileage,
    price: vehicle.price,
    status: vehicle.status,
    location: vehicle.location,
    created_at: now,
    updated_at: now,
  };
}

/** The query {@link getVehicleByVin} runs; exported so tests can check its plan. */
export function vehicleByVinQuery(db: Db, vin: string): VehicleQuery {
  return db.selectFrom('vehicles').selectAll().where('vin', '=', vin);
}

// The VIN lookup and the list are the agent's and the API's hottest queries: build and compile
// them once per database (or transaction) and shape, and only swap the parameters; the builder
// costs more than the lookup. On SQLite, executeSelect then skips Kysely's executor too.
const byVinQueries = new WeakMap<Db, CompiledQuery<VehicleRow>>();
const listQueries = new WeakMap<Db, Map<string, CompiledQuery<VehicleRow>>>();

/** The stocked vehicle with this VIN (already normalized: see `normalizeVin`), or null. */
export async function getVehicleByVin(db: Db, vin: string): Promise<Vehicle | null> {
  let query = byVinQueries.get(db);
  if (query === undefined) {
    query = vehicleByVinQuery(db, vin).compile();
    byVinQueries.set(db, query);
  }
  const [row] = await executeSelect<VehicleRow>(db, { ...query, parameters: [vin] });
  return row === undefined ? null : rowToVehicle(row);
}

/** One page of vehicles in id order; pass `nextCursor` back for the next page. */
export interface VehiclePage {
  items: Vehicle[];
  nextCursor: string | null;
}

function clampLimit(limit: number | undefined, fallback: number, max: number): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.min(Math.max(Math.trunc(limit), 1), max);
}

/**
 * The query {@link listVehicles} runs (one row more than the page, to know whether another page
 * follows); exported so tests can check its plan. Throws `InvalidCursorError` for a bad cursor.
 */
export function listVehiclesQuery(
  db: Db,
  filters: VehicleFilters,
  page: { limit?: number; cursor?: string } = {},
): VehicleQuery {
  const limit = clampLimit(page.limit, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  let query = applyFilters(db.selectFrom('vehicles').selectAll(), filters);
  if (page.cursor) {
    const [afterId] = decodeCursor(page.cursor, ['number'] as const);
    query = query.where('id', '>', afterId);
  }
  return query.orderBy('id').limit(limit + 1);
}

/** The rows of {@link listVehiclesQuery}, through a query compiled once per filter shape. */
async function listRows(
  db: Db,
  filters: VehicleFilters,
  limit: number,
  cursor: string | undefined,
): Promise<VehicleRow[]> {
  const bindings = filterBindings(filters);
  if (bindings === null) return listVehiclesQuery(db, filters, { limit, cursor }).execute();
  const afterId = cursor ? decodeCursor(cursor, ['number'] as const)[0] : undefined;
  const shape = afterId === undefined ? bindings.shape : `${bindings.shape};after`;
  const parameters = [...bindings.values, ...(afterId === undefined ? [] : [afterId]), limit + 1];
  let byShape = listQueries.get(db);
  if (byShape === undefined) listQueries.set(db, (byShape = new Map()));
  let query = byShape.get(shape);
  if (query === undefined) {
    query = listVehiclesQuery(db, filters, { limit, cursor }).compile();
    // Bound out of order, the cached query would answer with the wrong filter values.
    if (!isDeepStrictEqual(query.parameters, parameters)) {
      throw new Error(`vehicle list (${shape}): parameters not bound in the expected order`);
    }
    byShape.set(shape, query);
  }
  return executeSelect<VehicleRow>(db, { ...query, parameters });
}

/**
 * Vehicles matching the filters in a stable id order, with keyset pagination: the cursor is the
 * last id of the page, opaque to clients. Throws `InvalidCursorError` for a tampered cursor.
 */
export async function listVehicles(
  db: Db,
  filters: VehicleFilters = {},
  page: { limit?: number; cursor?: string } = {},
): Promise<VehiclePage> {
  const limit = clampLimit(page.limit, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const rows = await listRows(db, filters, limit, page.cursor);
  const items = rows.slice(0, limit).map(rowToVehicle);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeCursor([last.id]) : null,
  };
}

/** What the agent's `search_inventory` tool asks for; every field optional. */
export interface InventorySearch {
  make?: string;
  /** Matched ignoring case, spaces and hyphens ("crv" finds "CR-V", "f150" finds "F-150"). */
  model?: string;
  yearFrom?: number;
  yearTo?: number;
  priceMin?: number;
  priceMax?: number;
  body?: BodyStyle;
  /** Defaults to available stock; 'any' includes sold and in-service vehicles. */
  status?: VehicleStatus | 'any';
  /** 1-20, default 5: a caller can only listen to a few. */
  limit?: number;
}

/** Matches for an inventory search, cheapest first. */
export interface InventoryMatches {
  vehicles: Vehicle[];
  /** More vehicles matched than were returned. */
  hasMore: boolean;
}

const compactModel = (model: string) => model.toLowerCase().replace(/[\s-]+/g, '');

/** Stock matching a caller's wishes, cheapest first (ties by id), for the voice agent. */
export async function searchInventory(
  db: Db,
  search: InventorySearch = {},
): Promise<InventoryMatches> {
  const limit = clampLimit(search.limit, 5, 20);
  let query = db.selectFrom('vehicles').selectAll();
  if (search.make) query = query.where(sql`lower(make)`, '=', makeKey(search.make));
  if (search.model) {
    query = query.where(
      sql`replace(replace(lower(model), '-', ''), ' ', '')`,
      '=',
      compactModel(search.model),
    );
  }
  if (search.yearFrom !== undefined) query = query.where('year', '>=', search.yearFrom);
  if (search.yearTo !== undefined) query = query.where('year', '<=', search.yearTo);
  if (search.priceMin !== undefined) query = query.where('price', '>=', search.priceMin);
  if (search.priceMax !== undefined) query = query.where('price', '<=', search.priceMax);
  if (search.body) query = query.where('body', '=', search.body);
  const status = search.status ?? 'available';
  if (status !== 'any') query = query.where('status', '=', status);
  const rows = await query
    .orderBy('price')
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  return { vehicles: rows.slice(0, limit).map(rowToVehicle), hasMore: rows.length > limit };
}

/**
 * Vehicles whose VIN ends in these six characters (positions 12-17): the fallback when a caller
 * keys in the end of the VIN on the keypad. Returns [] for input that cannot be a VIN ending.
 */
export async function findVehiclesBySerialSuffix(
  db: Db,
  lastSix: string,
  limit = 10,
): Promise<Vehicle[]> {
  const suffix = lastSix.replace(/[\s-]+/g, '').toUpperCase();
  if (!/^[0-9A-HJ-NPR-Z]{6}$/.test(suffix)) return [];
  const rows = await serialSuffixQuery(db, suffix, limit).execute();
  return rows.map(rowToVehicle);
}

/** The query {@link findVehiclesBySerialSuffix} runs; exported so tests can check its plan. */
export function serialSuffixQuery(db: Db, suffix: string, limit = 10): VehicleQuery {
  return (
    db
      .selectFrom('vehicles')
      .selectAll()
      // The same expression as the vehicles_serial index, so the index serves it.
      .where(sql`substr(vin, 12, 6)`, '=', suffix)
      .orderBy('id')
      .limit(limit)
  );
}

/** Number of vehicles in the table, any status. */
export async function countVehicles(db: Db): Promise<number> {
  const row = await db
    .selectFrom('vehicles')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Whether the table holds any vehicle (cheaper than counting a large table). */
export async function hasVehicles(db: Db): Promise<boolean> {
  const row = await db.selectFrom('vehicles').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

/** What {@link upsertVehicles} did, per distinct VIN. */
export interface UpsertResult {
  inserted: number;
  updated: number;
  /** Already stored with the same values: left alone, `updated_at` kept. */
  unchanged: number;
}

const UPDATABLE_COLUMNS = [
  'year',
  'make',
  'model',
  'trim',
  'body',
  'color',
  'mileage',
  'price',
  'status',
  'location',
] as const;

/**
 * Inserts new VINs and updates stored ones in one transaction (the caller's, or a new one), in
 * chunks of {@link UPSERT_CHUNK_ROWS}. A VIN given twice keeps its last values. Rows whose values
 * did not change are not written, so re-running an import or the seed changes nothing.
 */
export async function upsertVehicles(
  db: Db,
  vehicles: Iterable<NewVehicle>,
  now = new Date().toISOString(),
): Promise<UpsertResult> {
  // PostgreSQL refuses to update one row twice in a statement: keep one entry per VIN.
  const byVin = new Map<string, NewVehicle>();
  for (const vehicle of vehicles) byVin.set(vehicle.vin, vehicle);
  const unique = [...byVin.values()];
  // Round-trip form: PostgreSQL reads timestamps back as toISOString() output.
  const stamp = new Date(now).toISOString();
  return inTransaction(db, async (trx) => {
    let inserted = 0;
    let written = 0;
    for (let start = 0; start < unique.length; start += UPSERT_CHUNK_ROWS) {
      const rows = unique
        .slice(start, start + UPSERT_CHUNK_ROWS)
        .map((vehicle) => vehicleToRow(vehicle, stamp));
      const returned = await trx
        .insertInto('vehicles')
        .values(rows)
        .onConflict((oc) =>
          oc
            .column('vin')
            .doUpdateSet((eb) => ({
              year: eb.ref('excluded.year'),
              make: eb.ref('excluded.make'),
              model: eb.ref('excluded.model'),
              trim: eb.ref('excluded.trim'),
              body: eb.ref('excluded.body'),
              color: eb.ref('excluded.color'),
              mileage: eb.ref('excluded.mileage'),
              price: eb.ref('excluded.price'),
              status: eb.ref('excluded.status'),
              location: eb.ref('excluded.location'),
              updated_at: eb.ref('excluded.updated_at'),
            }))
            .where((eb) =>
              eb.or(
                UPDATABLE_COLUMNS.map((column) =>
                  eb(`vehicles.${column}`, 'is distinct from', eb.ref(`excluded.${column}`)),
                ),
              ),
            ),
        )
        // Only written rows come back; an insert carries this call's created_at, an update
        // keeps the stored one. Cheaper and dialect-neutral compared with counting twice.
        .returning('created_at')
        .execute();
      written += returned.length;
      for (const row of returned) if (row.created_at === stamp) inserted++;
    }
    return { inserted, updated: written - inserted, unchanged: unique.length - written };
  });
}

/** Every vehicle in id order, fetched in keyset batches (for export). */
export async function* iterateVehicles(db: Db, batchSize = 1000): AsyncGenerator<Vehicle> {
  let afterId = 0;
  for (;;) {
    const rows = await db
      .selectFrom('vehicles')
      .selectAll()
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(batchSize)
      .execute();
    for (const row of rows) yield rowToVehicle(row);
    const last = rows.at(-1);
    if (last === undefined || rows.length < batchSize) return;
    afterId = last.id;
  }
}
