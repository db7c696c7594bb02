import pRetry, { AbortError } from 'p-retry';
import type { Logger } from '../observability/logger.js';
import type { MetricsSink } from '../observability/metrics-sink.js';

/** SQLite lock errors and PostgreSQL serialization/connection failures: worth trying again. */
const RETRYABLE_SQLITE = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED']);
const RETRYABLE_PG = new Set(['40001', '40P01', '53300', '55P03', '57P01', '57P02', '57P03']);
const RETRYABLE_NET = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

/** Whether a database error is transient (busy, locked, serialization, connection lost). */
export function isRetryableDbError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (RETRYABLE_SQLITE.has(code) || RETRYABLE_PG.has(code) || RETRYABLE_NET.has(code)) {
      return true;
    }
    if (code.startsWith('08')) return true; // PostgreSQL connection exception class
  }
  const message = (error as { message?: unknown }).message;
  return (
    typeof message === 'string' &&
    /Connection terminated|timeout exceeded when trying to connect|database is locked/i.test(
      message,
    )
  );
}

export interface WriteQueueOptions {
  logger: Logger;
  metrics?: MetricsSink;
  /** Writes held at most; beyond it new writes are dropped with an error log. */
  maxSize?: number;
  /** Backoff between attempts of a transient failure (ms). */
  minRetryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Attempts per write before it is given up (transient errors only); default: until closed. */
  maxAttempts?: number;
}

interface Job {
  operation: string;
  write: () => Promise<unknown>;
}

/**
 * An in-memory FIFO of database writes, drained one at a time in the background so the audio path
 * never waits on the database. Transient failures (SQLITE_BUSY, PostgreSQL serialization or
 * connection errors) are retried with backoff in order, so writes of one call land in the order
 * they were made; a permanent failure is logged and the next write goes on. `close()` drains what
 * is left (call it from the job's shutdown callback).
 */
export class WriteQueue {
  readonly #jobs: Job[] = [];
  readonly #options: Required<Omit<WriteQueueOptions, 'metrics'>> &
    Pick<WriteQueueOptions, 'metrics'>;
  readonly #stop = new AbortController();
  #draining: Promise<void> | null = null;
  #closed = false;
  #dropped = 0;
  #failed = 0;

  constructor(options: WriteQueueOptions) {
    this.#options = {
      maxSize: 10_000,
      minRetryDelayMs: 25,
      maxRetryDelayMs: 2_000,
      maxAttempts: Number.POSITIVE_INFINITY,
      ...options,
    };
  }

  /** Writes waiting or in flight. */
  get pending(): number {
    return this.#jobs.length;
  }

  /** Writes dropped because the queue was full or closed, plus writes that failed for good. */
  get lost(): number {
    return this.#dropped + this.#failed;
  }

  /**
   * Queues a write and returns at once. `operation` is a static label for logs and metrics (never
   * data). Returns false when the write was dropped (queue full or closed).
   */
  enqueue(operation: string, write: () => Promise<unknown>): boolean {
    if (this.#closed || this.#jobs.length >= this.#options.maxSize) {
      this.#dropped++;
      this.#options.logger.error(
        { operation, pending: this.#jobs.length, closed: this.#closed },
        'database write dropped: write queue full or closed',
      );
      this.#options.metrics?.record({ type: 'databaseError', operation });
      return false;
    }
    this.#jobs.push({ operation, write });
    this.#draining ??= this.#drain().finally(() => {
      this.#draining = null;
    });
    return true;
  }

  /** Resolves when every write queued so far has landed (or failed for good). */
  async flush(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  /**
   * Waits at most `timeoutMs` for the queue to drain; true when it did. Nothing is dropped when
   * the time runs out: the writes go on in the background. For callers that must not hang on a
   * dead database (a transfer waiting for its target to be stored, shutdown).
   */
  async flushWithin(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([this.flush().then(() => true as const), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Stops accepting writes and drains the rest. After `timeoutMs` retries stop, a write still in
   * flight is abandoned, and what is left is counted as lost (and logged): the caller's shutdown
   * must not hang on a dead database.
   */
  async close(timeoutMs = 10_000): Promise<void> {
    this.#closed = true;
    if (await this.flushWithin(timeoutMs)) return;
    const left = this.#jobs.length;
    // Aborting makes the write in flight and every write behind it give up at once.
    this.#stop.abort();
    await this.flush();
    this.#options.logger.error(
      { left, timeoutMs },
      'database writes lost: the database stayed unavailable during shutdown',
    );
  }

  async #drain(): Promise<void> {
    for (let job = this.#jobs[0]; job; job = this.#jobs[0]) {
      await this.#run(job);
      this.#jobs.shift();
    }
  }

  async #run(job: Job): Promise<void> {
    const { logger, metrics, minRetryDelayMs, maxRetryDelayMs, maxAttempts } = this.#options;
    try {
      await pRetry(
        async () => {
          if (this.#stop.signal.aborted) throw new AbortError('write queue stopped');
          return untilAborted(job.write(), this.#stop.signal);
        },
        {
          retries: maxAttempts - 1,
          minTimeout: minRetryDelayMs,
          maxTimeout: maxRetryDelayMs,
          factor: 2,
          randomize: true,
          signal: this.#stop.signal,
          shouldRetry: ({ error }) => isRetryableDbError(error),
          onFailedAttempt: ({ error, attemptNumber }) => {
            if (isRetryableDbError(error) && (attemptNumber === 1 || attemptNumber % 20 === 0)) {
              logger.warn(
                { operation: job.operation, attempt: attemptNumber, err: describeError(error) },
                'database busy: retrying write',
              );
            }
          },
        },
      );
    } catch (error) {
      this.#failed++;
      metrics?.record({ type: 'databaseError', operation: job.operation });
      if (this.#stop.signal.aborted) return; // counted and logged once by close()
      logger.error(
        { operation: job.operation, err: describeError(error) },
        'database write failed for good',
      );
    }
  }
}

/**
 * The write's result, or an AbortError as soon as the queue stops: a query that never returns (a
 * connection to a server that went silent) must not hold up `close()`.
 */
function untilAborted<T>(write: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortError('write queue stopped'));
    signal.addEventListener('abort', onAbort, { once: true });
    write.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Code and message only: PostgreSQL's `detail` can quote row values. */
function describeError(error: unknown): { code?: string; message: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? { code, message: error.message } : { message: error.message };
  }
  return { message: String(error) };
}
