/**
 * Concurrent-call capacity of the voice worker: simulated calls, each in its own framework job
 * process, each fed a caller's speech in real time through the real audio path (RoomIO-style
 * AudioStream, Silero VAD as prewarm loads it, the pinned local turn detector in the shared
 * inference process, the framework recorder writing OGG, our agent and call record), ramped until
 * the path falls behind real time.
 *
 *   npm run bench:capacity                      (tsx bench/capacity.ts)
 *   npm run bench:capacity -- --help            (flags: step length, ramp, the settings to vary)
 *   npm run bench:capacity -- --profile         (one call: CPU profile, heap snapshot, memory map)
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { parseConfig } from '../src/config/index.js';
import { PROJECT_ROOT } from '../src/config/paths.js';
import { createLogger } from '../src/observability/logger.js';
import { createMetrics } from '../src/observability/metrics.js';
import { startWorkerMetricsServer } from '../src/worker/metrics-server.js';
import { prepareWorkerDatabase } from '../src/worker/worker-setup.js';
import type { CallOptions } from './capacity-call.js';
import { fixtureProblem } from './capacity-fixture.js';
import { CallProcess, InferenceProcess, type ProcOptions } from './capacity-procs.js';
import { runProfile } from './capacity-profile.js';
import {
  measureStep,
  printHeader,
  printRow,
  printSummary,
  type StepResult,
} from './capacity-report.js';
import { descendants } from './capacity-sys.js';

const HELP = `npm run bench:capacity -- [flags]
  --step-seconds N        measuring time per step (default 12, to keep the run near 3 minutes)
  --steps 1,2,4,...       concurrent calls per step (default 1,4,8,12,16,24,32,48,64)
  --max-calls N           stop the ramp there (default 64)
  --max-lag-ms N          behind real time when the audio lag p95 exceeds this (default 200)
  --input-rate HZ         caller audio rate into the session: RoomIO's audioSampleRate (default 24000,
                          what the worker uses today; 16000 spares the VAD its resampling)
  --frame-ms N            caller frame length read from the AudioStream (default 10, what RoomIO gets)
  --vad silero|local-inference   the VAD prewarm loads (default silero, the plugin)
  --vad-rate 16000|8000   Silero's inference rate (default 16000)
  --turn-detector on|off  the pinned local turn detector, or VAD-only endpointing (default on)
  --record on|off         the framework recorder (default on: RECORDING_MODE=agent)
  --sessions-per-process N  calls sharing one job process (default 1, what the framework does)
  --max-old-space-size MB  V8 heap limit of the job processes
  --job-node-args "..."   more node flags for the job processes (e.g. --max-semi-space-size=2)
  --pause-ms N            caller silence after each utterance (default 6000)
  --profile               one call with --cpu-prof, a heap snapshot and a memory map
  --profile-seconds N     length of the profiled call (default 30)`;

const { values: args } = parseArgs({
  options: {
    'step-seconds': { type: 'string', default: '12' },
    steps: { type: 'string', default: '1,4,8,12,16,24,32,48,64' },
    'max-calls': { type: 'string', default: '64' },
    'max-lag-ms': { type: 'string', default: '200' },
    'input-rate': { type: 'string', default: '24000' },
    'frame-ms': { type: 'string', default: '10' },
    vad: { type: 'string', default: 'silero' },
    'vad-rate': { type: 'string', default: '16000' },
    'turn-detector': { type: 'string', default: 'on' },
    record: { type: 'string', default: 'on' },
    'sessions-per-process': { type: 'string', default: '1' },
    'max-old-space-size': { type: 'string' },
    'job-node-args': { type: 'string', default: '' },
    'pause-ms': { type: 'string', default: '6000' },
    profile: { type: 'boolean', default: false },
    'profile-seconds': { type: 'string', default: '30' },
    help: { type: 'boolean', default: false },
  },
});

if (args.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}
const problem = fixtureProblem();
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}

const call: CallOptions = {
  inputRate: Number(args['input-rate']),
  frameMs: Number(args['frame-ms']),
  vad: args.vad === 'local-inference' ? 'local-inference' : 'silero',
  vadRate: args['vad-rate'] === '8000' ? 8000 : 16000,
  turnDetector: args['turn-detector'] !== 'off',
  record: args.record !== 'off',
  sessions: Math.max(1, Number(args['sessions-per-process'])),
  pauseMs: Number(args['pause-ms']),
};
const stepMs = Number(args['step-seconds']) * 1000;
const maxCalls = Number(args['max-calls']);
const maxLagMs = Number(args['max-lag-ms']);
const steps = args.steps
  .split(',')
  .map(Number)
  .filter((n) => n > 0 && n <= maxCalls);

const benchDir = join(PROJECT_ROOT, 'data', 'bench');
mkdirSync(benchDir, { recursive: true });
const workDir = mkdtempSync(join(tmpdir(), 'capacity-'));
const logPath = join(benchDir, 'capacity.log');
const logFd = openSync(logPath, 'w');

// Job processes run compiled JavaScript under plain node, as in production (tsx would add ~50 MB
// and an esbuild process to each). data/bench/ is two levels deep like src/config/, so the
// bundled PROJECT_ROOT still points at the project.
const agentModule = join(benchDir, 'capacity-call.mjs');
await build({
  entryPoints: [join(PROJECT_ROOT, 'bench', 'capacity-call.ts')],
  outfile: agentModule,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});

/** The worker's environment: SQLite, agent-mode recording, placeholder provider keys (unused). */
const env: Record<string, string> = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  LOG_FORMAT: 'json',
  DATA_DIR: workDir,
  DATABASE_URL: join(workDir, 'calls.db'),
  SEED_INVENTORY: 'false',
  RECORDING_MODE: call.record ? 'agent' : 'off',
  RECORDINGS_STORE: 'local',
  OPENAI_API_KEY: 'bench-unused',
  DEEPGRAM_API_KEY: 'bench-unused',
  CARTESIA_API_KEY: 'bench-unused',
  LIVEKIT_URL: 'ws://127.0.0.1:7880',
  LIVEKIT_API_KEY: 'bench',
  LIVEKIT_API_SECRET: 'bench-secret-bench-secret-bench-secret',
  // The framework recorder writes to os.tmpdir()/livekit-agents/job-<id>/audio.ogg.
  TMPDIR: workDir,
};

