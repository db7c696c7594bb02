import type { Room } from '@livekit/rtc-node';
import { llm, voice } from '@livekit/agents';
import type { Call, CallChannel, CallOutcome } from '../calls/call.js';
import {
  createCall,
  findRecentCallsByNumber,
  getCallByRoom,
  updateCall,
} from '../calls/call-repository.js';
import { isTerminal } from '../calls/call-states.js';
import { CallTracker } from '../calls/call-tracker.js';
import type { TelephonyPort } from '../calls/telephony-port.js';
import { listTranscript } from '../calls/transcript-repository.js';
import { WriteQueue } from '../calls/write-queue.js';
import type { Config } from '../config/index.js';
import type { Db } from '../db/index.js';
import { callLogger, type Logger } from '../observability/logger.js';
import type { MetricsSink } from '../observability/metrics-sink.js';
import { createDealershipAgent } from './agents/dealership-agent.js';
import { resumeLine } from './agents/dealership-instructions.js';
import { type CallData, errorText, settleBackground } from './call-data.js';
import { recordSession } from './session-recorder.js';

/** What every call of a worker process shares. */
export interface WorkerDeps {
  config: Config;
  db: Db;
  logger: Logger;
  metrics: MetricsSink;
  telephony: TelephonyPort;
  transferTargets: Readonly<Record<string, string>>;
  clock?: () => Date;
  /** Runs after a call ended and its writes landed (post-call summary, recording upload). */
  afterCall?: (data: CallData) => Promise<void>;
  /** How long the end of a call waits for its queued writes when the database is unavailable. */
  writeFlushTimeoutMs?: number;
}

/** Long enough to ride out a database restart; well inside the job's shutdown allowance. */
const WRITE_FLUSH_TIMEOUT_MS = 10_000;

/** Who is calling and how, as the entry (SIP attributes) or the simulator knows it. */
export interface CallInput {
  roomName: string;
  channel: CallChannel;
  jobId?: string | null;
  callerIdentity?: string | null;
  callerNumber?: string | null;
  dialedNumber?: string | null;
  sipCallId?: string | null;
  sipTrunkId?: string | null;
  sipRuleId?: string | null;
}

/** A job was given a room whose call is already over (a stale re-dispatch). */
export class CallAlreadyEndedError extends Error {
  constructor(readonly callId: string) {
    super('the call in this room has already ended');
    this.name = 'CallAlreadyEndedError';
  }
}

export interface OpenedCall {
  data: CallData;
  /** The call existed and had not ended: the worker was cut off and picks it up again. */
  resumed: boolean;
  previousCalls: Call[];
  history: { id: string; role: 'user' | 'assistant'; text: string }[];
}

const RESUME_HISTORY_LINES = 30;

/**
 * Creates the call row for a new room, or picks up the call of a room whose job was cut off
 * (worker crash, re-dispatch) with its state and gathered data. Awaited once, before audio flows.
 */
export async function openCall(deps: WorkerDeps, input: CallInput): Promise<OpenedCall> {
  const clock = deps.clock ?? (() => new Date());
  const { db } = deps;
  const existing = await getCallByRoom(db, input.roomName);
  if (existing && isTerminal(existing.state)) throw new CallAlreadyEndedError(existing.id);
  const call =
    existing ??
    (await createCall(
      db,
      {
        roomName: input.roomName,
        channel: input.channel,
        jobId: input.jobId ?? null,
        callerIdentity: input.callerIdentity ?? null,
        callerNumber: input.callerNumber ?? null,
        dialedNumber: input.dialedNumber ?? null,
        sipCallId: input.sipCallId ?? null,
        sipTrunkId: input.sipTrunkId ?? null,
        sipRuleId: input.sipRuleId ?? null,
      },
      clock().toISOString(),
    ));
  if (existing && input.jobId) await updateCall(db, call.id, { jobId: input.jobId });
  const logger = callLogger(deps.logger, call.id);
  const queue = new WriteQueue({ logger, metrics: deps.metrics });
  const tracker = new CallTracker(call, { db, queue, logger, clock });
  const previousCalls = call.callerNumber
    ? await findRecentCallsByNumber(db, call.callerNumber, { excludeCallId: call.id, limit: 3 })
    : [];
  const transcript = existing ? await listTranscript(db, call.id) : [];
  const history = transcript
    .filter((line): line is typeof line & { role: 'user' | 'assistant' } => line.role !== 'system')
    .slice(-RESUME_HISTORY_LINES)
    .map((line) => ({ id: line.itemId, role: line.role, text: line.text }));
  if (existing) logger.info({ state: call.state }, 'call resumed after the agent was cut off');
  return {
    resumed: existing !== null,
    previousCalls,
    history,
    data: {
      call: tracker,
      db,
      config: deps.config,
      logger,
      telephony: deps.telephony,
      metrics: deps.metrics,
      queue,
      clock,
      transferTargets: deps.transferTargets,
      toolTimings: new Map(),
      keypad: null,
      background: new Set(),
    },
  };
}

/** The dealership agent for an opened call (with returning-caller or resume context). */
export function agentForCall(opened: OpenedCall): voice.Agent<CallData> {
  const { data } = opened;
  return createDealershipAgent({
    config: data.config,
    now: data.clock(),
    previousCalls: opened.previousCalls,
    resume: opened.resumed ? { facts: data.call.facts, history: opened.history } : undefined,
  });
}

