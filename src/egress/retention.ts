import type { Db } from '../db/index.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { listRecordingsStartedBefore, type RecordingCursor } from './recording-queries.js';
import { deleteRecording, type Recording } from './recording-repository.js';
import { PeriodicJob } from './periodic-job.js';
import type { RecordingStore } from './recording-store.js';

const DAY_MS = 86_400_000;
const UNITS: Record<string, number> = { h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS };

/** Parses an age such as `90d`, `12h` or `2w` into milliseconds; throws on anything else. */
export function parseAge(text: string): number {
  const match = /^(\d+)([hdw])$/.exec(text.trim());
  const unit = match?.[2] ? UNITS[match[2]] : undefined;
  if (!match || unit === undefined || Number(match[1]) <= 0) {
    throw new Error(`invalid age "${text}": use a number with h, d or w, e.g. 90d`);
  }
  return Number(match[1]) * unit;
}

export interface PurgeProgress {
  /** Recordings looked at so far. */
  examined: number;
  deleted: number;
  /** Still recording or waiting for upload: never purged. */
  skipped: number;
  /** Storage refused the delete; the row is kept so a later purge retries. */
  failed: number;
  bytes: number;
}

export interface PurgeOptions {
  db: Db;
  store: RecordingStore;
  /** Recordings whose call started before this are purged. */
  cutoff: Date;
  dryRun?: boolean;
  batchSize?: number;
  logger?: Logger | undefined;
  metrics?: Metrics | undefined;
  /** Called for each recording with what happens (or, in a dry run, would happen) to it. */
  onItem?: (recording: Recording, action: 'delete' | 'skip' | 'failed') => void;
  /** Called after each batch. */
  onProgress?: (progress: PurgeProgress) => void;
}

const IN_FLIGHT = new Set(['recording', 'pending']);

/**
 * Deletes recordings (object first, then row) whose call started before the cutoff, in batches,
 * oldest first. In-flight recordings are left alone.
 */
export async function purgeRecordings(options: PurgeOptions): Promise<PurgeProgress> {
  const { db, cutoff, logger } = options;
  const batchSize = options.batchSize ?? 200;
  const progress: PurgeProgress = { examined: 0, deleted: 0, skipped: 0, failed: 0, bytes: 0 };
  let after: RecordingCursor | null = null;
  for (;;) {
    const batch = await listRecordingsStartedBefore(db, cutoff, after, batchSize);
    if (batch.length === 0) break;
    for (const recording of batch) {
      progress.examined += 1;
      const action = IN_FLIGHT.has(recording.status)
        ? 'skip'
        : await purgeOne(options, recording).then(
            () => 'delete' as const,
            (error: unknown) => {
              options.metrics?.storageErrors.inc({ operation: 'delete' });
              logger?.warn({ recordingId: recording.id, err: error }, 'recording not purged');
              return 'failed' as const;
            },
          );
      if (action === 'skip') progress.skipped += 1;
      if (action === 'failed') progress.failed += 1;
      if (action === 'delete') {
        progress.deleted += 1;
        progress.bytes += recording.sizeBytes ?? 0;
      }
      options.onItem?.(recording, action);
    }
    const last = batch.at(-1);
    after = last ? { startedAt: last.startedAt, id: last.id } : null;
    options.onProgress?.({ ...progress });
  }
  logger?.info(
    { ...progress, cutoff: cutoff.toISOString(), dryRun: Boolean(options.dryRun) },
    'recordings purged',
  );
  return progress;
}

async function purgeOne(options: PurgeOptions, recording: Recording): Promise<void> {
  if (options.dryRun) return;
  // A failed egress can still have left a partial object behind; deleting a missing key is fine.
  await options.store.remove(recording.storageKey);
  await deleteRecording(options.db, recording.id);
}

export interface RetentionJobOptions {
  db: Db;
  store: RecordingStore;
  retentionDays: number;
  intervalMs: number;
  logger?: Logger | undefined;
  metrics?: Metrics | undefined;
  now?: () => Date;
}

/** The scheduled purge in the API process (RETENTION_DAYS; off when unset). */
export class RetentionJob {
  private readonly job: PeriodicJob<PurgeProgress>;

  constructor(options: RetentionJobOptions) {
    const now = options.now ?? (() => new Date());
    this.job = new PeriodicJob(
      () =>
        purgeRecordings({
          db: options.db,
          store: options.store,
          cutoff: new Date(now().getTime() - options.retentionDays * DAY_MS),
          logger: options.logger,
          metrics: options.metrics,
        }),
      {
        intervalMs: options.intervalMs,
        onError: (error) =>
          options.logger?.error({ err: error }, 'scheduled recording purge failed'),
      },
    );
  }

  runOnce(): Promise<PurgeProgress> {
    return this.job.runOnce();
  }

  start(): void {
    this.job.start();
  }

  stop(): Promise<void> {
    return this.job.stop();
  }
}
