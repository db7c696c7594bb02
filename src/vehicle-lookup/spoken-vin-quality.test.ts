import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractVin, type ExtractStatus } from './spoken-vin.js';

interface LabelledCase {
  utterance: string;
  expect: { vin: string | null; status: ExtractStatus; candidatesInclude?: string[] };
  kind: string;
  split: 'dev' | 'heldout';
  source: string;
}

// The set was generated for this date; the model-year rule ("not in the future") depends on it.
const CURRENT_YEAR = 2026;

function load(name: string): LabelledCase[] {
  const url = new URL(`../../test/fixtures/spoken-vins/${name}.jsonl`, import.meta.url);
  return readFileSync(url, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => ({ ...(JSON.parse(line) as Omit<LabelledCase, 'source'>), source: name }));
}

const CASES = [...load('hand-written'), ...load('generated')];

interface Tally {
  n: number;
  recoverable: number;
  recovered: number;
  wrong: number;
  status: number;
  candidateChecks: number;
  candidateHits: number;
}

const empty = (): Tally => ({
  n: 0,
  recoverable: 0,
  recovered: 0,
  wrong: 0,
  status: 0,
  candidateChecks: 0,
  candidateHits: 0,
});

function score(cases: readonly LabelledCase[]): {
  total: Tally;
  byKind: Map<string, Tally>;
  wrong: string[];
} {
  const total = empty();
  const byKind = new Map<string, Tally>();
  const wrong: string[] = [];
  for (const c of cases) {
    const got = extractVin(c.utterance, { currentYear: CURRENT_YEAR });
    const kind = byKind.get(c.kind) ?? empty();
    byKind.set(c.kind, kind);
    for (const t of [total, kind]) {
      t.n++;
      if (c.expect.vin !== null) {
        t.recoverable++;
        if (got.vin === c.expect.vin) t.recovered++;
      }
      if (got.vin !== null && got.vin !== c.expect.vin) t.wrong++;
      if (got.status === c.expect.status) t.status++;
      if (c.expect.candidatesInclude !== undefined && got.status === 'ambiguous') {
        t.candidateChecks++;
        if (c.expect.candidatesInclude.every((v) => got.candidates.includes(v))) t.candidateHits++;
      }
    }
    if (got.vin !== null && got.vin !== c.expect.vin) {
      wrong.push(`${JSON.stringify(c.utterance)} -> ${got.vin} (expected ${String(c.expect.vin)})`);
    }
  }
  return { total, byKind, wrong };
}

const pct = (a: number, b: number): string =>
  b === 0 ? '   -  ' : `${((100 * a) / b).toFixed(1)}%`.padStart(6);

function report(title: string, result: ReturnType<typeof score>): void {
  const rows = [...result.byKind.entries()].sort(([a], [b]) => a.localeCompare(b));
  const line = (name: string, t: Tally): string =>
    `${name.padEnd(18)} ${String(t.n).padStart(4)}  recall ${pct(t.recovered, t.recoverable)} ` +
    `(${t.recovered}/${t.recoverable})  wrong ${t.wrong}  status ${pct(t.status, t.n)}`;
  console.log(
    [
      `== ${title} ==`,
      line('ALL', result.total),
      ...rows.map(([k, t]) => line(k, t)),
      ...result.wrong.map((w) => `WRONG ${w}`),
    ].join('\n'),
  );
}

describe('spoken-VIN quality on the labelled set', () => {
  it('has a set of the required size and shape', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(600);
    expect(CASES.filter((c) => c.source === 'hand-written').length).toBeGreaterThanOrEqual(120);
    const kinds = new Set(CASES.map((c) => c.kind));
    for (const k of [
      'confusion-1',
      'confusion-2',
      'truncated',
      'none',
      'nato',
      'homophones',
      'as-in',
    ]) {
      expect(kinds).toContain(k);
    }
    const heldout = CASES.filter((c) => c.split === 'heldout').length / CASES.length;
    expect(heldout).toBeGreaterThan(0.2);
    expect(heldout).toBeLessThan(0.4);
  });

  for (const split of ['dev', 'heldout'] as const) {
    it(`recovers >= 97% of recoverable VINs and yields no wrong VIN (${split})`, () => {
      const result = score(CASES.filter((c) => c.split === split));
      report(split, result);
      const { total } = result;
      expect(total.recoverable).toBeGreaterThan(100);
      expect(total.recovered / total.recoverable).toBeGreaterThanOrEqual(0.97);
      expect(result.wrong).toEqual([]);
      // When the answer is a question, the true VIN should be among the options offered.
      expect(total.candidateHits / Math.max(1, total.candidateChecks)).toBeGreaterThanOrEqual(0.9);
    });
  }

  it('never turns two mishearings into a confident VIN', () => {
    const two = CASES.filter((c) => c.kind === 'confusion-2');
    expect(two.length).toBeGreaterThanOrEqual(40);
    for (const c of two)
      expect(extractVin(c.utterance, { currentYear: CURRENT_YEAR }).vin).toBeNull();
  });
});
