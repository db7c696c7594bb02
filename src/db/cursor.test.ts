import { describe, expect, it } from 'vitest';
import { decodeCursor, InvalidCursorError, keysetPage, pageLimit } from './cursor.js';

describe('keyset paging', () => {
  it('keeps page sizes within 1-200, 50 by default', () => {
    expect([undefined, 0, 1, 75, 500].map(pageLimit)).toEqual([50, 1, 1, 75, 200]);
  });

  it('gives a cursor on the last item only when the extra row shows more follow', () => {
    const rows = [{ n: 3 }, { n: 2 }, { n: 1 }];
    const full = keysetPage(
      rows,
      2,
      (row) => row.n * 10,
      (item) => [item],
    );
    expect(full.items).toEqual([30, 20]);
    expect(decodeCursor(full.nextCursor ?? '', ['number'] as const)).toEqual([20]);
    expect(
      keysetPage(
        rows,
        3,
        (row) => row.n,
        (item) => [item],
      ),
    ).toEqual({
      items: [3, 2, 1],
      nextCursor: null,
    });
    expect(() => decodeCursor('not a cursor', ['number'] as const)).toThrow(InvalidCursorError);
  });
});
