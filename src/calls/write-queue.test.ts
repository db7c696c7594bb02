import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../test/helpers/app.js';
import { captureLogs } from '../../test/helpers/log-capture.js';
import { migrateToLatest, openDatabase } from '../db/index.js';
import { createMetrics } from '../observability/metrics.js';
import { directMetricsSink } from '../observability/metrics-sink.js';
import { createCall } from './call-repository.js';
import { appendTranscriptItem, listTranscript } from './transcript-repository.js';
import { isRetryableDbError, WriteQueue } from './write-queue.js';

const line = (n: number) => ({
  itemId: `item_${n}`,
  role: 'user' as const,
  text: `line ${n}`,
  startedAt: null,
  endedAt: null,
  interrupted: false,
  createdAt: '2026-11-21T10:00:00.000Z',
});

const busy = () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });

afterEach(() => {
  vi.useRealTimers();
});

describe('write queue', () => {
  it('waits out a real lock held by another connection, then lands every write in order', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const file = path.join(tempDir(), 'busy.db');
    const handle = openDatabase({ kind: 'sqlite', path: file });
    await migrateToLatest(handle.db, 'sqlite');
    // The worker's connection: fail fast on a lock instead of blocking the event loop.
    await sql`PRAGMA busy_timeout = 0`.execute(handle.db);
    const call = await createCall(handle.db, { roomName: 'busy-room', channel: 'simulator' });

    const other = new SqliteDatabase(file);
    other.exec('BEGIN IMMEDIATE');
    const { logger, lines } = captureLogs();
    const queue = new WriteQueue({ logger, minRetryDelayMs: 10, maxRetryDelayMs: 50 });
    for (let n = 1; n <= 3; n++) {
      queue.enqueue('transcript_item', () => appendTranscriptItem(handle.db, call.id, line(n)));
    }
    await vi.advanceTimersByTimeAsync(500);
    expect(queue.pending).toBe(3);
    expect(await listTranscript(handle.db, call.id)).toEqual([]);
    expect(lines().some((l) => l.msg === 'database busy: retrying write')).toBe(true);

    other.exec('COMMIT');
    await vi.advanceTimersByTimeAsync(100);
    await queue.flush();
    expect((await listTranscript(handle.db, call.id)).map((l) => l.itemId)).toEqual([
      'item_1',
      'item_2',
      'item_3',
    ]);
    expect(queue.lost).toBe(0);
    other.close();
    await handle.destroy();
  });

  it('retries injected transient faults in order and skips a permanent failure', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { logger, lines } = captureLogs();
    const metrics = createMetrics({ defaultMetrics: false });
    const queue = new WriteQueue({
      logger,
      metrics: directMetricsSink(metrics),
      minRetryDelayMs: 5,
      maxRetryDelayMs: 5,
    });
    const landed: string[] = [];
    let failures = 2;
    queue.enqueue('a', async () => {
      if (failures-- > 0) throw Object.assign(new Error('could not serialize'), { code: '40001' });
      landed.push('a');
    });
    queue.enqueue('b', async () => {
      throw Object.assign(new Error('CHECK constraint failed'), { code: 'SQLITE_CONSTRAINT' });
    });
    queue.enqueue('c', async () => {
      landed.push('c');
    });
    await vi.advanceTimersByTimeAsync(100);
    await queue.flush();
    expect(landed).toEqual(['a', 'c']);
    expect(queue.lost).toBe(1);
    expect(lines().find((l) => l.msg === 'database write failed for good')).toMatchObject({
      operation: 'b',
      err: { code: 'SQLITE_CONSTRAINT' },
    });
    expect((await metrics.databaseErrors.get()).values).toEqual([
      expect.objectContaining({ labels: { operation: 'b' }, value: 1 }),
    ]);
  });

  it('drops with a clear log when full, and stops retrying when closed on a dead database', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { logger, lines } = captureLogs();
    const queue = new WriteQueue({ logger, maxSize: 2, minRetryDelayMs: 10, maxRetryDelayMs: 10 });
    const dead = async () => {
      throw busy();
    };
    expect(queue.enqueue('x', dead)).toBe(true);
    expect(queue.enqueue('y', dead)).toBe(true);
    expect(queue.enqueue('z', dead)).toBe(false);
    expect(lines().at(-1)).toMatchObject({
      operation: 'z',
      msg: expect.stringContaining('dropped'),
    });
    const closing = queue.close(1_000);
    await vi.advanceTimersByTimeAsync(1_100);
    await closing;
    expect(queue.pending).toBe(0);
    expect(queue.lost).toBe(3);
    expect(queue.enqueue('late', async () => undefined)).toBe(false);
    expect(
      lines().some(
        (l) => l.msg === 'database writes lost: the database stayed unavailable during shutdown',
      ),
    ).toBe(true);
  });

  it('flushWithin says whether the queue drained in time and never drops what is still waiting', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { logger } = captureLogs();
    const queue = new WriteQueue({ logger, minRetryDelayMs: 10, maxRetryDelayMs: 10 });
    let down = true;
    const landed: string[] = [];
    queue.enqueue('a', async () => {
      if (down) throw busy();
      landed.push('a');
    });
    const waiting = queue.flushWithin(500);
    await vi.advanceTimersByTimeAsync(500);
    expect(await waiting).toBe(false);
    expect(queue.pending).toBe(1);

    down = false;
    const drained = queue.flushWithin(500);
    await vi.advanceTimersByTimeAsync(20);
    expect(await drained).toBe(true);
    expect(landed).toEqual(['a']);
    expect(queue.lost).toBe(0);
  });

  it('close() returns within its bound even when a write never settles', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { logger, lines } = captureLogs();
    const queue = new WriteQueue({ logger });
    // A query on a connection to a server that went silent: no answer, no error.
    queue.enqueue('stuck', () => new Promise(() => undefined));
    queue.enqueue('behind', async () => undefined);
    let closed = false;
    const closing = queue.close(1_000).then(() => {
      closed = true;
    });
    await vi.advanceTimersByTimeAsync(1_000);
    await closing;
    expect(closed).toBe(true);
    expect(queue.pending).toBe(0);
    expect(queue.lost).toBe(2);
    expect(lines().find((l) => l.msg?.toString().startsWith('database writes lost'))).toMatchObject(
      {
        left: 2,
        timeoutMs: 1_000,
      },
    );
  });

  it('classifies transient errors', () => {
    expect(isRetryableDbError(busy())).toBe(true);
    expect(isRetryableDbError({ code: '40P01' })).toBe(true);
    expect(isRetryableDbError({ code: '08006' })).toBe(true);
    expect(isRetryableDbError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isRetryableDbError({ code: '23505' })).toBe(false);
    expect(isRetryableDbError(new Error('syntax error'))).toBe(false);
    expect(isRetryableDbError(null)).toBe(false);
  });
});