/** The models of a session: from config in the worker, scripted in tests and the simulator. */
export interface SessionModels {
  llm: llm.LLM | llm.RealtimeModel;
  stt?: voice.AgentSessionOptions['stt'];
  tts?: voice.AgentSessionOptions['tts'];
  vad?: voice.AgentSessionOptions['vad'];
  turnHandling?: voice.AgentSessionOptions['turnHandling'];
}

export interface RunningCall {
  session: voice.AgentSession<CallData>;
  data: CallData;
  /** Resolves once the call has ended and everything about it is stored. */
  ended: Promise<CallOutcome | null>;
  /**
   * Drops the session as a crashing worker would: nothing is finalized (tests and the simulator
   * use it to rehearse a resume).
   */
  crash(): Promise<void>;
}

function greeting(config: Config): string {
  const recorded = config.recording.mode === 'off' ? '' : ' This call may be recorded.';
  return `Thanks for calling ${config.dealership.name}, this is the virtual assistant.${recorded} How can I help you today?`;
}

/**
 * Starts the agent session for an opened call, wires persistence, greets (or apologizes and picks
 * up where a cut-off call was), and finalizes the call when the session closes.
 */
export async function runCall(
  deps: WorkerDeps,
  opened: OpenedCall,
  models: SessionModels,
  options: {
    room?: Room;
    inputOptions?: Partial<voice.RoomInputOptions>;
    /** The framework's recorder (stereo OGG of the call in the job's temp dir), for agent-mode recording. */
    record?: Parameters<voice.AgentSession['start']>[0]['record'];
    /**
     * Audio in and out without a room (the capacity benchmark feeds synthetic caller audio). Set
     * before the session starts: the recorder wraps only the audio IO present at start.
     */
    audio?: { input: voice.AudioInput; output: voice.AudioOutput };
  } = {},
): Promise<RunningCall> {
  const { data } = opened;
  const session = new voice.AgentSession<CallData>({
    llm: models.llm,
    stt: models.stt,
    tts: models.tts,
    vad: models.vad ?? null,
    turnHandling: models.turnHandling,
    userData: data,
    maxToolSteps: 4,
  });
  recordSession(session, data, { hasTts: models.tts !== undefined });
  if (options.audio) {
    session.input.audio = options.audio.input;
    session.output.audio = options.audio.output;
  }
  let crashed = false;
  const ended = new Promise<CallOutcome | null>((resolve) => {
    session.once(voice.AgentSessionEventTypes.Close, (event) => {
      if (crashed) return resolve(null);
      finalizeCall(deps, data, String(event.reason), event.error !== null).then(
        resolve,
        (error) => {
          data.logger.error({ err: errorText(error) }, 'finalizing the call failed');
          resolve(null);
        },
      );
    });
  });
  await session.start({
    agent: agentForCall(opened),
    room: options.room,
    inputOptions: options.inputOptions,
    record: options.record ?? false,
  });
  deps.metrics.record({ type: 'callStarted', callId: data.call.id });
  const resuming = opened.resumed && data.call.state !== 'initializing';
  if (!resuming) data.call.transition('greeting', 'session started');
  const line = resuming ? resumeLine(data.call.facts) : greeting(data.config);
  // A realtime model speaks for itself (no TTS to `say` with): it is told the exact line.
  const speech =
    models.llm instanceof llm.RealtimeModel
      ? session.generateReply({ instructions: `Say exactly this, nothing else: "${line}"` })
      : session.say(line);
  await speech.waitForPlayout();
  return {
    session,
    data,
    ended,
    async crash() {
      crashed = true;
      // What was queued would have landed within milliseconds of being said.
      await data.queue.flush();
      await session.close();
    },
  };
}

function outcomeAtEnd(data: CallData, failed: boolean): CallOutcome {
  const { facts } = data.call;
  if (facts.outcome) return facts.outcome;
  if (failed) return 'failed';
  if (facts.appointmentId !== null) return 'appointment_booked';
  return 'hung_up';
}

/**
 * Ends the call record when the session closes: a call nobody ended (the caller hung up, the room
 * closed) becomes `ended`, a session that died of an error `failed`. Then drains the write queue
 * and runs the after-call work (summary, recording upload).
 */
export async function finalizeCall(
  deps: WorkerDeps,
  data: CallData,
  reason: string,
  failed: boolean,
): Promise<CallOutcome> {
  await settleBackground(data);
  const outcome = outcomeAtEnd(data, failed);
  if (!data.call.ended) {
    data.call.transition(failed ? 'failed' : 'ended', `session closed: ${reason}`, {
      outcome,
      endReason: reason,
    });
  }
  const final = data.call.facts.outcome ?? outcome;
  deps.metrics.record({ type: 'callEnded', callId: data.call.id, outcome: final });
  await data.queue.close(deps.writeFlushTimeoutMs ?? WRITE_FLUSH_TIMEOUT_MS);
  data.logger.info({ outcome: final, state: data.call.state, path: data.call.path }, 'call ended');
  if (deps.afterCall) await deps.afterCall(data);
  return final;
}
