/** The figures `bench/turn.ts` prints, as Markdown tables (pasted as they are into the docs). */
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config/index.js';
import { summarizeCpuProfile } from './lib/cpu-profile.js';
import { formatNumber, markdownTable } from './lib/table.js';
import { CALL_SCRIPT, usesTools } from './turn-script.js';
import { bootstrapDifference, type Side, summarize } from './turn-stats.js';

export const GOAL_P50_MS = 2;
export const GOAL_P99_MS = 10;

export type Kind = 'ours' | 'bare';

const ms = (value: number) => formatNumber(value, 2);

/** The samples of the script turns that do (or do not) call tools. */
function ofTurns(samples: readonly number[], tools: boolean): number[] {
  return samples.filter((_, i) => usesTools(CALL_SCRIPT[i % CALL_SCRIPT.length]!) === tools);
}

function addedRow(label: string, ours: readonly number[], bare: readonly number[]): string[] {
  const [o, b] = [summarize(ours), summarize(bare)];
  const ci = (fraction: number) =>
    bootstrapDifference(ours, bare, fraction)
      .map((x) => x.toFixed(2))
      .join(' to ');
  return [
    label,
    ms(o.p50 - b.p50),
    ci(0.5),
    ms(o.p99 - b.p99),
    ci(0.99),
    ms(o.mean - b.mean),
    `${formatNumber(o.p50 / b.p50, 2)}x`,
    `${formatNumber(o.p99 / b.p99, 2)}x`,
  ];
}

/** Per-turn time of both variants, overall and by kind of turn. */
function turnTable({ ours, bare }: Record<Kind, Side>): string {
  const row = (label: string, samples: readonly number[]) => {
    const s = summarize(samples);
    return [label, ms(s.p50), ms(s.p99), ms(s.mean), String(s.n)];
  };
  return markdownTable(
    ['per turn', 'p50 ms', 'p99 ms', 'mean ms', 'turns'],
    [
      row('bare voice.Agent (anchor), wall', bare.turnMs),
      row('dealership agent (ours), wall', ours.turnMs),
      row('bare, plain turns, wall', ofTurns(bare.turnMs, false)),
      row('ours, plain turns, wall', ofTurns(ours.turnMs, false)),
      row('bare, tool turns, wall', ofTurns(bare.turnMs, true)),
      row('ours, tool turns, wall', ofTurns(ours.turnMs, true)),
      row('bare, main-thread CPU', bare.cpuMs),
      row('ours, main-thread CPU', ours.cpuMs),
    ],
  );
}

/** Mean main-thread CPU by script turn: where our time goes. */
function byTurnTable({ ours, bare }: Record<Kind, Side>): string {
  const mean = (samples: readonly number[], k: number) =>
    summarize(samples.filter((_, i) => i % CALL_SCRIPT.length === k)).mean;
  return markdownTable(
    ['turn', 'model does', 'bare CPU ms', 'ours CPU ms', 'added ms'],
    CALL_SCRIPT.map((turn, k) => {
      const [o, b] = [mean(ours.cpuMs, k), mean(bare.cpuMs, k)];
      const tools = turn.replies.flatMap((r) => r.tool_calls?.map((c) => c.name) ?? []);
      return [String(k + 1), tools.join(', ') || 'plain reply', ms(b), ms(o), ms(o - b)];
    }),
  );
}

/** How many of the slowest 1% of turns had a GC pause in them, and what share of their time. */
function gcInTail(side: Side): string {
  const order = side.turnMs.map((t, i) => [t, i] as const).sort((a, b) => b[0] - a[0]);
  const tail = order.slice(0, Math.max(1, Math.ceil(side.turnMs.length / 100)));
  const withGc = tail.filter(([, i]) => (side.gcMs[i] ?? 0) > 0);
  const gc = withGc.reduce((sum, [, i]) => sum + (side.gcMs[i] ?? 0), 0);
  const total = tail.reduce((sum, [t]) => sum + t, 0);
  return `${withGc.length} of ${tail.length} (GC ${((gc / total) * 100).toFixed(0)}% of their time)`;
}

/** Everything the bench prints after the run; `notes` are extra facts for the last line. */
export function report(sides: Record<Kind, Side>, notes: string[]): string {
  const { ours, bare } = sides;
  const [o, b] = [summarize(ours.turnMs), summarize(bare.turnMs)];
  const drain = summarize(ours.drainMs).mean;
  const wait = (side: Side) => summarize(side.waitMs).mean.toFixed(2);
  const met = o.p50 - b.p50 <= GOAL_P50_MS && o.p99 - b.p99 <= GOAL_P99_MS;
  const valid = ours.turnMs.length >= 500 && bare.turnMs.length >= 500;
  return [
    '',
    turnTable(sides),
    '',
    markdownTable(
      [
        'added per turn',
        'p50 ms',
        'p50 95% CI',
        'p99 ms',
        'p99 95% CI',
        'mean ms',
        'p50 ratio',
        'p99 ratio',
      ],
      [
        addedRow('wall', ours.turnMs, bare.turnMs),
        addedRow('main-thread CPU', ours.cpuMs, bare.cpuMs),
      ],
    ),
    '',
    byTurnTable(sides),
    '',
    `Waiting for a core (other processes): mean ${wait(bare)} ms per turn bare, ${wait(ours)} ours.`,
    `Slowest 1% of turns with a GC pause: ours ${gcInTail(ours)}, bare ${gcInTail(bare)}.`,
    `Writes still queued after a call's last turn: ${drain.toFixed(2)} ms per call to drain.`,
    `Tool calls: ours ${ours.toolCalls}, bare ${bare.toolCalls}; ${notes.join('; ')}.`,
    `Goal (wall): <= ${GOAL_P50_MS} ms added at p50 and <= ${GOAL_P99_MS} ms at p99: ` +
      `${met ? 'yes' : 'no'}${valid ? '' : ' (fewer than 500 turns per variant: not a valid run)'}`,
    '',
  ].join('\n');
}

/**
 * Where the profiled turns' CPU time went, by code origin and by function. Shares are of the busy
 * time: the profile also spans each call's set-up and close, where the framework mostly waits.
 */
export function profileReport(file: string): string {
  const summary = summarizeCpuProfile(file, PROJECT_ROOT);
  const idle = summary.groups.find((g) => g.name === '(idle)')?.selfMs ?? 0;
  const busy = summary.totalMs - idle;
  const share = (value: number) => `${((value / busy) * 100).toFixed(1)}%`;
  const rows = (entries: typeof summary.groups, n: number) =>
    entries
      .filter((e) => e.name !== '(idle)')
      .slice(0, n)
      .map((e) => [e.name, share(e.selfMs), share(e.totalMs)]);
  return [
    `\nProfile of the measured calls (${path.relative(PROJECT_ROOT, file)}), ${formatNumber(busy)} ms busy:\n`,
    markdownTable(['code', 'self', 'total'], rows(summary.groups, 16)),
    '',
    markdownTable(['function', 'self', 'total'], rows(summary.functions, 30)),
    '',
  ].join('\n');
}
