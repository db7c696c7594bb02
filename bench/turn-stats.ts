/** Measurements of `bench/turn.ts`: summaries, bootstrap intervals, GC pauses, main-thread CPU. */
import { openSync, readSync } from 'node:fs';
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { percentile } from './lib/load.js';

/** What one variant measured, turn by turn (index i is script turn i % script length). */
export interface Side {
  turnMs: number[];
  /** Main-thread on-CPU time during each turn (see mainThreadTimes). */
  cpuMs: number[];
  /** Time the main thread waited for a core during each turn: other processes' load. */
  waitMs: number[];
  /** When each turn started (performance.now()), to find the GC pauses inside it afterwards. */
  startedAt: number[];
  /** GC pause time inside each turn, filled in after the run. */
  gcMs: number[];
  /** Time to drain the writes still queued after each call's last turn. */
  drainMs: number[];
  toolCalls: number;
  problems: string[];
}

export const newSide = (): Side => ({
  turnMs: [],
  cpuMs: [],
  waitMs: [],
  startedAt: [],
  gcMs: [],
  drainMs: [],
  toolCalls: 0,
  problems: [],
});

export interface Summary {
  p50: number;
  p99: number;
  mean: number;
  n: number;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / Math.max(1, samples.length);
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), mean, n: samples.length };
}

/** A small seeded generator: the same run prints the same intervals. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * 95% bootstrap interval of `percentile(a, fraction) - percentile(b, fraction)`, resampling each
 * side's turns. Turns are not independent (load bursts on a shared machine hit neighbours), so
 * read it as a lower bound of the uncertainty.
 */
export function bootstrapDifference(
  a: readonly number[],
  b: readonly number[],
  fraction: number,
  rounds = 1000,
): [number, number] {
  const random = mulberry32(8);
  const resample = (xs: readonly number[]) => {
    const out = new Array<number>(xs.length);
    for (let i = 0; i < xs.length; i++) out[i] = xs[Math.floor(random() * xs.length)]!;
    return out.sort((x, y) => x - y);
  };
  const diffs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    diffs.push(percentile(resample(a), fraction) - percentile(resample(b), fraction));
  }
  diffs.sort((x, y) => x - y);
  return [percentile(diffs, 0.025), percentile(diffs, 0.975)];
}

/** Garbage-collection pauses of this process, to tell GC from our code in the slowest turns. */
export function watchGc() {
  const pauses: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => pauses.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  return {
    /**
     * GC pause time overlapping [start, start + ms) (performance.now() clock). The observer hears
     * of a pause some time after it: ask once the run is over.
     */
    within(start: number, ms: number): number {
      let total = 0;
      for (const gc of pauses) {
        const from = Math.max(gc.startTime, start);
        const to = Math.min(gc.startTime + gc.duration, start + ms);
        if (to > from) total += to - from;
      }
      return total;
    },
    stop: () => observer.disconnect(),
  };
}

/** This process's main-thread schedstat, kept open: reading it is then one syscall. */
const schedstat = (() => {
  try {
    return openSync(`/proc/self/task/${process.pid}/schedstat`, 'r');
  } catch {
    return null;
  }
})();
const buffer = Buffer.alloc(128);

/**
 * Time this process's main thread has spent on a CPU and waiting for one (ms), from Linux's
 * schedstat (ns resolution). On-CPU time does not grow while other processes hold the cores, so
 * it measures our work on a shared machine; the wait is how much they held us up. Elsewhere: the
 * process's CPU time (all threads) and no wait.
 */
export function mainThreadTimes(): { cpuMs: number; waitMs: number | null } {
  if (schedstat === null) {
    const { user, system } = process.cpuUsage();
    return { cpuMs: (user + system) / 1000, waitMs: null };
  }
  const length = readSync(schedstat, buffer, 0, buffer.length, 0);
  const [run = 0, wait = 0] = buffer.toString('latin1', 0, length).split(' ').map(Number);
  return { cpuMs: run / 1e6, waitMs: wait / 1e6 };
}
