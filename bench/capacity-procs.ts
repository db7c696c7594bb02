/**
 * The worker side of the capacity benchmark: the framework's own job and inference processes
 * (`job_proc_lazy_main.js`, `inference_proc_lazy_main.js` from @livekit/agents), started and
 * spoken to over IPC the way the worker's process pool does, without a LiveKit server.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchCommand, BenchReport, CallOptions, CallStats } from './capacity-call.js';

const AGENTS_DIST = dirname(createRequire(import.meta.url).resolve('@livekit/agents'));
const JOB_MAIN = join(AGENTS_DIST, 'ipc', 'job_proc_lazy_main.js');
const INFERENCE_MAIN = join(AGENTS_DIST, 'ipc', 'inference_proc_lazy_main.js');
/** The runner the worker registers for the local turn detector (worker.ts maybeRegisterLocalEotRunner). */
const EOT_RUNNER = pathToFileURL(join(AGENTS_DIST, 'inference', 'eot', 'runner.js')).href;
const EOT_METHOD = 'lk_eot_audio';

/** The lazy mains exit when they hear nothing for 15 s; the worker pings every 5 s too. */
const PING_INTERVAL_MS = 5000;
/** A job process gets this long to close its session and recorder before it is killed. */
const SHUTDOWN_TIMEOUT_MS = 10_000;
const LOGGER_OPTIONS = { pretty: false, level: 'warn' };

type FrameworkMessage = { case: string; value?: unknown };
type Message = FrameworkMessage | BenchReport;
type ReportValue<K extends BenchReport['case']> = Extract<BenchReport, { case: K }>['value'];

export interface ProcOptions {
  env: Record<string, string>;
  /** Where the children's stdout/stderr go (a file descriptor). */
  logFd: number;
  execArgv: string[];
}

/** Sends unless the IPC channel is closing (a process shutting down): then the message is moot. */
function send(proc: ChildProcess, message: unknown): void {
  if (!proc.connected) return;
  // With a callback, a failure (ERR_IPC_CHANNEL_CLOSED while the child shuts down) is passed
  // to it instead of being thrown as an 'error' event.
  proc.send(message as object, () => {});
}

function startPings(proc: ChildProcess): NodeJS.Timeout {
  // Without a listener a failed send is an unhandled 'error' event that ends the benchmark.
  proc.on('error', () => {});
  const timer = setInterval(() => {
    send(proc, { case: 'pingRequest', value: { timestamp: Date.now() } });
  }, PING_INTERVAL_MS);
  timer.unref();
  return timer;
}

async function waitFor<T>(
  proc: ChildProcess,
  match: (m: Message) => T | undefined,
  what: string,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (m: Message) => {
      const value = match(m);
      if (value === undefined) return;
      cleanup();
      resolve(value);
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(new Error(`${what}: process ${proc.pid} exited (code ${code}, signal ${signal})`));
    };
    const cleanup = () => {
      proc.off('message', onMessage);
      proc.off('exit', onExit);
    };
    proc.on('message', onMessage);
    proc.on('exit', onExit);
  });
}

async function stop(proc: ChildProcess, timeoutMs = SHUTDOWN_TIMEOUT_MS): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = once(proc, 'exit');
  send(proc, { case: 'shutdownRequest', value: { reason: 'benchmark done' } });
  const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

/** The shared inference process running the local turn detector's model for every call. */
export class InferenceProcess {
  readonly proc: ChildProcess;
  readonly #pending = new Map<string, (m: { data?: unknown; error?: unknown }) => void>();
  readonly #pings: NodeJS.Timeout;
  #next = 0;
  /** Round trips of the turn detector's requests since the last `takeRoundTrips()`, ms. */
  #roundTrips: number[] = [];

  private constructor(proc: ChildProcess) {
    this.proc = proc;
    this.#pings = startPings(proc);
    proc.on('message', (m: FrameworkMessage) => {
      if (m.case !== 'inferenceResponse') return;
      const v = m.value as { requestId: string; data?: unknown; error?: unknown };
      this.#pending.get(v.requestId)?.(v);
      this.#pending.delete(v.requestId);
    });
  }

  static async start(options: ProcOptions): Promise<InferenceProcess> {
    const proc = fork(INFERENCE_MAIN, [JSON.stringify({ [EOT_METHOD]: EOT_RUNNER })], {
      env: options.env,
      execArgv: options.execArgv,
      stdio: ['ignore', options.logFd, options.logFd, 'ipc'],
    });
    const self = new InferenceProcess(proc);
    send(proc, { case: 'initializeRequest', value: { loggerOptions: LOGGER_OPTIONS } });
    await waitFor(proc, (m) => (m.case === 'initializeResponse' ? true : undefined), 'inference');
    return self;
  }

