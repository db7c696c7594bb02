/**
 * The agent module of the capacity benchmark's job processes (bench/capacity.ts runs it in the
 * framework's own job process, `job_proc_lazy_main`, as the worker would). Prewarm is the worker's
 * prewarm; the entry is the worker's entry minus the room: the caller's audio comes from the
 * fixture in real time, STT/LLM are scripted (they run at the providers), TTS returns audio at once,
 * and everything else is the real call path (AgentSession, Silero VAD, the pinned local turn
 * detector, the framework recorder writing OGG, our agent, call record and write queue).
 *
 * Options arrive as JSON in argv[3] (the framework passes the module path in argv[2]).
 */
import {
  AutoSubscribe,
  defineAgent,
  inference,
  JobContext,
  llm,
  type JobProcess,
  runWithJobContextAsync,
  stt,
  voice,
} from '@livekit/agents';
import * as silero from '@livekit/agents-plugin-silero';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import { RecordingTelephony } from '../src/calls/telephony-port.js';
import {
  openCall,
  runCall,
  type RunningCall,
  type WorkerDeps,
} from '../src/worker/call-session.js';
import { type ProcessState, prewarm } from '../src/worker/entry.js';
import { buildSessionModels } from '../src/worker/session-factory.js';
import { buildCallerLoop, type Utterance } from './capacity-fixture.js';
import { BenchTTS, CallerAudioInput, createPlayoutOutput, tapVad } from './capacity-io.js';

/** The settings a step of the benchmark varies (bench/capacity.ts `--help`). */
export interface CallOptions {
  /** The rate RoomIO would deliver caller audio at (`inputOptions.audioSampleRate`). */
  inputRate: number;
  /** The caller frames' length (WebRTC's AudioStream: 10 ms; RoomIO offers no setting). */
  frameMs: number;
  /** `silero`: the plugin, as prewarm loads it; `local-inference`: the framework's native VAD. */
  vad: 'silero' | 'local-inference';
  vadRate: 8000 | 16000;
  turnDetector: boolean;
  record: boolean;
  /** Sessions in this one process (the framework runs one; more shows what sharing would save). */
  sessions: number;
  /** Caller silence after each utterance, in which the agent answers. */
  pauseMs: number;
}

/** Messages from a job process to the benchmark (beside the framework's own IPC messages). */
export type BenchReport =
  | { case: 'benchMemory'; value: { stage: string; memory: NodeJS.MemoryUsage } }
  | { case: 'benchReady'; value: { sessions: number } }
  | { case: 'benchStats'; value: CallStats }
  | { case: 'benchHeapSnapshot'; value: { path: string } }
  | { case: 'benchProfile'; value: { path: string } };

/** Messages from the benchmark to a job process. */
export type BenchCommand =
  | { case: 'benchCollect' }
  | { case: 'benchHeapSnapshot'; value: { path: string } }
  | { case: 'benchProfileStart' }
  | { case: 'benchProfileStop'; value: { path: string } };

export interface CallStats {
  /** Audio-path lag after each VAD inference since the last collect, ms. */
  lagsMs: number[];
  eventLoopDelayP99Ms: number;
  /** End-of-utterance delays of the turns committed since the last collect, ms. */
  eouDelaysMs: number[];
  /** Caller turns and agent replies added to the chat since the last collect. */
  userTurns: number;
  agentReplies: number;
  memory: NodeJS.MemoryUsage;
  /** process.hrtime at the collect, µs: the clock of V8's CPU profiles. */
  monotonicUs: number;
}

const options = JSON.parse(process.argv[3] ?? '{}') as CallOptions;

const report = (message: BenchReport) => process.send?.(message);
const memoryAt = (stage: string) =>
  report({ case: 'benchMemory', value: { stage, memory: process.memoryUsage() } });
memoryAt('modules loaded');

const REPLIES: readonly string[] = [
  'Yes, that Accord is still here. Would you like to come and see it?',
  'Tomorrow at ten works. May I have your name and number?',
  'Thank you Dana, you are booked for ten tomorrow morning.',
];
const STT_DELAY_MS = 300;
/** Long enough for any run; FakeSTT plays a fixed schedule. */
const SCHEDULE_SECONDS = 3600;

/** FakeSTT's schedule: each looped utterance's final transcript, as a provider would send it. */
function sttSchedule(utterances: Utterance[], periodMs: number): stt.testing.FakeUserSpeech[] {
  const speeches: stt.testing.FakeUserSpeech[] = [];
  for (let cycle = 0; cycle * periodMs < SCHEDULE_SECONDS * 1000; cycle++) {
    for (const u of utterances) {
      speeches.push({
        startTime: cycle * periodMs + u.startMs,
        endTime: cycle * periodMs + u.endMs,
        transcript: u.text,
        sttDelay: STT_DELAY_MS,
      });
    }
  }
  return speeches;
}

async function benchPrewarm(proc: JobProcess): Promise<void> {
  // Swap what the worker's prewarm loads without touching it.
  const load = silero.VAD.load.bind(silero.VAD);
  silero.VAD.load = async (opts) =>
    options.vad === 'local-inference'
      ? new inference.VAD({ model: 'silero' })
      : load({ ...opts, sampleRate: options.vadRate });
  await prewarm(proc);
  memoryAt('prewarmed');
}

interface Stats {
  lags: number[];
  eou: number[];
  userTurns: number;
  agentReplies: number;
}