const children: { stop(): Promise<void> }[] = [];
const cleanup = async () => {
  // Listed first: a job process killed after its timeout leaves its ffmpeg to init.
  const tree = descendants(process.pid);
  await Promise.allSettled(children.map((c) => c.stop()));
  for (const pid of tree) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  closeSync(logFd);
  rmSync(workDir, { recursive: true, force: true });
};
process.once('SIGINT', () => {
  process.stderr.write('\ninterrupted: stopping the simulated calls\n');
  void cleanup().finally(() => process.exit(130));
});

try {
  const config = parseConfig(env);
  const logger = createLogger(config, { name: 'bench' });
  // The worker main process's part: migrate once, serve the job processes' metrics.
  await prepareWorkerDatabase(config, logger);
  const metricsServer = await startWorkerMetricsServer({
    metrics: createMetrics(),
    port: 0,
    host: '127.0.0.1',
    logger,
  });
  children.push({ stop: () => metricsServer.close() });
  env.WORKER_METRICS_PORT = String(metricsServer.port);

  const jobExecArgv = [
    ...(args['max-old-space-size'] ? [`--max-old-space-size=${args['max-old-space-size']}`] : []),
    ...args['job-node-args'].split(/\s+/).filter((a) => a !== ''),
  ];
  const procOptions = (execArgv: string[]): ProcOptions => ({ env, logFd, execArgv });
  const inference = call.turnDetector ? await InferenceProcess.start(procOptions([])) : null;
  if (inference) children.push(inference);

  const cores = availableParallelism();
  process.stdout.write(
    `Concurrent-call capacity: ${cores} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ` +
      `load average ${loadavg()[0]!.toFixed(2)} at start\n` +
      `call path: caller audio ${call.inputRate} Hz in ${call.frameMs} ms frames -> ${call.vad === 'silero' ? `Silero VAD plugin @ ${call.vadRate} Hz` : 'local-inference VAD'}` +
      ` -> ${call.turnDetector ? 'local turn detector (turn-detector-v1-mini, shared inference process)' : 'VAD endpointing (turn detector off)'}` +
      ` -> ${call.record ? 'framework recorder (OGG/Opus via ffmpeg)' : 'no recorder'}; ` +
      `${call.sessions} call(s) per job process` +
      `${jobExecArgv.length > 0 ? `, job node flags: ${jobExecArgv.join(' ')}` : ''}\n` +
      `STT/LLM scripted (they run at the providers), TTS audio returned at once; logs: ${logPath}\n`,
  );

  if (args.profile) {
    await runProfile({
      agentModule,
      call,
      seconds: Number(args['profile-seconds']),
      outDir: join(benchDir, 'profile'),
      procOptions,
      jobExecArgv,
      inference,
      children,
    });
  } else {
    const calls: CallProcess[] = [];
    const results: StepResult[] = [];
    printHeader();
    for (const target of steps) {
      const processes = Math.ceil(target / call.sessions);
      const starting: Promise<CallProcess>[] = [];
      for (let i = calls.length; i < processes; i++) {
        starting.push(
          CallProcess.start(agentModule, call, `job${i}`, procOptions(jobExecArgv), inference),
        );
      }
      const settled = await Promise.allSettled(starting);
      const started = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      calls.push(...started);
      children.push(...started);
      const failed = settled.find((s) => s.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
      // Let the new calls' startup (prewarm, greeting) settle before measuring.
      await sleep(2000);
      const measure = (newcomers: CallProcess[]) =>
        measureStep({
          calls,
          started: newcomers,
          sessionsPerProcess: call.sessions,
          inference,
          ms: stepMs,
          maxLagMs,
        });
      let result = await measure(started);
      printRow(result);
      if (result.behind && result.lagP95 < 5 * maxLagMs) {
        // Once more before calling it the knee: other work on the machine comes in bursts.
        result = await measure([]);
        printRow(result, 're-measured');
      }
      results.push(result);
      if (result.behind) break;
    }
    printSummary(results, { cores, maxLagMs, reachedMax: !results.at(-1)?.behind });
  }
} finally {
  const stopping = performance.now();
  await cleanup();
  process.stdout.write(
    `\ndone in ${(performance.now() / 1000).toFixed(0)} s` +
      ` (stopping the calls: ${((performance.now() - stopping) / 1000).toFixed(0)} s)\n`,
  );
}
