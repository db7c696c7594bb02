/**
 * Agent turn overhead: what our dealership agent adds to a turn of the real `voice.AgentSession`.
 *
 *   npm run bench:turn [-- --turns 600] [--warmup-calls 4] [--only ours|bare]
 *
 * Text mode, zero-latency scripted model replies (the framework's FakeLLM, ttft and duration 0),
 * so everything our code does on the event loop shows up in the turn. Two variants in the same
 * process, alternating call by call (ours-bare, bare-ours, ...) so machine drift hits both:
 *   ours: the call exactly as the worker builds it (openCall + runCall: the dealership agent and
 *         its tools, the call state machine, the write queue on a SQLite database file opened as
 *         a job process opens it, the transcript/tool/turn-metrics recorder, a pino logger writing
 *         JSON synchronously, the metrics reporter posting to a worker main process), where the
 *         "main process" is a child process with the metrics server and the WAL checkpoints;
 *   bare: a `voice.Agent` with two lines of instructions and stub tools (same names and parameter
 *         schemas, returning a constant) given the same replies: the framework does the same tool
 *         rounds and only our code differs.
 * A turn is `session.run({ userInput }).wait()`. Writes still queued after a call's last turn are
 * drained and reported apart. `--only` runs one variant, for `node --cpu-prof`.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { initializeLogger, llm, voice } from '@livekit/agents';
import { pino } from 'pino';
import { RecordingTelephony } from '../src/calls/telephony-port.js';
import { type Config, parseConfig, PROJECT_ROOT } from '../src/config/index.js';
import { createLogger } from '../src/observability/logger.js';
import { createMetrics } from '../src/observability/metrics.js';
import { dealershipTools } from '../src/worker/agents/dealership-agent.js';
import { openCall, runCall, type WorkerDeps } from '../src/worker/call-session.js';
import { createMetricsReporter } from '../src/worker/metrics-reporter.js';
import { startWorkerMetricsServer } from '../src/worker/metrics-server.js';
import { ScriptedLLM } from '../src/worker/simulator/scripted-llm.js';
import {
  openWorkerDatabase,
  prepareWorkerDatabase,
  startWalCheckpoints,
} from '../src/worker/worker-setup.js';
import { seedInventoryIfEmpty } from '../src/vehicle-lookup/seed-inventory.js';
import { BENCH_VIN, CALL_SCRIPT, usesTools } from './turn-script.js';
import {
  bootstrapDifference,
  mainThreadTimes,
  type Summary,
  summarize,
  watchGc,
} from './turn-stats.js';

const GOAL_P50_MS = 2;
const GOAL_P99_MS = 10;
const MAIN_PROCESS_FLAG = '--worker-main-process';

type Kind = 'ours' | 'bare';

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
}

function count(name: string, fallback: number): number {
  const raw = option(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} needs a whole number`);
  return value;
}

function benchConfig(dataDir: string): Config {
  return parseConfig({
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    KNOWLEDGE_DIR: path.join(PROJECT_ROOT, 'config', 'knowledge'),
    SEED_INVENTORY: 'false',
    LOG_FORMAT: 'json',
    RECORDING_MODE: 'off',
  });
}

/** The worker's main process: the metrics server and the SQLite WAL checkpoints. */
async function workerMainProcess(dataDir: string): Promise<void> {
  const config = benchConfig(dataDir);
  const checkpoints = startWalCheckpoints(config, createLogger(config));
  const server = await startWorkerMetricsServer({
    metrics: createMetrics({ defaultMetrics: false }),
    port: 0,
    host: '127.0.0.1',
  });
  process.send?.({ port: server.port });
  process.once('disconnect', () => {
    void server.close();
    void checkpoints?.stop();
  });
}

function startWorkerMainProcess(dataDir: string) {
  const child = fork(fileURLToPath(import.meta.url), [MAIN_PROCESS_FLAG, dataDir], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`worker main process exited (${code})`)));
  });
  return { child, port };
}

interface BenchCall {
  scripted: ScriptedLLM;
  session: voice.AgentSession<unknown>;
  /** Waits for writes still queued after the last turn. */
  drain(): Promise<void>;
  /** Ends the call (untimed); returns what did not come out as the script intends. */
  end(): Promise<string[]>;
}

const BARE_INSTRUCTIONS =
  'You are the phone assistant of a car dealership.\nAnswer briefly and politely.';
const GREETING =
  'Thanks for calling Riverside Motors, this is the virtual assistant. How can I help you today?';
// Text input ends the turn itself; without this each session builds the default (audio) turn
// detector and warns that it has no VAD.
const TEXT_TURNS: voice.AgentSessionOptions['turnHandling'] = { turnDetection: null };

/** The scripted replies, each after `latencyMs` (0: the zero-latency model). */
class BenchLLM extends ScriptedLLM {
  constructor(private readonly latencyMs: number) {
    super(new Map());
  }

  override lookup(): voice.testing.FakeLLMResponse | undefined {
    const reply = super.lookup();
    return reply && { ...reply, ttft: this.latencyMs };
  }
}

