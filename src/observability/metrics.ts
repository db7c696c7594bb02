import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Latency buckets for voice turns, in seconds (Prometheus convention). */
const TURN_BUCKETS = [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 8];

/** HTTP request duration buckets, in seconds. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The product's Prometheus metrics on their own registry, created once per process and injected
 * (API and worker each expose theirs at /metrics).
 */
export function createMetrics(options: { defaultMetrics?: boolean; prefix?: string } = {}) {
  const registry = new Registry();
  const prefix = options.prefix ?? 'callcenter_';
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix });
  const registers = [registry];

  return {
    registry,
    activeCalls: new Gauge({
      name: `${prefix}active_calls`,
      help: 'Calls in progress in this process',
      registers,
    }),
    callsEnded: new Counter({
      name: `${prefix}calls_ended_total`,
      help: 'Calls ended, by outcome',
      labelNames: ['outcome'] as const,
      registers,
    }),
    turnLatency: new Histogram({
      name: `${prefix}turn_latency_seconds`,
      help: 'Per-turn latency by stage: end_of_utterance, llm_first_token, tts_first_byte, total',
      labelNames: ['stage'] as const,
      buckets: TURN_BUCKETS,
      registers,
    }),
    toolErrors: new Counter({
      name: `${prefix}tool_errors_total`,
      help: 'Agent tool calls that failed, by tool',
      labelNames: ['tool'] as const,
      registers,
    }),
    recordingUploadsPending: new Gauge({
      name: `${prefix}recording_uploads_pending`,
      help: 'Recordings spooled on local disk waiting for upload',
      registers,
    }),
    recordingUploadsFailed: new Counter({
      name: `${prefix}recording_upload_failures_total`,
      help: 'Failed recording upload attempts (each is retried)',
      registers,
    }),
    databaseErrors: new Counter({
      name: `${prefix}database_errors_total`,
      help: 'Database operations that failed, by operation',
      labelNames: ['operation'] as const,
      registers,
    }),
    dependencyUp: new Gauge({
      name: `${prefix}dependency_up`,
      help: 'Whether a dependency answered its last readiness check (1) or not (0)',
      labelNames: ['dependency'] as const,
      registers,
    }),
    httpRequestDuration: new Histogram({
      name: `${prefix}http_request_duration_seconds`,
      help: 'API requests by method, route pattern and status code',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: HTTP_BUCKETS,
      registers,
    }),
    storageErrors: new Counter({
      name: `${prefix}storage_errors_total`,
      help: 'Recording storage operations that failed, by operation',
      labelNames: ['operation'] as const,
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
