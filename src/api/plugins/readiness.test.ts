import Fastify from 'fastify';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import readiness, { READINESS_TIMEOUT_MS, type CheckResult } from './readiness.js';

async function registry() {
  const app = Fastify();
  await app.register(readiness);
  await app.ready();
  onTestFinished(() => app.close());
  return app.readiness;
}

describe('readiness registry', () => {
  it('runs every check and reports status and latency for each', async () => {
    const checks = await registry();
    checks.add('database', async () => undefined);
    checks.add('storage', async () => {
      throw new Error('bucket missing');
    });
    checks.skip('livekit', 'not configured');
    const results = await checks.run();
    expect(results).toEqual({
      database: { status: 'ok', latencyMs: expect.any(Number) },
      storage: { status: 'down', latencyMs: expect.any(Number), error: 'bucket missing' },
      livekit: { status: 'skipped', latencyMs: 0, reason: 'not configured' },
    });
  });

  it('reports a check that hangs as down after the timeout', async () => {
    vi.useFakeTimers();
    onTestFinished(() => void vi.useRealTimers());
    const checks = await registry();
    checks.add('storage', () => new Promise(() => undefined));
    const pending = checks.run();
    await vi.advanceTimersByTimeAsync(READINESS_TIMEOUT_MS);
    expect((await pending).storage).toMatchObject({
      status: 'down',
      error: `no answer within ${READINESS_TIMEOUT_MS} ms`,
    });
  });

  it('tells listeners every result and refuses duplicate names', async () => {
    const checks = await registry();
    const seen: [string, CheckResult['status']][] = [];
    checks.onResult((name, result) => seen.push([name, result.status]));
    checks.add('database', async () => undefined);
    checks.skip('livekit', 'not configured');
    await checks.run();
    expect(seen).toEqual([
      ['database', 'ok'],
      ['livekit', 'skipped'],
    ]);
    expect(() => checks.skip('database', 'again')).toThrow(/registered twice/);
  });
});
