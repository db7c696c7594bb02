import { spawnSync } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createMetrics } from '../observability/metrics.js';
import { createMetricsReporter } from './metrics-reporter.js';
import { OBSERVATIONS_PATH, pidIsAlive, startWorkerMetricsServer } from './metrics-server.js';

async function startServer(options: { token?: string } = {}) {
  const metrics = createMetrics({ defaultMetrics: false });
  const server = await startWorkerMetricsServer({ metrics, port: 0, ...options });
  onTestFinished(() => server.close());
  return { metrics, server, base: `http://127.0.0.1:${server.port}` };
}

function sample(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

async function scrape(base: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/metrics`, { headers });
  return { status: response.status, text: await response.text(), response };
}

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

const nonLoopbackAddress = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

describe('worker metrics server', () => {
  it('folds what job processes report into the registry it serves', async () => {
    const { base } = await startServer();
    const reporter = createMetricsReporter({ port: Number(new URL(base).port) });
    reporter.record({ type: 'callStarted', callId: 'call-1' });
    reporter.record({ type: 'callStarted', callId: 'call-2' });
    reporter.record({ type: 'turnLatency', stage: 'llm_first_token', ms: 420 });
    reporter.record({ type: 'turnLatency', stage: 'total', ms: 900 });
    reporter.record({ type: 'toolError', tool: 'lookup_vehicle' });
    reporter.record({ type: 'callEnded', callId: 'call-1', outcome: 'completed' });
    reporter.record({ type: 'recordingUploadsPending', count: 2 });
    reporter.record({ type: 'storageError', operation: 'upload' });
    await reporter.flush();

    const { status, text, response } = await scrape(base);
    expect(status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(text, 'callcenter_active_calls')).toBe(1);
    expect(sample(text, 'callcenter_calls_ended_total{outcome="completed"}')).toBe(1);
    expect(
      sample(text, 'callcenter_turn_latency_seconds_bucket{le="0.5",stage="llm_first_token"}'),
    ).toBe(1);
    expect(sample(text, 'callcenter_turn_latency_seconds_sum{stage="total"}')).toBeCloseTo(0.9);
    expect(sample(text, 'callcenter_tool_errors_total{tool="lookup_vehicle"}')).toBe(1);
    expect(sample(text, 'callcenter_recording_uploads_pending')).toBe(2);
    expect(sample(text, 'callcenter_storage_errors_total{operation="upload"}')).toBe(1);
  });

  it('forgets the calls and spool counts of job processes that died without saying so', async () => {
    const { base } = await startServer();
    const gone = deadPid();
    expect(pidIsAlive(gone)).toBe(false);
    const post = (pid: number, observations: unknown[]) =>
      fetch(`${base}${OBSERVATIONS_PATH}`, {
        method: 'POST',
        body: JSON.stringify({ pid, observations }),
      });
    expect(
      (
        await post(gone, [
          { type: 'callStarted', callId: 'crashed-call' },
          { type: 'recordingUploadsPending', count: 3 },
        ])
      ).status,
    ).toBe(204);
    await post(process.pid, [
      { type: 'callStarted', callId: 'live-call' },
      { type: 'recordingUploadsPending', count: 1 },
    ]);
    const { text } = await scrape(base);
    expect(sample(text, 'callcenter_active_calls')).toBe(1);
    expect(sample(text, 'callcenter_recording_uploads_pending')).toBe(1);
  });

  it('rejects malformed batches and label values that could explode cardinality', async () => {
    const { base, metrics } = await startServer();
    const post = (body: string) =>
      fetch(`${base}${OBSERVATIONS_PATH}`, { method: 'POST', body }).then((r) => r.status);
    expect(await post('not json')).toBe(400);
    expect(await post(JSON.stringify({ pid: 1, observations: [{ type: 'nope' }] }))).toBe(400);
    const hostile = { type: 'toolError', tool: 'x'.repeat(65) };
    expect(await post(JSON.stringify({ pid: 1, observations: [hostile] }))).toBe(400);
    const caller = { type: 'toolError', tool: '+1 (555) 010-9999 {caller}' };
    expect(await post(JSON.stringify({ pid: 1, observations: [caller] }))).toBe(400);
    expect(await metrics.toolErrors.get()).toMatchObject({ values: [] });
  });

  it('serves /health and 404s the rest', async () => {
    const { base } = await startServer();
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/worker`)).status).toBe(404);
    expect((await fetch(`${base}${OBSERVATIONS_PATH}`)).status).toBe(404);
  });

  it('requires the bearer token on /metrics when one is configured', async () => {
    const { base } = await startServer({ token: 'scrape-secret' });
    expect((await scrape(base)).status).toBe(401);
    expect((await scrape(base, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await scrape(base, { authorization: 'Bearer scrape-secret' })).status).toBe(200);
  });

  it.skipIf(!nonLoopbackAddress)('accepts observations from loopback only', async () => {
    const { server, metrics } = await startServer();
    const response = await fetch(
      `http://${nonLoopbackAddress}:${server.port}${OBSERVATIONS_PATH}`,
      {
        method: 'POST',
        body: JSON.stringify({ pid: 1, observations: [{ type: 'toolError', tool: 'x' }] }),
      },
    );
    expect(response.status).toBe(403);
    expect((await metrics.toolErrors.get()).values).toEqual([]);
  });
});

describe('metrics reporter', () => {
  it('never throws into call code when the main process is not listening', async () => {
    const warnings: unknown[] = [];
    const logger = { warn: (...args: unknown[]) => warnings.push(args) } as never;
    const reporter = createMetricsReporter({ port: 1, logger, flushDelayMs: 1 });
    reporter.record({ type: 'toolError', tool: 'book_appointment' });
    await expect(reporter.flush()).resolves.toBeUndefined();
    reporter.record({ type: 'toolError', tool: 'book_appointment' });
    await reporter.flush();
    expect(warnings).toHaveLength(1);
  });

  it('delivers everything queued in one flush', async () => {
    const { base, metrics } = await startServer();
    const reporter = createMetricsReporter({ port: Number(new URL(base).port) });
    for (let i = 0; i < 50; i += 1) {
      reporter.record({ type: 'turnLatency', stage: 'total', ms: 100 });
    }
    await reporter.flush();
    const histogram = await metrics.turnLatency.get();
    const count = histogram.values.find((v) => v.metricName?.endsWith('_count'));
    expect(count?.value).toBe(50);
  });
});
