/**
 * The load generator's process (started by load.ts): runs autocannon on request, so that the
 * generator has its own event loop, apart from the servers and from the bench script.
 */
import autocannon from 'autocannon';
import { failStart, serveParent } from './child-process.js';
import { type LoadResult, type LoadSpec, percentile } from './load.js';

/** Response times (ms) in a growing typed array: no per-sample objects during the run. */
class Samples {
  private values = new Float64Array(1 << 20);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length++] = value;
  }

  sorted(): Float64Array {
    return this.values.slice(0, this.length).sort();
  }
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const variants = spec.variants;
  let next = 0;
  // One variant: autocannon builds the request once. Several: each request takes the next one
  // (setupRequest rebuilds the request, a few microseconds of the generator's time).
  const request: autocannon.Request =
    variants.length === 1
      ? { method: spec.method, path: variants[0]?.path, body: variants[0]?.body }
      : {
          method: spec.method,
          setupRequest(req) {
            const variant = variants[next++ % variants.length];
            return { ...req, path: variant?.path, body: variant?.body };
          },
        };
  const samples = new Samples();
  const statuses: Record<string, number> = {};
  let instance: autocannon.Instance | undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        duration: spec.durationS,
        headers: spec.headers,
        requests: [request],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
  // autocannon's own histogram keeps whole milliseconds; keep the exact times for percentiles.
  instance?.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
    samples.push(responseTimeMs);
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  const result = await finished;
  const sorted = samples.sorted();
  return {
    requestsPerSecond: result.requests.average,
    responses: sorted.length,
    durationS: result.duration,
    p50Ms: percentile(sorted, 0.5),
    p90Ms: percentile(sorted, 0.9),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.length > 0 ? (sorted[sorted.length - 1] ?? 0) : 0,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

try {
  serveParent(
    async (message) => {
      if (message.type !== 'run') throw new Error(`unknown message ${message.type}`);
      return { type: 'result', result: await run(message.spec as LoadSpec) };
    },
    async () => undefined,
  );
  process.send?.({ type: 'ready' });
} catch (error) {
  failStart(error);
}
