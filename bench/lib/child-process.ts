import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

/** A message between a bench script and a child it started: `type` says what it is. */
export interface ChildMessage {
  type: string;
  [key: string]: unknown;
}

export interface StartChildOptions {
  /** Arguments after the script path. */
  args?: string[];
  /** Node flags before the script (the TypeScript loader is added). */
  execArgv?: string[];
  /** `taskset -c` CPU list to pin the child to, e.g. "1". */
  cpus?: string;
  /** How long the child may take to send `{ type: 'ready' }`. */
  readyTimeoutMs?: number;
}

/** A child process running a TypeScript module, with request/answer messaging over IPC. */
export interface BenchChild {
  readonly pid: number;
  /** What the child sent with `ready` (a port, for instance). */
  readonly ready: ChildMessage;
  /** Sends a message and waits for the child's next message of type `answerType`. */
  request(message: ChildMessage, answerType: string): Promise<ChildMessage>;
  /** Asks the child to stop (`{ type: 'stop' }`), killing it if it does not exit in time. */
  stop(timeoutMs?: number): Promise<void>;
}

function nextMessage(child: ChildProcess, type: string, timeoutMs?: number): Promise<ChildMessage> {
  return new Promise((resolve, reject) => {
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(
            () => done(new Error(`no "${type}" message within ${timeoutMs} ms`)),
            timeoutMs,
          );
    const onMessage = (message: ChildMessage) => {
      if (message.type === 'error') done(new Error(String(message.message)));
      else if (message.type === type) done(null, message);
    };
    const onExit = (code: number | null, signal: string | null) =>
      done(new Error(`child exited (${signal ?? code}) before sending "${type}"`));
    function done(error: Error | null, message?: ChildMessage) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(message as ChildMessage);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/**
 * Starts `node --import tsx <script>` as a child with an IPC channel, its output on ours, and
 * waits for its `ready` message. Children stay out of the parent's event loop and, pinned, off
 * its core.
 */
export async function startChild(
  script: string,
  options: StartChildOptions = {},
): Promise<BenchChild> {
  const nodeArgs = [
    ...(options.execArgv ?? []),
    '--import',
    'tsx',
    script,
    ...(options.args ?? []),
  ];
  const [command, args] = options.cpus
    ? ['taskset', ['-c', options.cpus, process.execPath, ...nodeArgs]]
    : [process.execPath, nodeArgs];
  const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await nextMessage(child, 'ready', options.readyTimeoutMs ?? 120_000).catch(
    (error: unknown) => {
      child.kill('SIGKILL');
      throw error;
    },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${script} did not start`);
  return {
    pid,
    ready,
    async request(message, answerType) {
      const answer = nextMessage(child, answerType);
      child.send(message);
      return answer;
    },
    async stop(timeoutMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * The child's side: answers the parent's messages with `handle`; `stop` runs `onStop` and exits.
 * A handler that throws answers `{ type: 'error' }`, which fails the parent's request.
 */
export function serveParent(
  handle: (message: ChildMessage) => Promise<ChildMessage>,
  onStop: () => Promise<void>,
): void {
  const send = (message: ChildMessage) => process.send?.(message);
  process.on('message', (message: ChildMessage) => {
    if (message.type === 'stop') {
      void onStop().finally(() => process.exit(0));
      return;
    }
    handle(message).then(send, (error: unknown) =>
      send({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
    );
  });
  // The parent died: nothing will ever stop us otherwise.
  process.on('disconnect', () => void onStop().finally(() => process.exit(0)));
}

/** Reports a failed start to the parent, which is waiting for `ready`, and exits 1. */
export function failStart(error: unknown): void {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`${message}\n`);
  if (process.send) process.send({ type: 'error', message }, () => process.exit(1));
  else process.exit(1);
}
