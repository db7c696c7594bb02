import { afterEach, describe, expect, it, vi } from 'vitest';
import { PeriodicJob } from './periodic-job.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('PeriodicJob', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shares the pass in progress between concurrent runs, then starts a new one', async () => {
    const gate = deferred();
    let passes = 0;
    const job = new PeriodicJob(
      async () => {
        passes += 1;
        await gate.promise;
        return passes;
      },
      { intervalMs: 1000, onError: () => undefined },
    );
    const [a, b] = [job.runOnce(), job.runOnce()];
    gate.resolve();
    expect(await Promise.all([a, b])).toEqual([1, 1]);
    expect(await job.runOnce()).toBe(2);
  });

  it('runs at start and every interval, reports failures, and stops', async () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    let passes = 0;
    const job = new PeriodicJob(
      async () => {
        passes += 1;
        if (passes === 2) throw new Error('storage down');
      },
      { intervalMs: 1000, onError: (error) => errors.push(error) },
    );
    job.start();
    job.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(passes).toBe(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(passes).toBe(3);
    expect(errors).toEqual([new Error('storage down')]);
    await job.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(passes).toBe(3);
  });
});
