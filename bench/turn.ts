/**
 * Agent turn overhead: what our dealership agent adds to a turn of the real `voice.AgentSession`.
 *
 *   npm run bench:turn                                  # 600 turns per variant (about a minute)
 *   npm run bench:turn -- --turns 1200 --warmup-calls 8
 *   npm run bench:turn -- --only ours --profile         # where our time goes
 *
 * Options: --turns N (per variant, >= 500 for the figures), --warmup-calls N (each),
 * --only ours|bare, --profile (V8 CPU profile of the measured turns, then where the time went),
 * --model-latency-ms N (the scripted model answers after N ms; default 0).
 *
 * Text mode, zero-latency scripted model replies (the framework's FakeLLM, ttft and duration 0),
 * so everything our code does on the event loop shows up in the turn. Two variants in the same
 * process, alternating call by call (ours-bare, bare-ours, ...) so machine drift hits both:
 *   ours: the call exactly as the worker builds it (openCall + runCall: the dealership agent and
 *         its tools, the call state machine, the write queue on a SQLite database file opened as
 *         a job process opens it, the transcript/tool/turn-metrics recorder, a pino logger writing
 *         JSON synchronously, the metrics reporter posting to the worker main process, which runs
 *         in a child process with the WAL checkpoints, as in production);
 *   bare: a `voice.Agent` with two lines of instructions and stub tools (same names and parameter
 *         schemas, returning a constant) given the same replies: the framework does the same tool
 *         rounds and only our code differs.
 * A turn is `session.run({ userInput }).wait()`. Besides wall time the bench reads the main
 * thread's on-CPU time (Linux schedstat), which other processes on a shared machine do not inflate.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { initializeLogger, llm, voice } from '@livekit/agents';
import { pino } from 'pino';
import { RecordingTelephony } from '../src/calls/telephony-port.js';
import { PROJECT_ROOT } from '../src/config/index.js';
import { createLogger } from '../src/observability/logger.js';
import { dealershipTools } from '../src/worker/agents/dealership-agent.js';
import { openCall, runCall, type WorkerDeps } from '../src/worker/call-session.js';
import { createMetricsReporter } from '../src/worker/metrics-reporter.js';
import { ScriptedLLM } from '../src/worker/simulator/scripted-llm.js';
import { openWorkerDatabase, prepareWorkerDatabase } from '../src/worker/worker-setup.js';
import { seedInventoryIfEmpty } from '../src/vehicle-lookup/seed-inventory.js';
import { startChild } from './lib/child-process.js';
import { type Kind, profileReport, report } from './turn-report.js';
import { BENCH_VIN, benchConfig, CALL_SCRIPT, usesTools } from './turn-script.js';
import { mainThreadTimes, newSide, type Side, watchGc } from './turn-stats.js';

const { values: options } = parseArgs({
  options: {
    turns: { type: 'string', default: '600' },
    'warmup-calls': { type: 'string', default: '4' },
    only: { type: 'string' },
    profile: { type: 'boolean', default: false },
    'model-latency-ms': { type: 'string', default: '0' },
  },
});
const turns = Number(options.turns);
const warmupCalls = Number(options['warmup-calls']);
const modelLatencyMs = Number(options['model-latency-ms']);
const only = (options.only ?? null) as Kind | null;
if (only !== null && only !== 'ours' && only !== 'bare') throw new Error('--only ours|bare');

interface BenchCall {
  scripted: ScriptedLLM;
  session: voice.AgentSession<unknown>;
  /** Waits for writes still queued after the last turn. */
  drain(): Promise<void>;
  /** Ends the call (untimed); returns what did not come out as the script intends. */
  end(): Promise<string[]>;
}

/** The scripted replies, each after `--model-latency-ms`. */
class BenchLLM extends ScriptedLLM {
  constructor() {
    super(new Map());
  }

  override lookup(): voice.testing.FakeLLMResponse | undefined {
    const reply = super.lookup();
    return reply && { ...reply, ttft: modelLatencyMs };
  }
}

const GREETING =
  'Thanks for calling Riverside Motors, this is the virtual assistant. How can I help you today?';
