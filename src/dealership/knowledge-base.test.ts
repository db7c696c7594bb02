import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/app.js';
import { describeEachDialect } from '../../test/helpers/databases.js';
import { PROJECT_ROOT } from '../config/index.js';
import {
  indexKnowledgeDir,
  parseKnowledgeMarkdown,
  searchKnowledge,
  searchTerms,
} from './knowledge-base.js';

const SHIPPED = path.join(PROJECT_ROOT, 'config', 'knowledge');

describe('knowledge markdown', () => {
  it('splits by heading and keeps the parent headings', () => {
    const sections = parseKnowledgeMarkdown(
      'service.md',
      'intro text\n# Service\n## Hours\nOpen 7:30.\n\n## Loaners\nAvailable.\n### Shuttle\nFree.\n',
    );
    expect(sections).toEqual([
      { source: 'service.md', position: 0, heading: 'service', body: 'intro text' },
      { source: 'service.md', position: 1, heading: 'Service > Hours', body: 'Open 7:30.' },
      { source: 'service.md', position: 2, heading: 'Service > Loaners', body: 'Available.' },
      { source: 'service.md', position: 3, heading: 'Service > Loaners > Shuttle', body: 'Free.' },
    ]);
  });

  it('reduces a question to plain search words', () => {
    expect(searchTerms('What are your hours on "Saturday"? OR* NEAR(')).toEqual([
      'hours',
      'saturday',
      'near',
    ]);
  });
});

describeEachDialect('knowledge base search', (database) => {
  it('indexes the shipped FAQ and finds the right section', async () => {
    const { db } = database();
    const first = await indexKnowledgeDir(db, SHIPPED);
    expect(first.files).toBeGreaterThanOrEqual(8);
    expect(await indexKnowledgeDir(db, SHIPPED)).toMatchObject({ changed: 0 });

    const hours = await searchKnowledge(db, 'When is the showroom open on Saturday?');
    expect(hours[0]).toMatchObject({ source: 'hours.md' });
    expect(hours[0]?.body).toContain('Saturday from 9 AM to 5 PM');
    expect((await searchKnowledge(db, 'do you do financing for bad credit'))[0]?.source).toBe(
      'financing.md',
    );
    expect((await searchKnowledge(db, 'what is your address'))[0]?.source).toBe('location.md');
    expect((await searchKnowledge(db, 'trade in a car I still owe money on'))[0]?.heading).toBe(
      'Trade-in > Trading in a car that is not paid off',
    );
    expect(await searchKnowledge(db, 'helicopter rides')).toEqual([]);
    expect(await searchKnowledge(db, '?? !!')).toEqual([]);
  });

  it('re-indexes changed files and drops removed ones', async () => {
    const { db } = database();
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'pets.md'), '# Pets\nDogs are welcome in the showroom.\n');
    await indexKnowledgeDir(db, dir);
    expect(await searchKnowledge(db, 'dogs')).toHaveLength(1);
    writeFileSync(path.join(dir, 'pets.md'), '# Pets\nCats are welcome too.\n');
    expect(await indexKnowledgeDir(db, dir)).toMatchObject({ changed: 1 });
    expect(await searchKnowledge(db, 'dogs')).toEqual([]);
    expect(await searchKnowledge(db, 'cats')).toHaveLength(1);
    writeFileSync(path.join(dir, 'pets.md'), '');
    await indexKnowledgeDir(db, dir);
    expect(await searchKnowledge(db, 'cats')).toEqual([]);
  });
});
