import { type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { Database, VehicleRow } from '../db/schema.js';
import { type BodyStyle, type VehicleStatus, makeKey } from './vehicle.js';

/** Filters for the inventory list; all optional, combined with AND. */
export interface VehicleFilters {
  /** Case-insensitive; common aliases ("Chevy", "VW") resolve to the make. */
  make?: string;
  /** Case-insensitive exact model ("civic"). */
  model?: string;
  year?: number;
  status?: VehicleStatus;
  body?: BodyStyle;
  priceMin?: number;
  priceMax?: number;
  /**
   * Free text: every word must match the make, model, trim or color (substring), the year, or the
   * start of the VIN.
   */
  q?: string;
}

export type VehicleQuery = SelectQueryBuilder<Database, 'vehicles', VehicleRow>;
type VehicleExpressions = ExpressionBuilder<Database, 'vehicles'>;
type Bound = string | number;

function likePattern(text: string, anchor: 'contains' | 'prefix'): string {
  const escaped = text.replace(/[\\%_]/g, (c) => `\\${c}`);
  return anchor === 'contains' ? `%${escaped}%` : `${escaped}%`;
}

function lowerLike(
  eb: VehicleExpressions,
  column: 'make' | 'model' | 'trim' | 'color',
  text: string,
) {
  return eb(
    sql`lower(${sql.ref(column)})`,
    'like',
    sql`${likePattern(text, 'contains')} escape '\\'`,
  );
}

// At most this many words of free text are used; more only slow the scan down.
const MAX_QUERY_WORDS = 6;

function queryWords(text: string | undefined): string[] {
  return (text ?? '').split(/\s+/).filter(Boolean).slice(0, MAX_QUERY_WORDS);
}

function matchWord(eb: VehicleExpressions, word: string) {
  const lower = word.toLowerCase();
  const alternatives = [
    lowerLike(eb, 'make', makeKey(lower)),
    lowerLike(eb, 'model', lower),
    lowerLike(eb, 'trim', lower),
    lowerLike(eb, 'color', lower),
  ];
  if (/^[0-9A-HJ-NPR-Z]{2,17}$/i.test(word)) {
    alternatives.push(
      eb('vin', 'like', sql<string>`${likePattern(word.toUpperCase(), 'prefix')} escape '\\'`),
    );
  }
  if (/^(19|20)\d\d$/.test(word)) alternatives.push(eb('year', '=', Number(word)));
  return eb.or(alternatives);
}

/**
 * The field filters, in the order their conditions are added: each one's value (undefined: not
 * filtering) and its condition, which binds exactly that value as one parameter.
 */
const FIELD_FILTERS: readonly {
  name: string;
  value: (filters: VehicleFilters) => Bound | undefined;
  where: (query: VehicleQuery, value: Bound) => VehicleQuery;
}[] = [
  // Compare lower(column) with a lower-cased value so the expression indexes apply.
  {
    name: 'make',
    value: (f) => (f.make ? makeKey(f.make) : undefined),
    where: (q, v) => q.where(sql`lower(make)`, '=', v),
  },
  {
    name: 'model',
    value: (f) => (f.model ? f.model.trim().toLowerCase() : undefined),
    where: (q, v) => q.where(sql`lower(model)`, '=', v),
  },
  { name: 'year', value: (f) => f.year, where: (q, v) => q.where('year', '=', v as number) },
  {
    name: 'status',
    value: (f) => f.status || undefined,
    where: (q, v) => q.where('status', '=', v as VehicleStatus),
  },
  {
    name: 'body',
    value: (f) => f.body || undefined,
    where: (q, v) => q.where('body', '=', v as BodyStyle),
  },
  {
    name: 'priceMin',
    value: (f) => f.priceMin,
    where: (q, v) => q.where('price', '>=', v as number),
  },
  {
    name: 'priceMax',
    value: (f) => f.priceMax,
    where: (q, v) => q.where('price', '<=', v as number),
  },
];

/** Adds the conditions for `filters` to a query on vehicles. */
export function applyFilters(query: VehicleQuery, filters: VehicleFilters): VehicleQuery {
  let q = query;
  for (const filter of FIELD_FILTERS) {
    const value = filter.value(filters);
    if (value !== undefined) q = filter.where(q, value);
  }
  for (const word of queryWords(filters.q)) q = q.where((eb) => matchWord(eb, word));
  return q;
}

/**
 * Which filters are set (the shape: the SQL {@link applyFilters} writes depends on nothing else)
 * and the values it binds, in its order; a query can then be compiled once per shape. Null for
 * free text, whose SQL depends on the words.
 */
export function filterBindings(filters: VehicleFilters): { shape: string; values: Bound[] } | null {
  if (queryWords(filters.q).length > 0) return null;
  const names: string[] = [];
  const values: Bound[] = [];
  for (const filter of FIELD_FILTERS) {
    const value = filter.value(filters);
    if (value === undefined) continue;
    names.push(filter.name);
    values.push(value);
  }
  return { shape: names.join(','), values };
}