  async doInference(method: string, data: unknown): Promise<{ data?: unknown; error?: unknown }> {
    const requestId = `bench_${this.#next++}`;
    const started = performance.now();
    const answer = new Promise<{ data?: unknown; error?: unknown }>((resolve) =>
      this.#pending.set(requestId, resolve),
    );
    send(this.proc, { case: 'inferenceRequest', value: { requestId, method, data } });
    const result = await answer;
    this.#roundTrips.push(performance.now() - started);
    return result;
  }

  takeRoundTrips(): number[] {
    return this.#roundTrips.splice(0);
  }

  async stop(): Promise<void> {
    clearInterval(this.#pings);
    await stop(this.proc, 5000);
  }
}

/** One job process: the worker's prewarm, then one job (one call, or `sessions` calls). */
export class CallProcess {
  readonly proc: ChildProcess;
  readonly #pings: NodeJS.Timeout;
  /** From fork to the end of prewarm (what `initializeProcessTimeout` bounds), ms. */
  prewarmMs = 0;
  /** From fork to the call's greeting played and the caller talking, ms. */
  readyMs = 0;
  /** Memory the process reported at each stage of its start. */
  readonly stages: { stage: string; memory: NodeJS.MemoryUsage }[] = [];

  private constructor(proc: ChildProcess, inference: InferenceProcess | null) {
    this.proc = proc;
    this.#pings = startPings(proc);
    proc.on('message', (m: Message) => {
      if (m.case === 'benchMemory')
        this.stages.push((m as { value: ReportValue<'benchMemory'> }).value);
      if (m.case !== 'inferenceRequest') return;
      const req = m.value as { requestId: string; method: string; data: unknown };
      const answer: Promise<{ data?: unknown; error?: unknown }> = inference
        ? inference.doInference(req.method, req.data)
        : Promise.resolve({ error: { message: 'no inference process' } });
      void answer.then((result) =>
        send(proc, {
          case: 'inferenceResponse',
          value: { data: result.data, error: result.error, requestId: req.requestId },
        }),
      );
    });
  }

  get pid(): number {
    return this.proc.pid ?? 0;
  }

  /** Forks the framework's job process with the benchmark's agent module and starts one job. */
  static async start(
    agentModule: string,
    call: CallOptions,
    jobId: string,
    options: ProcOptions,
    inference: InferenceProcess | null,
  ): Promise<CallProcess> {
    const proc = fork(JOB_MAIN, [agentModule, JSON.stringify(call)], {
      env: options.env,
      execArgv: options.execArgv,
      stdio: ['ignore', options.logFd, options.logFd, 'ipc'],
    });
    const self = new CallProcess(proc, inference);
    const forkedAt = performance.now();
    send(proc, {
      case: 'initializeRequest',
      value: { loggerOptions: LOGGER_OPTIONS, sessionEndTimeout: 10_000 },
    });
    await waitFor(proc, (m) => (m.case === 'initializeResponse' ? true : undefined), 'prewarm');
    self.prewarmMs = performance.now() - forkedAt;
    send(proc, {
      case: 'startJobRequest',
      value: {
        runningJob: {
          acceptArguments: { name: 'agent', identity: `agent-${jobId}`, metadata: '' },
          job: { id: jobId, room: { sid: `RM_${jobId}`, name: `bench_${jobId}` }, agentName: '' },
          url: 'ws://127.0.0.1:7880',
          token: '',
          workerId: 'bench',
          // No room behind the job: ctx.connect() and room deletion are no-ops.
          fakeJob: true,
        },
      },
    });
    await waitFor(proc, (m) => (m.case === 'benchReady' ? true : undefined), 'session start');
    self.readyMs = performance.now() - forkedAt;
    return self;
  }

  /** Sends a command and waits for the job process's report of kind `answer`. */
  async #ask<K extends BenchReport['case']>(
    command: BenchCommand,
    answer: K,
  ): Promise<ReportValue<K>> {
    const reply = waitFor<ReportValue<K>>(
      this.proc,
      (m) => (m.case === answer ? (m as { value: ReportValue<K> }).value : undefined),
      answer,
    );
    send(this.proc, command);
    return reply;
  }

  /** The call's figures since the last collect (and resets them). */
  collect(): Promise<CallStats> {
    return this.#ask({ case: 'benchCollect' }, 'benchStats');
  }

  async heapSnapshot(path: string): Promise<string> {
    return (await this.#ask({ case: 'benchHeapSnapshot', value: { path } }, 'benchHeapSnapshot'))
      .path;
  }

  /** Starts the V8 CPU profiler in the job process; `stopProfile` writes the profile to `path`. */
  startProfile(): void {
    send(this.proc, { case: 'benchProfileStart' } satisfies BenchCommand);
  }

  async stopProfile(path: string): Promise<string> {
    return (await this.#ask({ case: 'benchProfileStop', value: { path } }, 'benchProfile')).path;
  }

  async stop(): Promise<void> {
    clearInterval(this.#pings);
    await stop(this.proc);
  }
}
