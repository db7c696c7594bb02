import { fileURLToPath } from 'node:url';
import { type BenchChild, startChild } from './child-process.js';

/** One request shape of a load run; each request takes the next variant, round robin. */
export interface RequestVariant {
  path: string;
  body?: string;
}

/** What to load: one URL's origin, one method, varying paths and bodies. */
export interface LoadSpec {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  variants: RequestVariant[];
  connections: number;
  durationS: number;
}

/** What a load run measured; latencies over every response, in milliseconds. */
export interface LoadResult {
  requestsPerSecond: number;
  responses: number;
  durationS: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Responses by status code. */
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
}

/** The value below which `fraction` of the sorted samples lie (nearest rank). */
export function percentile(sorted: ArrayLike<number>, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(0, rank)] ?? Number.NaN;
}

/** Responses outside 2xx (errors and timeouts are counted apart). */
export function non2xx(result: LoadResult): number {
  return Object.entries(result.statuses)
    .filter(([status]) => !status.startsWith('2'))
    .reduce((sum, [, count]) => sum + count, 0);
}

/** autocannon in its own process; one run at a time. */
export class LoadGenerator {
  private constructor(private readonly child: BenchChild) {}

  /** Starts the generator process, optionally pinned to `cpus` (a taskset CPU list). */
  static async start(options: { cpus?: string } = {}): Promise<LoadGenerator> {
    const script = fileURLToPath(new URL('./load-child.ts', import.meta.url));
    return new LoadGenerator(await startChild(script, { cpus: options.cpus }));
  }

  get pid(): number {
    return this.child.pid;
  }

  async run(spec: LoadSpec): Promise<LoadResult> {
    const answer = await this.child.request({ type: 'run', spec }, 'result');
    return answer.result as LoadResult;
  }

  stop(): Promise<void> {
    return this.child.stop();
  }
}
