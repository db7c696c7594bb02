import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { WorkerStatus } from '@livekit/protocol';
import {
  afterEach,
  beforeEach,
  describe,
  expect,
  it,
  onTestFailed,
  onTestFinished,
  vi,
} from 'vitest';
import { tempDir } from '../helpers/app.js';
import {
  startFakeAgentServer,
  type FakeAgentServer,
} from '../helpers/fake-livekit-agent-server.js';

const API_KEY = 'APIworkertest';
const API_SECRET = 'worker-test-secret-long-enough-for-hs256';

// Starting a worker forks job and inference processes; on a loaded two-core machine that can take
// many seconds, so waits are generous (they end as soon as the condition holds).
const PROCESS_TIMEOUT_MS = 180_000;
const waitOptions = { timeout: 120_000, interval: 100 };
/** Long enough for the worker to answer a late job offer while it drains, even under load. */
const DRAIN_SECONDS = 3;
/** ServerOptions.numIdleProcesses in the fixture worker. */
const IDLE_PROCESSES = 1;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Worker {
  child: ChildProcess;
  exited: Promise<{ code: number | null; at: number }>;
  /** What the job processes did (entry, shutdown), in order. */
  events: () => string[];
  /** How many job processes have been prewarmed so far. */
  prewarmed: () => number;
  metricsUrl: string;
}

async function startWorker(livekitUrl: string, drainTimeoutSeconds: number): Promise<Worker> {
  const eventsFile = path.join(tempDir(), 'events.log');
  const metricsPort = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/fixtures/worker/main.ts', 'start'],
    {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        DATA_DIR: tempDir(),
        LIVEKIT_URL: livekitUrl,
        LIVEKIT_API_KEY: API_KEY,
        LIVEKIT_API_SECRET: API_SECRET,
        WORKER_HTTP_PORT: String(await freePort()),
        WORKER_METRICS_PORT: String(metricsPort),
        WORKER_DRAIN_TIMEOUT_SECONDS: String(drainTimeoutSeconds),
        WORKER_TEST_EVENTS: eventsFile,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  onTestFinished(() => void child.kill('SIGKILL'));
  // The worker's own log explains a failure better than a timeout does.
  const log: string[] = [];
  const started = Date.now();
  child.stdout?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      log.push(`+${Date.now() - started}ms ${line.slice(0, 300)}`);
    }
  });
  onTestFailed(() => console.error(`worker log:\n${log.join('\n')}`));
  const lines = () =>
    existsSync(eventsFile) ? readFileSync(eventsFile, 'utf8').split('\n').filter(Boolean) : [];
  return {
    child,
    exited: new Promise((resolve) =>
      child.once('exit', (code) => resolve({ code, at: Date.now() })),
    ),
    events: () => lines().filter((line) => !line.startsWith('prewarm')),
    prewarmed: () => lines().filter((line) => line.startsWith('prewarm')).length,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
  };
}

describe('worker process on SIGTERM', () => {
  let livekit: FakeAgentServer;
  beforeEach(async () => {
    livekit = await startFakeAgentServer(API_KEY, API_SECRET);
  });
  afterEach(() => livekit.close());

  it(
    'stops taking calls, lets the active call run to the drain limit, then ends it and exits 143',
    async () => {
      const worker = await startWorker(livekit.url, DRAIN_SECONDS);

      const registration = await livekit.waitFor('register');
      expect(registration.agentName).toBe('callcenter-agent');
      expect(livekit.claims()?.video?.agent).toBe(true);
      await vi.waitFor(
        async () => expect((await fetch(worker.metricsUrl)).status).toBe(200),
        waitOptions,
      );
      // Wait for the idle job processes to be warm: agents 1.8.1's drain() gives up at once if a
      // process is still waiting to start (it throws "runner not started"), which would end the
      // active call immediately instead of after the drain period.
      await vi.waitFor(
        () => expect(worker.prewarmed()).toBeGreaterThanOrEqual(IDLE_PROCESSES),
        waitOptions,
      );

      livekit.offerJob('AJ_active', 'call-room-1');
      expect(await livekit.waitFor('availability', (a) => a.jobId === 'AJ_active')).toMatchObject({
        available: true,
      });
      await vi.waitFor(() => expect(worker.events()).toContain('entry AJ_active'), waitOptions);

      const signalledAt = Date.now();
      const sentBefore = livekit.messages.length;
      worker.child.kill('SIGTERM');
      await vi.waitFor(() => {
        const after = livekit.messages.slice(sentBefore).map((m) => m.message);
        expect(after).toContainEqual({
          case: 'updateWorker',
          value: expect.objectContaining({ status: WorkerStatus.WS_FULL }),
        });
      }, waitOptions);

      livekit.offerJob('AJ_late', 'call-room-2');
      expect(await livekit.waitFor('availability', (a) => a.jobId === 'AJ_late')).toMatchObject({
        available: false,
      });

      const { code, at } = await worker.exited;
      expect(code).toBe(143);
      // The active call was given the whole drain period, then shut down through its callbacks.
      expect(at - signalledAt).toBeGreaterThanOrEqual(DRAIN_SECONDS * 1000);
      expect(worker.events()).toEqual(['entry AJ_active', 'shutdown AJ_active']);
    },
    PROCESS_TIMEOUT_MS,
  );
});
