import { z } from 'zod';
import type { Metrics } from './metrics.js';

/** Stages of one voice turn whose latency is measured. */
export const TURN_STAGES = [
  'end_of_utterance',
  'llm_first_token',
  'tts_first_byte',
  'total',
] as const;

// Label values come from our own code (outcomes, tool names, operations); the pattern and length
// keep a bug from turning a label into an unbounded set of series.
const label = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w.:/ -]+$/);

/** One thing that happened in a call, as the worker's job processes report it. */
export const observationSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('callStarted'), callId: z.string().min(1).max(128) }),
  z.object({ type: z.literal('callEnded'), callId: z.string().min(1).max(128), outcome: label }),
  z.object({ type: z.literal('turnLatency'), stage: z.enum(TURN_STAGES), ms: z.number().min(0) }),
  z.object({ type: z.literal('toolError'), tool: label }),
  z.object({ type: z.literal('recordingUploadFailed') }),
  z.object({ type: z.literal('recordingUploadsPending'), count: z.number().int().min(0) }),
  z.object({ type: z.literal('databaseError'), operation: label }),
  z.object({ type: z.literal('storageError'), operation: label }),
]);

export type Observation = z.infer<typeof observationSchema>;

/**
 * Where call code reports what it measures. The worker runs every call in its own job process,
 * so there the sink forwards to the worker's main process (`src/worker/metrics-reporter.ts`),
 * which owns the registry `/metrics` serves; in one process it writes to `Metrics` directly.
 */
export interface MetricsSink {
  record(observation: Observation): void;
}

/** Applies observations that are not per-process state (counters and histograms). */
export function applyCounterObservation(metrics: Metrics, observation: Observation): boolean {
  switch (observation.type) {
    case 'callEnded':
      metrics.callsEnded.inc({ outcome: observation.outcome });
      return true;
    case 'turnLatency':
      metrics.turnLatency.observe({ stage: observation.stage }, observation.ms / 1000);
      return true;
    case 'toolError':
      metrics.toolErrors.inc({ tool: observation.tool });
      return true;
    case 'recordingUploadFailed':
      metrics.recordingUploadsFailed.inc();
      return true;
    case 'databaseError':
      metrics.databaseErrors.inc({ operation: observation.operation });
      return true;
    case 'storageError':
      metrics.storageErrors.inc({ operation: observation.operation });
      return true;
    default:
      return false;
  }
}

/** A sink writing straight to this process's registry (the API, tests, single-process tools). */
export function directMetricsSink(metrics: Metrics): MetricsSink {
  const active = new Set<string>();
  return {
    record(observation) {
      switch (observation.type) {
        case 'callStarted':
          active.add(observation.callId);
          break;
        case 'callEnded':
          active.delete(observation.callId);
          break;
        case 'recordingUploadsPending':
          metrics.recordingUploadsPending.set(observation.count);
          break;
      }
      applyCounterObservation(metrics, observation);
      metrics.activeCalls.set(active.size);
    },
  };
}
