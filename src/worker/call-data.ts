import type { CallTracker } from '../calls/call-tracker.js';
import type { TelephonyPort } from '../calls/telephony-port.js';
import type { WriteQueue } from '../calls/write-queue.js';
import type { Config } from '../config/index.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../observability/logger.js';
import type { MetricsSink } from '../observability/metrics-sink.js';

/** How long a tool ran, by tool call id; joined with the session's tool events for `tool_calls`. */
export interface ToolTiming {
  startedAt: string;
  durationMs: number;
}

/**
 * Per-call dependencies and state, passed to tools as the session's typed `userData`
 * (`llm.ToolOptions<CallData>`). One per call; nothing here is shared between calls.
 */
export interface CallData {
  call: CallTracker;
  db: Db;
  config: Config;
  /** Call-scoped: every line carries the call id; PII only under `pii`. */
  logger: Logger;
  telephony: TelephonyPort;
  /** Where measurements go (the worker's main process, or this process's registry). */
  metrics: MetricsSink;
  queue: WriteQueue;
  clock: () => Date;
  /** Transfer targets by name ("sales" -> "tel:+1..."), from the SIP configuration. */
  transferTargets: Readonly<Record<string, string>>;
  toolTimings: Map<string, ToolTiming>;
  /** The caller's keypad, on phone calls: the agent can ask for the VIN's last six digits. */
  keypad: { beginSerialEntry(): void } | null;
  /** Work started after a reply finished playing (hang-up, transfer); awaited before the call ends. */
  background: Set<Promise<unknown>>;
}

/** Runs `work` in the background, tracked so the call's end can wait for it. */
export function runInBackground(data: CallData, label: string, work: () => Promise<unknown>): void {
  const task = work()
    .catch((error: unknown) => {
      data.logger.error({ task: label, err: errorText(error) }, 'background call task failed');
    })
    .finally(() => data.background.delete(task));
  data.background.add(task);
}

/** Waits for every background task, including ones started while waiting. */
export async function settleBackground(data: CallData): Promise<void> {
  while (data.background.size > 0) await Promise.all([...data.background]);
}

/** An error's message for logs (never its data). */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
