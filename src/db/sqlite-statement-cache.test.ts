import SqliteDatabase from 'better-sqlite3';
import { type Generated, Kysely, SqliteDialect, sql } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import { withStatementCache } from './sqlite-statement-cache.js';

function open() {
  const sqlite = new SqliteDatabase(':memory:');
  sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY NOT NULL, v TEXT NOT NULL)');
  sqlite.exec("INSERT INTO t (v) VALUES ('a'), ('b'), ('c')");
  return sqlite;
}

describe('withStatementCache', () => {
  it('prepares each SQL text once and reuses the statement', () => {
    const sqlite = open();
    const prepare = vi.spyOn(sqlite, 'prepare');
    const cached = withStatementCache(sqlite);
    const first = cached.prepare('SELECT v FROM t WHERE id = ?');
    const again = cached.prepare('SELECT v FROM t WHERE id = ?');
    expect(again).toBe(first);
    expect(again.all([2])).toEqual([{ v: 'b' }]);
    expect(prepare).toHaveBeenCalledTimes(1);
    cached.close();
  });

  it('evicts the least recently used statement beyond its size', () => {
    const sqlite = open();
    const prepare = vi.spyOn(sqlite, 'prepare');
    const cached = withStatementCache(sqlite, 2);
    cached.prepare('SELECT 1');
    cached.prepare('SELECT 2');
    cached.prepare('SELECT 1');
    cached.prepare('SELECT 3');
    expect(prepare).toHaveBeenCalledTimes(3);
    cached.prepare('SELECT 1');
    expect(prepare).toHaveBeenCalledTimes(3);
    cached.prepare('SELECT 2');
    expect(prepare).toHaveBeenCalledTimes(4);
    cached.close();
  });

  it('hands out a fresh statement while the cached one is still iterating', () => {
    const cached = withStatementCache(open());
    const text = 'SELECT v FROM t ORDER BY id';
    const iterating = cached.prepare(text).iterate([]);
    expect(iterating.next().value).toEqual({ v: 'a' });
    expect(cached.prepare(text).all([])).toHaveLength(3);
    expect([...iterating]).toEqual([{ v: 'b' }, { v: 'c' }]);
    cached.close();
  });

  it('serves Kysely queries, streams and transactions', async () => {
    const db = new Kysely<{ t: { id: Generated<number>; v: string } }>({
      dialect: new SqliteDialect({ database: withStatementCache(open()) }),
    });
    for (let i = 0; i < 3; i++) {
      expect(await db.selectFrom('t').select('v').where('id', '=', 1).execute()).toEqual([
        { v: 'a' },
      ]);
    }
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('t').values({ v: 'd' }).execute();
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const streamed: string[] = [];
    for await (const row of db.selectFrom('t').select('v').orderBy('id').stream()) {
      streamed.push(row.v);
    }
    expect(streamed).toEqual(['a', 'b', 'c']);
    expect((await sql<{ n: number }>`SELECT count(*) AS n FROM t`.execute(db)).rows).toEqual([
      { n: 3 },
    ]);
    await db.destroy();
  });
});
