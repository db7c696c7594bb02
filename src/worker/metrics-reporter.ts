import type { Logger } from '../observability/logger.js';
import type { MetricsSink, Observation } from '../observability/metrics-sink.js';
import { OBSERVATIONS_PATH, type ObservationBatch } from './metrics-server.js';

export interface MetricsReporterOptions {
  /** The worker main process's metrics port (config.worker.metricsPort). */
  port: number;
  /** How long observations wait to be sent together. */
  flushDelayMs?: number;
  logger?: Logger;
  pid?: number;
}

export interface MetricsReporter extends MetricsSink {
  /** Sends what is queued now; call it (and await it) before a job process ends. */
  flush(): Promise<void>;
}

const REQUEST_TIMEOUT_MS = 2000;

/**
 * The job-process side of worker metrics: queues observations and posts them in batches to the
 * main process's metrics server over loopback. Metrics are best effort: a failed post is logged
 * once at warn and dropped, never retried and never thrown into call code.
 */
export function createMetricsReporter(options: MetricsReporterOptions): MetricsReporter {
  const url = `http://127.0.0.1:${options.port}${OBSERVATIONS_PATH}`;
  const flushDelayMs = options.flushDelayMs ?? 250;
  const pid = options.pid ?? process.pid;
  let queue: Observation[] = [];
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let warned = false;

  const post = async (observations: Observation[]) => {
    const batch: ObservationBatch = { pid, observations };
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(batch),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`metrics server answered ${response.status}`);
    } catch (error) {
      if (!warned) options.logger?.warn({ err: error }, 'worker metrics not delivered');
      warned = true;
    }
  };

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (queue.length > 0) {
      const batch = queue;
      queue = [];
      inFlight = inFlight.then(() => post(batch));
    }
    return inFlight;
  };

  return {
    record(observation) {
      queue.push(observation);
      // unref: a pending metrics flush must never keep a finished job process alive.
      timer ??= setTimeout(() => void flush(), flushDelayMs).unref();
    },
    flush,
  };
}
