/** One step of the capacity ramp: measuring N running calls, and printing the figures. */
import { setTimeout as sleep } from 'node:timers/promises';
import { WORKER_LOAD_THRESHOLD } from '../src/worker/server-options.js';
import type { CallStats } from './capacity-call.js';
import type { CallProcess, InferenceProcess } from './capacity-procs.js';
import { CORES, machineBusySeconds, processCpuSeconds } from './lib/cpu-usage.js';
import { descendants, fmt, type Memory, memoryOf, percentile, sumMemory } from './capacity-sys.js';

/** LiveKit's guidance: 25 sessions on 4 cores, roughly 93 MB each. */
const ANCHOR_CALLS_PER_CORE = 6.25;
const ANCHOR_MB_PER_CALL = 93;
const GOAL_CALLS_PER_CORE = 12;
const GOAL_MB_PER_CALL = 100;

export interface StepResult {
  calls: number;
  seconds: number;
  /** Busy share of all the machine's cores, % (other tenants included). */
  machineCpuPct: number;
  /** The part of that used by processes outside the benchmark (other work on the machine), %. */
  othersCpuPct: number;
  /** CPU of one call's job process and its ffmpeg, % of a core. */
  callCpuPct: number;
  /** CPU of the shared processes (this worker main and the inference process), % of a core. */
  sharedCpuPct: number;
  lagP50: number;
  lagP95: number;
  lagMax: number;
  eouP50: number;
  eotRoundTripP95: number;
  eventLoopP99: number;
  userTurns: number;
  agentReplies: number;
  /** Per call: its job process (share of it when several calls share one) plus ffmpeg. */
  callMemory: Memory;
  /** The worker main process (here: this benchmark) and the inference process. */
  sharedMemory: Memory;
  /** Slowest prewarm (fork to initialized: what initializeProcessTimeout bounds) of the calls
   * started for this step, s. */
  prewarmMaxS: number;
  behind: boolean;
}

function processTree(pid: number): number[] {
  return [pid, ...descendants(pid)];
}

export async function measureStep(options: {
  calls: CallProcess[];
  /** The calls started for this step. */
  started: CallProcess[];
  sessionsPerProcess: number;
  inference: InferenceProcess | null;
  ms: number;
  maxLagMs: number;
}): Promise<StepResult> {
  const { calls, inference } = options;
  const n = calls.length * options.sessionsPerProcess;
  const callTrees = () => calls.map((c) => processTree(c.pid));
  const sharedPids = () => [process.pid, ...(inference ? processTree(inference.proc.pid!) : [])];
  const cpuMs = (pid: number) => (processCpuSeconds(pid) ?? 0) * 1000;
  const cpuOf = (pids: number[]) => new Map(pids.map((p) => [p, cpuMs(p)]));

  await Promise.all(calls.map((c) => c.collect())); // resets the calls' counters
  inference?.takeRoundTrips();
  const before = { calls: cpuOf(callTrees().flat()), shared: cpuOf(sharedPids()) };
  const machineBefore = machineBusySeconds() ?? 0;
  const started = performance.now();
  await sleep(options.ms);
  const stats: CallStats[] = await Promise.all(calls.map((c) => c.collect()));
  const seconds = (performance.now() - started) / 1000;
  const machineAfter = machineBusySeconds() ?? 0;
  const spent = (pids: number[], from: Map<number, number>) =>
    pids.reduce((sum, p) => sum + cpuMs(p) - (from.get(p) ?? cpuMs(p)), 0);
  const trees = callTrees();
  const callCpuMs = spent(trees.flat(), before.calls);
  const sharedCpuMs = spent(sharedPids(), before.shared);

  const lags = stats.flatMap((s) => s.lagsMs);
  // A call whose VAD produced nothing in the window is as far behind as the window is long.
  const silent = stats.filter((s) => s.lagsMs.length === 0).length;
  const lagP95 = silent > 0 ? options.ms : percentile(lags, 95);
  const callMemory = sumMemory(trees.flat().map(memoryOf));
  return {
    calls: n,
    seconds,
    machineCpuPct: (100 * (machineAfter - machineBefore)) / seconds / CORES,
    othersCpuPct: Math.max(
      0,
      (100 * (machineAfter - machineBefore - (callCpuMs + sharedCpuMs) / 1000)) / seconds / CORES,
    ),
    callCpuPct: (100 * callCpuMs) / (seconds * 1000) / n,
    sharedCpuPct: (100 * sharedCpuMs) / (seconds * 1000),
    lagP50: percentile(lags, 50),
    lagP95,
    lagMax: lags.length > 0 ? Math.max(...lags) : Number.NaN,
    eouP50: percentile(
      stats.flatMap((s) => s.eouDelaysMs),
      50,
    ),
    eotRoundTripP95: percentile(inference?.takeRoundTrips() ?? [], 95),
    eventLoopP99: Math.max(...stats.map((s) => s.eventLoopDelayP99Ms)),
    userTurns: stats.reduce((a, s) => a + s.userTurns, 0),
    agentReplies: stats.reduce((a, s) => a + s.agentReplies, 0),
    callMemory: { rssMb: callMemory.rssMb / n, pssMb: callMemory.pssMb / n },
    sharedMemory: sumMemory(sharedPids().map(memoryOf)),
    prewarmMaxS:
      options.started.length > 0
        ? Math.max(...options.started.map((c) => c.prewarmMs)) / 1000
        : Number.NaN,
    behind: lagP95 > options.maxLagMs,
  };
}