// Text input ends the turn itself; without this each session builds the default (audio) turn
// detector and warns that it has no VAD.
const TEXT_TURNS: voice.AgentSessionOptions['turnHandling'] = { turnDetection: null };

const stubTools = dealershipTools.map((tool) =>
  llm.tool({
    name: tool.name,
    description: tool.description,
    parameters: tool.parameters,
    execute: async () => ({ ok: true }),
  }),
);

async function startBareCall(): Promise<BenchCall> {
  const scripted = new BenchLLM();
  const session = new voice.AgentSession({
    llm: scripted,
    vad: null,
    turnHandling: TEXT_TURNS,
    maxToolSteps: 4,
  });
  await session.start({
    agent: new voice.Agent({
      instructions: 'You are the phone assistant of a car dealership.\nAnswer briefly.',
      tools: stubTools,
    }),
    record: false,
  });
  await session.say(GREETING).waitForPlayout();
  return {
    scripted,
    session: session as voice.AgentSession<unknown>,
    drain: async () => {},
    end: async () => {
      await session.close();
      return [];
    },
  };
}

function ourCalls(deps: WorkerDeps): () => Promise<BenchCall> {
  let callNo = 0;
  return async () => {
    const n = ++callNo;
    const number = `+1555${String(n).padStart(7, '0')}`;
    const opened = await openCall(deps, {
      roomName: `bench_${process.pid}_${n}`,
      channel: 'sip',
      jobId: `AJ_bench_${n}`,
      callerIdentity: `sip_${number}`,
      callerNumber: number,
      dialedNumber: '+15555550100',
    });
    const scripted = new BenchLLM();
    const running = await runCall(deps, opened, { llm: scripted, turnHandling: TEXT_TURNS });
    return {
      scripted,
      session: running.session as voice.AgentSession<unknown>,
      drain: () => running.data.queue.flush(),
      end: async () => {
        const { facts } = running.data.call;
        const problems: string[] = [];
        if (facts.vin !== BENCH_VIN) problems.push(`call ${n}: VIN not captured`);
        if (facts.customerName !== 'Dana Reyes') problems.push(`call ${n}: name not saved`);
        if (facts.callbackNumber === null) problems.push(`call ${n}: no callback number`);
        await running.session.close();
        await running.ended;
        if (running.data.queue.lost > 0) problems.push(`call ${n}: database writes lost`);
        return problems;
      },
    };
  };
}

async function runOneCall(start: () => Promise<BenchCall>, side: Side | null): Promise<void> {
  const call = await start();
  for (const [index, turn] of CALL_SCRIPT.entries()) {
    call.scripted.script(turn.replies);
    const before = mainThreadTimes();
    const started = performance.now();
    const result = await call.session.run({ userInput: turn.user }).wait();
    const ms = performance.now() - started;
    const after = mainThreadTimes();
    if (!side) continue;
    side.turnMs.push(ms);
    side.cpuMs.push(after.cpuMs - before.cpuMs);
    side.waitMs.push((after.waitMs ?? 0) - (before.waitMs ?? 0));
    side.startedAt.push(started);
    for (const event of result.events) {
      if (event.type === 'function_call') side.toolCalls++;
      if (event.type === 'function_call_output' && event.item.isError) {
        side.problems.push(`turn ${index + 1}: ${event.item.name} failed: ${event.item.output}`);
      }
    }
    if (call.scripted.unused > 0) side.problems.push(`turn ${index + 1}: replies left unused`);
  }
  const started = performance.now();
  await call.drain();
  side?.drainMs.push(performance.now() - started);
  side?.problems.push(...(await call.end()));
}

