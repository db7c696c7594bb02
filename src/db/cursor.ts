/**
 * Opaque keyset-pagination cursors: the sort key of the last row of a page, base64url JSON.
 * Clients pass them back unchanged; a tampered or foreign cursor is rejected, not guessed at.
 */

export class InvalidCursorError extends Error {
  constructor() {
    super('cursor is not valid: pass back the nextCursor value of a previous page unchanged');
    this.name = 'InvalidCursorError';
  }
}

export type CursorValue = string | number;

/** Encodes a sort key (e.g. `[startedAt, id]`) as an opaque cursor string. */
export function encodeCursor(key: readonly CursorValue[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** Decodes a cursor made by `encodeCursor`, checking it has the expected shape. */
export function decodeCursor<T extends readonly ('string' | 'number')[]>(
  cursor: string,
  shape: T,
): { [K in keyof T]: T[K] extends 'string' ? string : number } {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (
    !Array.isArray(key) ||
    key.length !== shape.length ||
    !key.every((value, i) => typeof value === shape[i])
  ) {
    throw new InvalidCursorError();
  }
  return key as { [K in keyof T]: T[K] extends 'string' ? string : number };
}

/** A requested page size kept within 1-200 (50 when not given). */
export function pageLimit(requested: number | undefined): number {
  return Math.min(Math.max(requested ?? 50, 1), 200);
}

/**
 * One page from a query that fetched `limit + 1` rows: the first `limit` as items, and a cursor
 * on the last item's sort key when the extra row shows that more follow.
 */
export function keysetPage<R, T>(
  rows: readonly R[],
  limit: number,
  toItem: (row: R) => T,
  sortKey: (item: T) => readonly CursorValue[],
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit).map((row) => toItem(row));
  const last = items.at(-1);
  const more = rows.length > limit && last !== undefined;
  return { items, nextCursor: more ? encodeCursor(sortKey(last)) : null };
}
