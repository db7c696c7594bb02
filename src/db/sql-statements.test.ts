import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, postgresUrl } from '../../test/helpers/databases.js';
import type { Database } from './schema.js';
import { SQL_DIR } from './migrator.js';
import { splitSqlStatements } from './sql-statements.js';

describe('splitSqlStatements', () => {
  it('splits on line-ending semicolons and drops comment lines', () => {
    expect(
      splitSqlStatements('-- c\nCREATE TABLE a (x int);\n\nCREATE INDEX i ON a (x);\n'),
    ).toEqual(['CREATE TABLE a (x int)', 'CREATE INDEX i ON a (x)']);
  });

  it('keeps trigger bodies and dollar-quoted bodies whole', () => {
    const text = [
      'CREATE TRIGGER t AFTER INSERT ON a BEGIN',
      '  INSERT INTO b VALUES (new.x);',
      '  DELETE FROM c;',
      'END;',
      'CREATE FUNCTION f() RETURNS trigger AS $$',
      'BEGIN',
      '  RETURN NEW;',
      'END;',
      '$$ LANGUAGE plpgsql;',
      'SELECT 1;',
    ].join('\n');
    const statements = splitSqlStatements(text);
    expect(statements).toHaveLength(3);
    expect(statements[0]).toMatch(/^CREATE TRIGGER[\s\S]*END$/);
    expect(statements[1]).toMatch(/^CREATE FUNCTION[\s\S]*plpgsql$/);
    expect(statements[2]).toBe('SELECT 1');
  });
});

describe('migrations folder', () => {
  it('has both dialect files for every migration', () => {
    for (const dir of readdirSync(SQL_DIR, { withFileTypes: true }).filter((d) =>
      d.isDirectory(),
    )) {
      for (const dialect of ['sqlite', 'postgres']) {
        const file = path.join(SQL_DIR, dir.name, `${dialect}.sql`);
        expect(readFileSync(file, 'utf8').length, file).toBeGreaterThan(0);
      }
    }
  });
});

async function schemaShape(db: Kysely<Database>): Promise<string[]> {
  const tables = await db.introspection.getTables();
  return tables
    .filter((t) => !t.name.startsWith('kysely_') && !t.name.includes('_fts'))
    .map(
      (t) =>
        `${t.name}(${t.columns
          .map((c) => `${c.name}${c.isNullable ? '?' : ''}`)
          .sort()
          .join(',')})`,
    )
    .sort();
}

describe('migrated schema', () => {
  it('has the same tables, columns and nullability on SQLite and PostgreSQL', async (ctx) => {
    if (!postgresUrl()) ctx.skip();
    const sqlite = await createTestDatabase('sqlite');
    const postgres = await createTestDatabase('postgres');
    try {
      const shape = await schemaShape(sqlite.db);
      expect(shape.length).toBeGreaterThan(5);
      expect(await schemaShape(postgres.db)).toEqual(shape);
    } finally {
      await sqlite.destroy();
      await postgres.destroy();
    }
  });

  it('turns SQLite foreign keys on', async () => {
    const sqlite = await createTestDatabase('sqlite');
    const fk = await sql<{ foreign_keys: number }>`PRAGMA foreign_keys`.execute(sqlite.db);
    expect(fk.rows[0]?.foreign_keys).toBe(1);
    await sqlite.destroy();
  });
});