async function main(): Promise<void> {
  const calls = Math.ceil(turns / CALL_SCRIPT.length);
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-turn-'));
  const config = benchConfig(dir);
  // Production logs JSON to stdout, which Node writes synchronously to files and pipes on Linux.
  const logFile = path.join(dir, 'worker.log');
  const logger = createLogger(config, {
    name: 'worker',
    // SonicBoom is the stream pino writes stdout with; createLogger's type is the general one.
    destination: pino.destination({
      dest: logFile,
      sync: true,
    }) as unknown as NodeJS.WritableStream,
  });
  // The framework's own logger, the same for both variants: it warns on every session close that
  // the (empty) pending text turn was skipped, which would bury the report.
  initializeLogger({ pretty: false, level: 'error' });

  // What the worker's main process and the API do before any call: schema, FAQ, inventory.
  await prepareWorkerDatabase(config, logger);
  const mainProcess = await startChild(
    fileURLToPath(new URL('turn-main-process.ts', import.meta.url)),
    {
      args: [dir],
    },
  );
  const metricsPort = Number(mainProcess.ready.port);
  const database = await openWorkerDatabase(config, { logger });
  await seedInventoryIfEmpty(database.db, logger);
  const reporter = createMetricsReporter({ port: metricsPort, logger });
  const deps: WorkerDeps = {
    config,
    db: database.db,
    logger,
    metrics: reporter,
    telephony: new RecordingTelephony(),
    transferTargets: { sales: 'tel:+15555550111', service: 'tel:+15555550122' },
  };
  const starts: Record<Kind, () => Promise<BenchCall>> = {
    ours: ourCalls(deps),
    bare: startBareCall,
  };
  const kinds = (order: Kind[]) => order.filter((kind) => only === null || only === kind);
  const sides: Record<Kind, Side> = { ours: newSide(), bare: newSide() };

  process.stdout.write(
    `Agent turn overhead: ${calls} calls x ${CALL_SCRIPT.length} turns per variant ` +
      `(${CALL_SCRIPT.filter(usesTools).length} of ${CALL_SCRIPT.length} turns call tools), ` +
      `${warmupCalls} warm-up calls each, model latency ${modelLatencyMs} ms, node ${process.version}\n`,
  );
  const gc = watchGc();
  for (let i = 0; i < warmupCalls; i++) {
    for (const kind of kinds(['ours', 'bare'])) await runOneCall(starts[kind], null);
  }
  const profiler = options.profile ? new Session() : null;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  const runStarted = performance.now();
  for (let i = 0; i < calls; i++) {
    for (const kind of kinds(i % 2 === 0 ? ['ours', 'bare'] : ['bare', 'ours'])) {
      await runOneCall(starts[kind], sides[kind]);
    }
  }
  const runSeconds = (performance.now() - runStarted) / 1000;
  const profileFile = path.join(PROJECT_ROOT, 'data', 'bench', `turn-${only ?? 'both'}.cpuprofile`);
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    profiler.disconnect();
    mkdirSync(path.dirname(profileFile), { recursive: true });
    writeFileSync(profileFile, JSON.stringify(profile));
  }
  await new Promise((resolve) => setTimeout(resolve, 50)); // the last GC reports come in
  gc.stop();
  for (const side of Object.values(sides)) {
    side.gcMs = side.startedAt.map((at, i) => gc.within(at, side.turnMs[i] ?? 0));
  }

  await reporter.flush();
  const scrape = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const observed = /turn_latency_seconds_count\{stage="total"\} (\d+)/.exec(scrape)?.[1] ?? '0';
  await mainProcess.stop();
  await database.destroy();
  const logLines = readFileSync(logFile, 'utf8').split('\n').filter(Boolean).length;
  rmSync(dir, { recursive: true, force: true });

  const ourTurns = (only === 'bare' ? 0 : calls + warmupCalls) * CALL_SCRIPT.length;
  process.stdout.write(
    report(sides, [
      `worker log lines per turn ${(logLines / Math.max(1, ourTurns)).toFixed(2)}`,
      `turns the metrics server saw ${observed} of ${ourTurns}`,
      `run ${runSeconds.toFixed(1)} s`,
    ]),
  );
  if (profiler) {
    process.stdout.write('(Profiled: the figures above ran under the profiler.)\n');
    process.stdout.write(profileReport(profileFile));
  }
  const problems = [...sides.ours.problems, ...sides.bare.problems];
  if (problems.length > 0) {
    process.stdout.write(`\nThe script did not run as intended (${problems.length}):\n`);
    for (const p of problems.slice(0, 10)) process.stdout.write(`  ${p}\n`);
    process.exitCode = 1;
  }
}

await main();
// The framework keeps timers (user-away, inference) alive after sessions close.
process.exit();