async function startCall(
  state: ProcessState,
  index: number,
  jobId: string,
  stats: Stats,
  route: { input?: CallerAudioInput },
): Promise<{ call: RunningCall; input: CallerAudioInput }> {
  const { config, database, logger, metrics } = state;
  const loop = buildCallerLoop(options.pauseMs);
  const deps: WorkerDeps = {
    config,
    db: database.db,
    logger,
    metrics,
    telephony: new RecordingTelephony(),
    transferTargets: state.transferTargets,
  };
  const callerNumber = `+1555${String(process.pid % 1000).padStart(3, '0')}${String(index).padStart(4, '0')}`;
  const opened = await openCall(deps, {
    roomName: `bench_${jobId}_${index}`,
    channel: 'sip',
    jobId,
    callerIdentity: `sip_${callerNumber}`,
    callerNumber,
  });
  const configured = buildSessionModels(config, { vad: state.vad });
  const input = new CallerAudioInput(loop, options.inputRate, options.frameMs);
  route.input = input;
  const call = await runCall(
    deps,
    opened,
    {
      ...configured,
      llm: new voice.testing.FakeLLM(
        loop.utterances.map((u, i) => ({ input: u.text, content: REPLIES[i % REPLIES.length] })),
      ),
      stt: new stt.testing.FakeSTT({
        fakeUserSpeeches: sttSchedule(loop.utterances, loop.periodMs),
      }),
      tts: new BenchTTS(),
      turnHandling: options.turnDetector ? configured.turnHandling : { turnDetection: 'vad' },
    },
    {
      record: options.record
        ? { audio: true, traces: false, logs: false, transcript: false }
        : false,
      audio: { input, output: createPlayoutOutput() },
    },
  );
  call.session.on(voice.AgentSessionEventTypes.ConversationItemAdded, ({ item }) => {
    if (!(item instanceof llm.ChatMessage)) return;
    if (item.role === 'user') stats.userTurns++;
    if (item.role === 'assistant') stats.agentReplies++;
  });
  call.session.on(voice.AgentSessionEventTypes.MetricsCollected, ({ metrics: m }) => {
    if (m.type === 'eou_metrics') stats.eou.push(m.endOfUtteranceDelayMs);
  });
  // The caller starts talking once the greeting has played (runCall waits for it).
  input.start();
  return { call, input };
}

async function benchEntry(ctx: JobContext): Promise<void> {
  await ctx.connect(undefined, AutoSubscribe.AUDIO_ONLY); // a no-op: the bench's jobs are fake jobs
  const state = ctx.proc.userData.state as ProcessState;
  const stats: Stats = { lags: [], eou: [], userTurns: 0, agentReplies: 0 };
  // The CPU profile covers only the steady state the benchmark asks for (--profile).
  const profiler = new Session();
  profiler.connect();
  const eventLoop = monitorEventLoopDelay({ resolution: 10 });
  eventLoop.enable();
  // Sessions start one after another, so a VAD stream belongs to the call being started.
  const route: { input?: CallerAudioInput } = {};
  tapVad(state.vad, () => {
    const input = route.input;
    return {
      clock: () => input?.streamClock ?? 0,
      onLag: (ms) => stats.lags.push(ms),
    };
  });

  const running: { call: RunningCall; input: CallerAudioInput }[] = [];
  for (let i = 0; i < options.sessions; i++) {
    const jobId = i === 0 ? ctx.job.id : `${ctx.job.id}_${i}`;
    if (i === 0) {
      running.push(await startCall(state, i, jobId, stats, route));
      continue;
    }
    // Each further session gets its own job context: its own recording directory.
    const info = { ...ctx.info, job: { ...ctx.info.job, id: jobId } } as typeof ctx.info;
    const own = new JobContext(
      ctx.proc,
      info,
      ctx.room,
      () => {},
      () => {},
      ctx.inferenceExecutor,
    );
    running.push(await runWithJobContextAsync(own, () => startCall(state, i, jobId, stats, route)));
  }
  memoryAt('sessions started');
  report({ case: 'benchReady', value: { sessions: running.length } });

  process.on('message', (message: BenchCommand) => {
    if (message.case === 'benchCollect') {
      report({
        case: 'benchStats',
        value: {
          lagsMs: stats.lags.splice(0),
          eouDelaysMs: stats.eou.splice(0),
          eventLoopDelayP99Ms: eventLoop.percentile(99) / 1e6,
          userTurns: stats.userTurns,
          agentReplies: stats.agentReplies,
          memory: process.memoryUsage(),
          monotonicUs: Number(process.hrtime.bigint() / 1000n),
        },
      });
      eventLoop.reset();
      stats.userTurns = 0;
      stats.agentReplies = 0;
    } else if (message.case === 'benchHeapSnapshot') {
      const path = writeHeapSnapshot(message.value.path);
      report({ case: 'benchHeapSnapshot', value: { path } });
    } else if (message.case === 'benchProfileStart') {
      void profiler.post('Profiler.enable').then(() => profiler.post('Profiler.start'));
    } else if (message.case === 'benchProfileStop') {
      const { path } = message.value;
      void profiler.post('Profiler.stop').then(({ profile }) => {
        writeFileSync(path, JSON.stringify(profile));
        report({ case: 'benchProfile', value: { path } });
      });
    }
  });

  ctx.addShutdownCallback(async () => {
    eventLoop.disable();
    await Promise.all(
      running.map(async ({ call, input }) => {
        await input.close();
        await call.session.close();
        await call.ended;
      }),
    );
    await state.recording?.worker.stop();
  });
}

export default defineAgent({ prewarm: benchPrewarm, entry: benchEntry });
