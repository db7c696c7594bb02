import { AutoSubscribe, type JobContext, type JobProcess, voice, type VAD } from '@livekit/agents';
import * as silero from '@livekit/agents-plugin-silero';
import { sql } from 'kysely';
import { type Config, loadConfig, processEnvironment } from '../config/index.js';
import { type DatabaseHandle, openDatabase } from '../db/index.js';
import { createAgentRecording } from '../egress/index.js';
import { createLogger, type Logger } from '../observability/logger.js';

import { createLiveKitClients, type LiveKitClients } from '../sip/livekit-clients.js';
import { loadSipConfig } from '../sip/sip-config.js';
import { errorText } from './call-data.js';
import { createCallDeps } from './call-deps.js';
import { CallAlreadyEndedError, openCall, runCall } from './call-session.js';
import { createMetricsReporter, type MetricsReporter } from './metrics-reporter.js';
import { attachPhoneLine } from './phone-line.js';
import { buildSessionModels, createChatLlm } from './session-factory.js';
import { callerIdentity } from './telephony/caller-identity.js';

/** What a job process opens once (in prewarm) and every call in it shares. */
export interface ProcessState {
  config: Config;
  database: DatabaseHandle;
  logger: Logger;
  /** Reports to the worker main process's /metrics (metrics-server.ts). */
  metrics: MetricsReporter;
  vad: VAD;
  livekit: LiveKitClients;
  /** Agent-side recording (off when RECORDING_MODE=off): the uploader and its upload loop. */
  recording: ReturnType<typeof createAgentRecording> | null;
  /** Where "talk to a person" goes, from config/sip.yaml (empty: transfers unavailable). */
  transferTargets: Readonly<Record<string, string>>;
}

/** How long a SQLite write may block the event loop on a lock before the write queue retries. */
const WORKER_SQLITE_BUSY_TIMEOUT_MS = 50;

/** Loads the config, opens the database, creates the LiveKit clients and loads Silero VAD. */
export async function prewarm(proc: JobProcess): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, { name: 'worker' });
  // The main process migrated the schema and indexed the FAQ (worker-setup.ts) before any job.
  const database = openDatabase(config.database, { logger });
  if (database.dialect === 'sqlite') {
    // better-sqlite3 waits for a lock synchronously; keep that short on the audio process.
    await sql.raw(`PRAGMA busy_timeout = ${WORKER_SQLITE_BUSY_TIMEOUT_MS}`).execute(database.db);
  }
  const vad = await silero.VAD.load({ sampleRate: 16000 });
  const state: ProcessState = {
    config,
    database,
    logger,
    metrics: createMetricsReporter({ port: config.worker.metricsPort, logger }),
    vad,
    livekit: createLiveKitClients(config.livekit),
    transferTargets: await transferTargets(config, logger),
    recording:
      config.recording.mode === 'off'
        ? null
        : createAgentRecording(config, database.db, { logger }),
  };
  state.recording?.worker.start();
  proc.userData.state = state;
}

async function transferTargets(config: Config, logger: Logger) {
  try {
    const sip = await loadSipConfig(config.telephony.sipConfigFile, {
      env: processEnvironment(),
      defaultAgentName: config.livekit.agentName,
    });
    return sip.transferTargets;
  } catch (error) {
    logger.warn({ err: errorText(error) }, 'no transfer targets: transfers to a person are off');
    return {};
  }
}

/** One call: connect audio-only, wait for the caller, open or resume the call, run the agent. */
export async function entry(ctx: JobContext): Promise<void> {
  const state = ctx.proc.userData.state as ProcessState;
  const { config, database, logger, metrics } = state;
  await ctx.connect(undefined, AutoSubscribe.AUDIO_ONLY);
  const participant = await ctx.waitForParticipant();
  const caller = callerIdentity(participant);
  const roomName = ctx.room.name ?? ctx.job.room?.name ?? ctx.job.id;
  const current: { call?: Awaited<ReturnType<typeof runCall>> } = {};
  const deps = createCallDeps(
    { ...state, db: database.db },
    {
      roomName,
      callerIdentity: participant.identity,
      summarizer: createChatLlm(config, config.agent.summaryModel),
      // The framework recorder's file; finished once the session has closed.
      recorderFile: () => current.call?.session._recorderIO?.outputPath,
    },
  );
  let opened;
  try {
    const { sipCallStatus: _status, ...identity } = caller;
    opened = await openCall(deps, { roomName, jobId: ctx.job.id, ...identity });
  } catch (error) {
    if (error instanceof CallAlreadyEndedError) {
      logger.warn({ callId: error.callId }, 'job dispatched for a call that has ended');
      ctx.shutdown('call already ended');
      return;
    }
    throw error;
  }
  const call = await runCall(deps, opened, buildSessionModels(config, { vad: state.vad }), {
    room: ctx.room,
    inputOptions: { participantIdentity: participant.identity },
    // Audio only: traces, logs and transcripts would go to LiveKit Cloud, which we do not use.
    // In egress mode the worker's copy is the backup the recording module falls back to.
    record:
      config.recording.mode !== 'off'
        ? { audio: true, traces: false, logs: false, transcript: false }
        : false,
  });
  current.call = call;
  attachPhoneLine(call, { room: ctx.room, callerIdentity: participant.identity });
  call.session.on(voice.AgentSessionEventTypes.Close, () => ctx.shutdown('session closed'));
  // On worker shutdown (drain, SIGTERM) end the session and wait until everything is stored.
  ctx.addShutdownCallback(async () => {
    await call.session.close();
    await call.ended;
    await state.recording?.worker.stop();
    await metrics.flush();
  });
}
