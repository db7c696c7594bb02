/** The tables bench/api.ts prints. */
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config/paths.js';
import { summarizeCpuProfile } from './lib/cpu-profile.js';
import { type LoadResult, non2xx } from './lib/load.js';
import { formatNumber, markdownTable } from './lib/table.js';

export const GOAL_RATIO = 0.5;
export const GOAL_P99_MS = 5;

/** One load run and the CPU it took. */
export interface Measured {
  label: string;
  kind: 'ceiling' | 'target';
  /** Whether the goal applies (not to anchors, nor to the rate-limited run). */
  judged: boolean;
  result: LoadResult;
  /** Shares of one core: the server, the load generator, the whole machine. */
  cpu: { server: number | null; generator: number | null; machine: number | null };
}

function cpuCell(share: number | null): string {
  return share === null ? 'n/a' : `${Math.round(share * 100)}%`;
}

/** Server CPU time per response, in microseconds. */
function serverMicros(m: Measured): number {
  return m.cpu.server === null ? Number.NaN : (m.cpu.server * 1e6) / m.result.requestsPerSecond;
}

/** The results as a Markdown table, each target with its ratios to the ceiling runs around it. */
export function resultsTable(measured: Measured[]): string {
  const ceilings = measured.map((m, i) => ({ m, i })).filter(({ m }) => m.kind === 'ceiling');
  // The mean over the ceiling runs just before and just after run `index`.
  const adjacent = (index: number, value: (m: Measured) => number) => {
    const values = [
      [...ceilings].reverse().find(({ i }) => i < index),
      ceilings.find(({ i }) => i > index),
    ]
      .filter((c) => c !== undefined)
      .map((c) => value(c.m));
    return values.reduce((a, b) => a + b, 0) / values.length;
  };
  const header = [
    'run',
    'req/s',
    'p50 ms',
    'p99 ms',
    'ceiling req/s',
    'ratio',
    'goal met',
    'server µs/req',
    'CPU ratio',
    'server CPU',
    'loadgen CPU',
    'machine CPU',
    'non-2xx',
  ];
  const rowsOut = measured.map((m, index) => {
    const r = m.result;
    const isCeiling = m.kind === 'ceiling';
    const ceiling = isCeiling ? Number.NaN : adjacent(index, (c) => c.result.requestsPerSecond);
    const ratio = r.requestsPerSecond / ceiling;
    const cpuRatio = isCeiling ? Number.NaN : adjacent(index, serverMicros) / serverMicros(m);
    const bad = non2xx(r) + r.errors + r.timeouts;
    const goal =
      isCeiling || !m.judged
        ? '-'
        : ratio >= GOAL_RATIO && r.p99Ms <= GOAL_P99_MS && bad === 0
          ? 'yes'
          : 'no';
    const percent = (value: number) =>
      Number.isFinite(value) ? `${Math.round(value * 100)}%` : '-';
    return [
      m.label,
      formatNumber(r.requestsPerSecond),
      formatNumber(r.p50Ms, 2),
      formatNumber(r.p99Ms, 2),
      isCeiling ? '-' : formatNumber(ceiling),
      percent(ratio),
      goal,
      formatNumber(serverMicros(m), 1),
      percent(cpuRatio),
      cpuCell(m.cpu.server),
      cpuCell(m.cpu.generator),
      cpuCell(m.cpu.machine),
      String(bad),
    ];
  });
  return markdownTable(header, rowsOut);
}

/** Where a profiled run's time went: by code origin, then by function (self and inclusive). */
export function profileTables(label: string, file: string): string {
  const summary = summarizeCpuProfile(file, PROJECT_ROOT);
  const share = (ms: number) => `${((ms / summary.totalMs) * 100).toFixed(1)}%`;
  return [
    `\n### Profile: ${label} (${path.relative(PROJECT_ROOT, file)})\n`,
    markdownTable(
      ['code', 'self', 'total'],
      summary.groups.slice(0, 14).map((g) => [g.name, share(g.selfMs), share(g.totalMs)]),
    ),
    '',
    markdownTable(
      ['function', 'self', 'total'],
      summary.functions.slice(0, 25).map((f) => [f.name, share(f.selfMs), share(f.totalMs)]),
    ),
  ].join('\n');
}