export function printHeader(): void {
  process.stdout.write(
    '\n calls  mach.CPU% others%  CPU/call%  shared%   lag p50    p95    max  EOU p50  EOT p95  loop p99' +
      '  RSS/call  PSS/call  shared MB  turns  prewarm s\n',
  );
}

export function printRow(r: StepResult, note = ''): void {
  process.stdout.write(
    `${fmt(r.calls, 0)}  ${fmt(r.machineCpuPct, 0, 9)} ${fmt(r.othersCpuPct, 0, 7)}  ${fmt(r.callCpuPct, 1, 9)}  ${fmt(r.sharedCpuPct, 1, 7)}` +
      `  ${fmt(r.lagP50, 0, 8)} ${fmt(r.lagP95, 0, 6)} ${fmt(r.lagMax, 0, 6)}  ${fmt(r.eouP50, 0, 7)}` +
      `  ${fmt(r.eotRoundTripP95, 0, 7)}  ${fmt(r.eventLoopP99, 0, 8)}  ${fmt(r.callMemory.rssMb, 0, 8)}` +
      `  ${fmt(r.callMemory.pssMb, 0, 8)}  ${fmt(r.sharedMemory.rssMb, 0, 9)}  ${fmt(r.userTurns, 0, 5)}` +
      `  ${fmt(r.prewarmMaxS, 1, 9)}` +
      `${r.behind ? '  BEHIND real time' : ''}${note ? ` (${note})` : ''}\n`,
  );
}

const ratio = (value: number, anchor: number) => `${(value / anchor).toFixed(2)}x`;

export function printSummary(
  results: StepResult[],
  options: { cores: number; maxLagMs: number; reachedMax: boolean },
): void {
  const { cores } = options;
  const knee = [...results].reverse().find((r) => !r.behind);
  const out: string[] = [
    '',
    'mach.CPU%: all cores busy; others%: the part of it outside this benchmark (other work on the',
    "machine); CPU/call%: one call's job process and ffmpeg, % of one core; shared%: worker main +",
    'inference process, % of one core.',
    'lag: how long ago the audio the VAD just consumed was due (ms); EOU: end of speech to turn',
    'committed (ms); EOT: turn-detector round trip through the inference process (ms); loop p99:',
    "worst job process's event-loop delay (ms); RSS/PSS per call: its job process + ffmpeg (MB);",
    'shared: the worker main (here the benchmark, under tsx) + the inference process (MB);',
    'turns: caller turns committed in the step; prewarm: slowest start of a job process in the step',
    '(fork to prewarmed, s; the worker kills a process after initializeProcessTimeout, 10 s).',
    '',
  ];
  if (!knee) {
    out.push(
      `Even ${results[0]?.calls ?? 1} call(s) fell behind real time (lag p95 > ${options.maxLagMs} ms).`,
    );
    process.stdout.write(`${out.join('\n')}\n`);
    return;
  }
  const perCore = knee.calls / cores;
  const mbPerCall = knee.callMemory.rssMb + knee.sharedMemory.rssMb / knee.calls;
  const pssPerCall = knee.callMemory.pssMb + knee.sharedMemory.pssMb / knee.calls;
  const cpuPerCall = knee.callCpuPct + knee.sharedCpuPct / knee.calls;
  out.push(
    options.reachedMax
      ? `No knee up to ${knee.calls} calls (raise --max-calls); figures at ${knee.calls} calls:`
      : `Knee: ${knee.calls} calls, the last step within real time (lag p95 <= ${options.maxLagMs} ms).`,
    `                         measured    LiveKit anchor          goal`,
    `  calls per core        ${fmt(perCore, 2, 8)}    ${fmt(ANCHOR_CALLS_PER_CORE, 2, 6)} (${ratio(perCore, ANCHOR_CALLS_PER_CORE)})    >= ${GOAL_CALLS_PER_CORE} (${ratio(perCore, GOAL_CALLS_PER_CORE)})`,
    `  MB per call (RSS)     ${fmt(mbPerCall, 0, 8)}    ${fmt(ANCHOR_MB_PER_CALL, 0, 6)}    (${ratio(mbPerCall, ANCHOR_MB_PER_CALL)})    <= ${GOAL_MB_PER_CALL} (${ratio(mbPerCall, GOAL_MB_PER_CALL)})`,
    `  MB per call (PSS)     ${fmt(pssPerCall, 0, 8)}    ${fmt(ANCHOR_MB_PER_CALL, 0, 6)}    (${ratio(pssPerCall, ANCHOR_MB_PER_CALL)})    <= ${GOAL_MB_PER_CALL} (${ratio(pssPerCall, GOAL_MB_PER_CALL)})`,
    `  (RSS counts shared libraries once per process; PSS splits them. Both include the shared`,
    `   processes' share: ${knee.sharedMemory.rssMb.toFixed(0)} MB RSS / ${knee.calls} calls.)`,
    `  CPU per call: ${cpuPerCall.toFixed(1)}% of a core -> ${(100 / cpuPerCall).toFixed(1)} calls per core at 100% busy,` +
      ` ${((100 * WORKER_LOAD_THRESHOLD) / cpuPerCall).toFixed(1)} at the worker's ${WORKER_LOAD_THRESHOLD} load threshold`,
    `  Other work used ${knee.othersCpuPct.toFixed(0)}% of the machine during the knee step` +
      (knee.othersCpuPct > 10
        ? ': the knee is a floor; the CPU per call is the portable figure.'
        : '.'),
  );
  process.stdout.write(`${out.join('\n')}\n`);
}
