import type { llm } from '@livekit/agents';
import { summarizeCall } from '../calls/call-summary.js';
import type { Config } from '../config/index.js';
import type { Db } from '../db/index.js';
import type { AgentRecordingUploader } from '../egress/index.js';
import type { Logger } from '../observability/logger.js';
import type { MetricsSink } from '../observability/metrics-sink.js';
import type { LiveKitClients } from '../sip/livekit-clients.js';
import { LiveKitTelephony } from '../sip/livekit-telephony.js';
import { spoolCallRecording } from './call-recording.js';
import type { WorkerDeps } from './call-session.js';

/** What a job process shares between its calls (see `ProcessState` in entry.ts). */
export interface CallDepsSources {
  config: Config;
  db: Db;
  logger: Logger;
  metrics: MetricsSink;
  livekit: Pick<LiveKitClients, 'sip' | 'room'>;
  transferTargets: Readonly<Record<string, string>>;
  /** Agent-side recording; null when RECORDING_MODE=off. */
  recording: { uploader: Pick<AgentRecordingUploader, 'spoolRecording'> } | null;
}

/** The LiveKit room and the caller of one call. */
export interface PhoneCallTarget {
  roomName: string;
  /** The caller's participant identity: the one a transfer REFERs. */
  callerIdentity: string;
  /** The model that writes the post-call summary. */
  summarizer: llm.LLM;
  /** The framework recorder's file, once the session has closed. */
  recorderFile: () => string | undefined;
}

/**
 * The dependencies of one call as the worker wires them: LiveKit telephony for this room and
 * caller (SIP REFER, room deletion), and the after-call work (recording spool, then the summary).
 * Separate from entry.ts so integration tests run the same wiring without a job context.
 */
export function createCallDeps(sources: CallDepsSources, target: PhoneCallTarget): WorkerDeps {
  const { config, db, logger, metrics, livekit, recording } = sources;
  return {
    config,
    db,
    logger,
    metrics,
    telephony: new LiveKitTelephony({
      sip: livekit.sip,
      room: livekit.room,
      roomName: target.roomName,
      callerIdentity: target.callerIdentity,
    }),
    transferTargets: sources.transferTargets,
    afterCall: async (data) => {
      // The recording first: spooling makes it durable; the summary may take an LLM round trip.
      if (recording) await spoolCallRecording(recording.uploader, data, target.recorderFile());
      await summarizeCall(data.db, data.call.id, target.summarizer, { logger: data.logger });
    },
  };
}
