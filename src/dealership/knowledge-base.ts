import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql, SqliteAdapter } from 'kysely';
import { type Db, inTransaction } from '../db/index.js';

/** One heading section of a knowledge file. */
export interface KnowledgeSection {
  source: string;
  position: number;
  heading: string;
  body: string;
}

export interface KnowledgeHit {
  source: string;
  heading: string;
  body: string;
}

/**
 * Splits markdown into sections at `#`, `##` and `###` headings. A section's heading carries its
 * parents ("Service > Hours") so a hit reads well on its own. Text before the first heading is
 * filed under the file's top heading or its name.
 */
export function parseKnowledgeMarkdown(source: string, text: string): KnowledgeSection[] {
  const sections: KnowledgeSection[] = [];
  const trail: string[] = [];
  let heading = path.basename(source, path.extname(source)).replace(/[-_]/g, ' ');
  let body: string[] = [];
  const push = () => {
    const content = body.join('\n').trim();
    if (content) sections.push({ source, position: sections.length, heading, body: content });
    body = [];
  };
  for (const line of text.split(/\r?\n/)) {
    const match = /^(#{1,3})\s+(.+?)\s*#*\s*$/.exec(line);
    if (!match) {
      body.push(line);
      continue;
    }
    push();
    const level = match[1]!.length;
    trail.length = level - 1;
    trail[level - 1] = match[2]!;
    heading = trail.filter(Boolean).join(' > ');
  }
  push();
  return sections;
}

const hashOf = (sections: KnowledgeSection[]) =>
  createHash('sha256').update(JSON.stringify(sections)).digest('hex');

/**
 * Indexes every `*.md` in `dir`: a file whose content changed replaces its sections; sections of
 * files that are gone are removed. Safe to run at every start (unchanged files are skipped).
 */
export async function indexKnowledgeDir(
  db: Db,
  dir: string,
  now = new Date().toISOString(),
): Promise<{ files: number; sections: number; changed: number }> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.md')).sort();
  let sectionCount = 0;
  let changed = 0;
  for (const name of names) {
    const sections = parseKnowledgeMarkdown(name, await readFile(path.join(dir, name), 'utf8'));
    sectionCount += sections.length;
    const hash = hashOf(sections);
    const stored = await db
      .selectFrom('knowledge_sections')
      .select('content_hash')
      .where('source', '=', name)
      .executeTakeFirst();
    if (stored?.content_hash === hash) continue;
    changed++;
    await inTransaction(db, async (trx) => {
      await trx.deleteFrom('knowledge_sections').where('source', '=', name).execute();
      if (sections.length === 0) return;
      await trx
        .insertInto('knowledge_sections')
        .values(sections.map((s) => ({ ...s, content_hash: hash, updated_at: now })))
        .execute();
    });
  }
  let gone = db.deleteFrom('knowledge_sections');
  if (names.length > 0) gone = gone.where('source', 'not in', names);
  await gone.execute();
  return { files: names.length, sections: sectionCount, changed };
}

const STOP_WORDS = new Set(
  (
    'a an and are as at be but by can could do does for from have how i if in is it me my of on ' +
    'or our please should so that the their there this to us was we what when where which who ' +
    'will with would you your about any tell know want need get'
  ).split(' '),
);

/** The searchable words of a question: letters and digits only, so no query syntax leaks in. */
export function searchTerms(question: string): string[] {
  const words = question.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words.filter((w) => w.length > 1 && !STOP_WORDS.has(w)))].slice(0, 12);
}

/** Full-text search over the knowledge sections (FTS5 on SQLite, tsvector on PostgreSQL). */
export async function searchKnowledge(
  db: Db,
  question: string,
  limit = 3,
): Promise<KnowledgeHit[]> {
  const terms = searchTerms(question);
  if (terms.length === 0) return [];
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    const match = terms.map((t) => `"${t}"`).join(' OR ');
    const result = await sql<KnowledgeHit>`
      select s.source, s.heading, s.body
      from knowledge_sections_fts f
      join knowledge_sections s on s.id = f.rowid
      where knowledge_sections_fts match ${match}
      order by bm25(knowledge_sections_fts, 4.0, 1.0)
      limit ${limit}`.execute(db);
    return result.rows;
  }
  const query = terms.join(' | ');
  const result = await sql<KnowledgeHit>`
    select source, heading, body
    from knowledge_sections
    where (setweight(to_tsvector('english', heading), 'A') || setweight(to_tsvector('english', body), 'B'))
      @@ to_tsquery('english', ${query})
    order by ts_rank_cd(
      setweight(to_tsvector('english', heading), 'A') || setweight(to_tsvector('english', body), 'B'),
      to_tsquery('english', ${query})
    ) desc, id
    limit ${limit}`.execute(db);
  return result.rows;
}