let modelLatencyMs = 0;

const stubTools = dealershipTools.map((tool) =>
  llm.tool({
    name: tool.name,
    description: tool.description,
    parameters: tool.parameters,
    execute: async () => ({ ok: true }),
  }),
);

async function startBareCall(): Promise<BenchCall> {
  const scripted = new BenchLLM(modelLatencyMs);
  const session = new voice.AgentSession({
    llm: scripted,
    vad: null,
    turnHandling: TEXT_TURNS,
    maxToolSteps: 4,
  });
  await session.start({
    agent: new voice.Agent({ instructions: BARE_INSTRUCTIONS, tools: stubTools }),
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

function ourCalls(deps: WorkerDeps) {
  let callNo = 0;
  return async (): Promise<BenchCall> => {
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
    const scripted = new BenchLLM(modelLatencyMs);
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

interface Side {
  turnMs: number[];
  /** Main-thread on-CPU time during each turn (see mainThreadTimes). */
  cpuMs: number[];
  /** Time the main thread waited for a core during each turn: other processes' load. */
  waitMs: number[];
  plainMs: number[];
  toolMs: number[];
  /** GC pause time inside each turn. */
  gcMs: number[];
  drainMs: number[];
  toolCalls: number;
  problems: string[];
}

const newSide = (): Side => ({
  turnMs: [],
  cpuMs: [],
  waitMs: [],
  plainMs: [],
  toolMs: [],
  gcMs: [],
  drainMs: [],
  toolCalls: 0,
  problems: [],
});

async function runOneCall(
  start: () => Promise<BenchCall>,
  side: Side | null,
  gc: ReturnType<typeof watchGc>,
): Promise<void> {
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
    side.gcMs.push(gc.within(started, ms));
    (usesTools(turn) ? side.toolMs : side.plainMs).push(ms);
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

/** How many of the slowest 1% of turns had a GC pause in them, and how much. */
function gcInTail(side: Side): string {
  const order = side.turnMs.map((ms, i) => [ms, i] as const).sort((a, b) => b[0] - a[0]);
  const tail = order.slice(0, Math.max(1, Math.ceil(side.turnMs.length / 100)));
  const withGc = tail.filter(([, i]) => (side.gcMs[i] ?? 0) > 0);
  const gcShare =
    withGc.reduce((s, [, i]) => s + side.gcMs[i]!, 0) / tail.reduce((s, [ms]) => s + ms, 0);
  return `${withGc.length} of ${tail.length} (GC ${(gcShare * 100).toFixed(0)}% of their time)`;
}

function added(ours: readonly number[], bare: readonly number[]) {
  const a = summarize(ours);
  const b = summarize(bare);
  const ci = (p: number) =>
    bootstrapDifference(ours, bare, p)
      .map((x) => x.toFixed(2))
      .join(' to ');
  return {
    p50: a.p50 - b.p50,
    p99: a.p99 - b.p99,
    text:
      `p50 ${(a.p50 - b.p50).toFixed(2)} ms (95% bootstrap ${ci(50)}), ` +
      `p99 ${(a.p99 - b.p99).toFixed(2)} ms (${ci(99)}), mean ${(a.mean - b.mean).toFixed(2)} ms; ` +
      `ratio p50 ${(a.p50 / b.p50).toFixed(2)}x, p99 ${(a.p99 / b.p99).toFixed(2)}x`,
  };
}

/** Mean main-thread CPU by script turn: where our time goes. */
function byTurn({ ours, bare }: Record<Kind, Side>): string {
  const mean = (xs: number[], k: number) => {
    const own = xs.filter((_, i) => i % CALL_SCRIPT.length === k);
    return own.reduce((a, b) => a + b, 0) / Math.max(1, own.length);
  };
  const lines = CALL_SCRIPT.map((turn, k) => {
    const [o, b] = [mean(ours.cpuMs, k), mean(bare.cpuMs, k)];
    const tools = turn.replies.flatMap((r) => r.tool_calls?.map((c) => c.name) ?? []);
    return `  ${String(k + 1).padStart(2)}  ${b.toFixed(2).padStart(6)}  ${o.toFixed(2).padStart(6)}  ${(o - b).toFixed(2).padStart(6)}  ${tools.join(', ') || 'plain reply'}\n`;
  });
  return `\nmain-thread CPU ms by script turn (mean)\n turn    bare    ours   added\n${lines.join('')}`;
}

function report(sides: Record<Kind, Side>, calls: number, extra: string[]): string {
  const f = (ms: number) => ms.toFixed(2).padStart(8);
  const row = (label: string, s: Summary) =>
    `${label.padEnd(36)}${f(s.p50)}${f(s.p99)}${f(s.mean)}${String(s.n).padStart(7)}\n`;
  const { ours, bare } = sides;
  const wall = added(ours.turnMs, bare.turnMs);
  const cpu = added(ours.cpuMs, bare.cpuMs);
  const drain = summarize(ours.drainMs).mean;
  const wait = (side: Side) => summarize(side.waitMs).mean.toFixed(2);
  const met = wall.p50 <= GOAL_P50_MS && wall.p99 <= GOAL_P99_MS;
  return [
    `\n${''.padEnd(36)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'mean ms'.padStart(8)}` +
      `${'turns'.padStart(7)}\n`,
    row('bare voice.Agent (anchor)', summarize(bare.turnMs)),
    row('dealership agent (ours)', summarize(ours.turnMs)),
    row('  bare, plain turns', summarize(bare.plainMs)),
    row('  ours, plain turns', summarize(ours.plainMs)),
    row('  bare, tool turns', summarize(bare.toolMs)),
    row('  ours, tool turns', summarize(ours.toolMs)),
    row('main-thread CPU per turn, bare', summarize(bare.cpuMs)),
    row('main-thread CPU per turn, ours', summarize(ours.cpuMs)),
    byTurn(sides),
    `\nadded per turn (wall): ${wall.text}\n`,
    `added per turn (main-thread CPU): ${cpu.text}\n`,
    `waiting for a core (other processes): mean ${wait(bare)} ms per turn bare, ${wait(ours)} ours\n`,
    `slowest 1% of turns with a GC pause: ours ${gcInTail(ours)}, bare ${gcInTail(bare)}\n`,
    `writes still queued after a call's last turn: ${drain.toFixed(2)} ms per call to drain ` +
      `(${(drain / CALL_SCRIPT.length).toFixed(3)} ms per turn)\n`,
    `tool calls: ours ${ours.toolCalls}, bare ${bare.toolCalls}; ${extra.join('; ')}\n`,
    `goal (wall): <= ${GOAL_P50_MS} ms added at p50 and <= ${GOAL_P99_MS} ms at p99: ` +
      `${met ? 'yes' : 'no'}` +
      (calls * CALL_SCRIPT.length < 500 ? ' (fewer than 500 turns: not a valid run)' : '') +
      '\n',
  ].join('');
}

async function main(): Promise<void> {
  const turns = count('--turns', 600);
  const warmupCalls = count('--warmup-calls', 4);
  const only = (option('--only') ?? null) as Kind | null;
  modelLatencyMs = count('--model-latency-ms', 0);
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
  const mainProcess = startWorkerMainProcess(dir);
  const database = await openWorkerDatabase(config);
  await seedInventoryIfEmpty(database.db, logger);
  const metricsPort = await mainProcess.port;
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
  const sides: Record<Kind, Side> = { ours: newSide(), bare: newSide() };
  process.stdout.write(
    `Agent turn overhead: ${calls} calls x ${CALL_SCRIPT.length} turns per variant ` +
      `(${CALL_SCRIPT.filter(usesTools).length} of ${CALL_SCRIPT.length} turns call tools), ` +
      `${warmupCalls} warm-up calls each, model latency ${modelLatencyMs} ms, node ${process.version}\n`,
  );
  const gc = watchGc();
  for (let i = 0; i < warmupCalls; i++) {
    for (const kind of ['ours', 'bare'] as const) {
      if (only === null || only === kind) await runOneCall(starts[kind], null, gc);
    }
  }
  const runStarted = performance.now();
  for (let i = 0; i < calls; i++) {
    const order: Kind[] = i % 2 === 0 ? ['ours', 'bare'] : ['bare', 'ours'];
    for (const kind of order) {
      if (only === null || only === kind) await runOneCall(starts[kind], sides[kind], gc);
    }
  }
  const runSeconds = (performance.now() - runStarted) / 1000;
  gc.stop();

  await reporter.flush();
  const scrape = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const observed = /turn_latency_seconds_count\{stage="total"\} (\d+)/.exec(scrape)?.[1];
  mainProcess.child.disconnect();
  await database.destroy();
  const logLines = readFileSync(logFile, 'utf8').split('\n').filter(Boolean).length;
  rmSync(dir, { recursive: true, force: true });

  const ourTurns = (only === 'bare' ? 0 : calls + warmupCalls) * CALL_SCRIPT.length;
  process.stdout.write(
    report(sides, calls, [
      `worker log lines per turn ${(logLines / Math.max(1, ourTurns)).toFixed(2)}`,
      `turns seen by the metrics server ${observed ?? 0} of ${ourTurns}`,
      `run ${runSeconds.toFixed(1)} s`,
    ]),
  );
  const problems = [...sides.ours.problems, ...sides.bare.problems];
  if (problems.length > 0) {
    process.stdout.write(`\nThe script did not run as intended (${problems.length}):\n`);
    for (const p of problems.slice(0, 10)) process.stdout.write(`  ${p}\n`);
    process.exitCode = 1;
  }
}

if (process.argv.includes(MAIN_PROCESS_FLAG)) {
  await workerMainProcess(option(MAIN_PROCESS_FLAG)!);
} else {
  await main();
  // The framework keeps timers (user-away, inference) alive after sessions close.
  process.exit();
}
