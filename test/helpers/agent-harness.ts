import { initializeLogger, voice } from '@livekit/agents';
import { RecordingTelephony } from '../../src/calls/telephony-port.js';
import type { Config } from '../../src/config/index.js';
import type { DatabaseHandle } from '../../src/db/index.js';
import type { Logger } from '../../src/observability/logger.js';
import { createMetrics, type Metrics } from '../../src/observability/metrics.js';
import { directMetricsSink } from '../../src/observability/metrics-sink.js';
import type { CallData } from '../../src/worker/call-data.js';
import {
  type CallInput,
  openCall,
  runCall,
  type RunningCall,
  type WorkerDeps,
} from '../../src/worker/call-session.js';
import { testConfig } from './app.js';
import { captureLogs } from './log-capture.js';

let loggerReady = false;

/** The framework's logger must exist before any session; quiet unless something is wrong. */
export function initAgentsLogger(): void {
  if (loggerReady) return;
  initializeLogger({ pretty: false, level: 'warn' });
  loggerReady = true;
}

/** Saturday 21 November 2026, 10:00 in New York: a fixed "now" for agent tests. */
export const TEST_NOW = new Date('2026-11-21T15:00:00.000Z');

export interface TestCall extends RunningCall {
  telephony: RecordingTelephony;
  deps: WorkerDeps;
  /** One caller turn through the real session, waiting for the agent's whole reply. */
  say(text: string): Promise<voice.testing.RunResult>;
  data: CallData;
}

export interface TestCallOptions {
  database: DatabaseHandle;
  responses: voice.testing.FakeLLMResponse[];
  input?: Partial<CallInput>;
  config?: Config;
  logger?: Logger;
  metrics?: Metrics;
  telephony?: RecordingTelephony;
  transferTargets?: Record<string, string>;
  now?: Date;
  afterCall?: WorkerDeps['afterCall'];
}

let roomSeq = 0;

/** A call through the real `voice.AgentSession` in text mode, scripted with `FakeLLM`. */
export async function startTestCall(options: TestCallOptions): Promise<TestCall> {
  initAgentsLogger();
  const telephony = options.telephony ?? new RecordingTelephony();
  const deps: WorkerDeps = {
    config: options.config ?? testConfig(),
    db: options.database.db,
    logger: options.logger ?? captureLogs().logger,
    metrics: directMetricsSink(options.metrics ?? createMetrics({ defaultMetrics: false })),
    telephony,
    transferTargets: options.transferTargets ?? { sales: 'tel:+15555550111' },
    clock: () => options.now ?? TEST_NOW,
    afterCall: options.afterCall,
  };
  const opened = await openCall(deps, {
    roomName: `test_${process.pid}_${++roomSeq}_${Math.random().toString(36).slice(2, 8)}`,
    channel: 'simulator',
    callerNumber: '+15550100777',
    ...options.input,
  });
  const running = await runCall(deps, opened, {
    llm: new voice.testing.FakeLLM(options.responses),
  });
  return {
    ...running,
    telephony,
    deps,
    say: (text) => running.session.run({ userInput: text }).wait(),
  };
}
