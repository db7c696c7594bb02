import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { hostname } from 'node:os';
import type { Readable } from 'node:stream';
import type { Db } from '../db/index.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import {
  createRecording,
  deleteRecording,
  findRecordingForCall,
  getRecording,
  type Recording,
} from './recording-repository.js';
import { claimUpload, completeUpload, releaseUpload } from './upload-lease-repository.js';
import { hashStoredObject, type RecordingStore } from './recording-store.js';
import {
  pendingRecordingFor,
  SpoolIntegrityError,
  UploadSpool,
  type CompleteManifest,
} from './upload-spool.js';

export interface UploadWorkerOptions {
  db: Db;
  store: RecordingStore;
  spoolDir: string;
  logger?: Logger | undefined;
  metrics?: Metrics | undefined;
  /** Identifies this process in the lease column; unique per instance by default. */
  owner?: string;
  now?: () => Date;
  /** How long a claimed upload stays ours; another process may take it over after this. */
  leaseMs?: number;
  /** An upload (with its read-back check) that takes longer fails and is retried; below `leaseMs`. */
  uploadTimeoutMs?: number;
  /** First retry delay; doubles per failed attempt up to `maxBackoffMs`. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** How often the background loop looks at the spool. */
  pollIntervalMs?: number;
  /** While an egress recording of the same call is still running, look again after this. */
  egressWaitMs?: number;
}

/** What one pass over the spool did. */
export interface UploadPassResult {
  uploaded: string[];
  failed: string[];
  /** Agent recordings not needed because the egress recording of the call succeeded. */
  superseded: string[];
  /** Recordings still in the spool after the pass. */
  pending: number;
}

const DEFAULTS = {
  leaseMs: 5 * 60_000,
  uploadTimeoutMs: 4 * 60_000,
  baseBackoffMs: 5_000,
  maxBackoffMs: 15 * 60_000,
  pollIntervalMs: 15_000,
  egressWaitMs: 60_000,
};

/** Rejects when `work` takes longer than `ms` (after calling `onTimeout`). */
async function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new Error(`storage did not answer within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
    // The losing side may still reject later (aborted stream); nobody waits for it.
    work.catch(() => undefined);
  }
}

/** The error for the row: S3 and system errors carry a code worth keeping (AccessDenied, ECONNREFUSED). */
function message(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !text.includes(code) ? `${code}: ${text}` : text;
}

/**
 * Uploads spooled recordings with exponential backoff, verified (size and sha256 read back from
 * storage) before the row says `uploaded` and before the spool file is deleted. Runs in the worker
 * and in the API process at once safely: a database lease decides who uploads what.
 */
export class UploadWorker {
  readonly spool: UploadSpool;
  private readonly owner: string;
  private readonly now: () => Date;
  private readonly settings: typeof DEFAULTS;
  private running: Promise<UploadPassResult> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;

  constructor(private readonly options: UploadWorkerOptions) {
    this.spool = new UploadSpool(options.spoolDir);
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.now = options.now ?? (() => new Date());
    this.settings = {
      leaseMs: options.leaseMs ?? DEFAULTS.leaseMs,
      uploadTimeoutMs: options.uploadTimeoutMs ?? DEFAULTS.uploadTimeoutMs,
      baseBackoffMs: options.baseBackoffMs ?? DEFAULTS.baseBackoffMs,
      maxBackoffMs: options.maxBackoffMs ?? DEFAULTS.maxBackoffMs,
      pollIntervalMs: options.pollIntervalMs ?? DEFAULTS.pollIntervalMs,
      egressWaitMs: options.egressWaitMs ?? DEFAULTS.egressWaitMs,
    };
  }

  /** The delay before attempt `attempts + 1`, after `attempts` failures. */
  backoffMs(attempts: number): number {
    const exponent = Math.max(0, attempts - 1);
    return Math.min(this.settings.maxBackoffMs, this.settings.baseBackoffMs * 2 ** exponent);
  }

  /** One pass over the spool; concurrent calls share the pass in progress. */
  runOnce(): Promise<UploadPassResult> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Starts the background loop (first pass right away). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Asks for a pass soon (e.g. right after a recording was spooled). */
  runSoon(): void {
    if (this.stopped) {
      void this.runOnce().catch((error: unknown) => this.logPassError(error));
      return;
    }
    this.schedule(0);
  }

  /** Stops the loop and waits for the pass in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.runOnce()
        .catch((error: unknown) => this.logPassError(error))
        .finally(() => {
          if (!this.stopped && !this.timer) this.schedule(this.settings.pollIntervalMs);
        });
    }, delayMs);
    this.timer.unref();
  }

  private logPassError(error: unknown): void {
    this.options.logger?.error({ err: error }, 'recording upload pass failed');
  }

  private async pass(): Promise<UploadPassResult> {
    const result: UploadPassResult = { uploaded: [], failed: [], superseded: [], pending: 0 };
    for (const entry of await this.spool.list()) {
      const id = entry.manifest.recordingId;
      if (entry.missing) {
        this.options.logger?.error(
          { recordingId: id, callId: entry.manifest.callId, error: entry.error },
          'spooled recording has no audio file',
        );
        result.pending += 1;
        continue;
      }
      try {
        const outcome = await this.process(entry.manifest);
        if (outcome === 'uploaded') result.uploaded.push(id);
        else if (outcome === 'superseded') result.superseded.push(id);
        else if (outcome === 'failed') result.failed.push(id);
        if (outcome !== 'uploaded' && outcome !== 'superseded' && outcome !== 'cleaned') {
          result.pending += 1;
        }
      } catch (error) {
        // Database trouble: leave everything in place for the next pass.
        this.options.metrics?.databaseErrors.inc({ operation: 'recording_upload' });
        this.options.logger?.warn({ recordingId: id, err: error }, 'recording upload deferred');
        result.pending += 1;
      }
    }
    this.options.metrics?.recordingUploadsPending.set(result.pending);
    return result;
  }

  /** The row for a spooled recording; recreated from the manifest when spooling could not write it. */
  private async ensureRow(manifest: CompleteManifest): Promise<Recording | null> {
    const existing = await getRecording(this.options.db, manifest.recordingId);
    if (existing) return existing;
    const { recording, created } = await createRecording(
      this.options.db,
      pendingRecordingFor(manifest),
      this.now(),
    );
    if (!created) {
      // The call already has an agent recording under another id: keep this file, upload nothing.
      this.options.logger?.error(
        { recordingId: manifest.recordingId, callId: manifest.callId, existingId: recording.id },
        'spooled recording duplicates an existing one; left in the spool',
      );
      return null;
    }
    return recording;
  }

  private async process(
    manifest: CompleteManifest,
  ): Promise<'uploaded' | 'superseded' | 'cleaned' | 'failed' | 'waiting'> {
    const { db } = this.options;
    const row = await this.ensureRow(manifest);
    if (!row) return 'waiting';
    if (row.status === 'uploaded') {
      // Uploaded by us before a crash, or by another process sharing this spool.
      await this.spool.remove(manifest.recordingId);
      return 'cleaned';
    }
    if (row.status !== 'pending') return 'waiting';
    const claimed = await claimUpload(db, row.id, this.owner, this.now(), this.settings.leaseMs);
    if (!claimed) return 'waiting';

    if (claimed.mode === 'agent') {
      const egress = await findRecordingForCall(db, claimed.callId, 'egress');
      if (egress?.status === 'uploaded') return this.supersede(claimed);
      if (egress?.status === 'recording') {
        await this.release(claimed, this.settings.egressWaitMs, { countAttempt: false });
        return 'waiting';
      }
    }
    return this.upload(claimed, manifest);
  }

  /** The egress recording of this call succeeded, so the agent-side copy was only a backup. */
  private async supersede(recording: Recording): Promise<'superseded'> {
    await deleteRecording(this.options.db, recording.id);
    await this.spool.remove(recording.id);
    this.options.logger?.info(
      { recordingId: recording.id, callId: recording.callId },
      'agent recording dropped: the egress recording succeeded',
    );
    return 'superseded';
  }

  private async upload(
    recording: Recording,
    manifest: CompleteManifest,
  ): Promise<'uploaded' | 'failed' | 'waiting'> {
    const { store, logger } = this.options;
    const log = logger?.child({ recordingId: recording.id, callId: recording.callId });
    try {
      await this.spool.verify(manifest);
    } catch (error) {
      if (!(error instanceof SpoolIntegrityError)) throw error;
      // Retrying cannot help; the file stays in the spool for a person to look at.
      log?.error({ err: error }, 'spooled recording failed its integrity check');
      await this.release(recording, 0, { countAttempt: true, error: error.message, failed: true });
      return 'failed';
    }
    const source = createReadStream(this.spool.audioPath(recording.id));
    try {
      // minio-js has no request timeout: closing the body stream aborts a hung upload.
      await withTimeout(this.transfer(manifest, source), this.settings.uploadTimeoutMs, () =>
        source.destroy(),
      );
    } catch (error) {
      const delayMs = this.backoffMs(recording.attempts + 1);
      this.options.metrics?.recordingUploadsFailed.inc();
      this.options.metrics?.storageErrors.inc({ operation: 'upload' });
      log?.warn(
        { err: error, attempts: recording.attempts + 1, retryInMs: delayMs },
        'recording upload failed',
      );
      await this.release(recording, delayMs, { countAttempt: true, error: message(error) });
      return 'waiting';
    }
    const done = await completeUpload(
      this.options.db,
      recording.id,
      this.owner,
      {
        sizeBytes: manifest.sizeBytes,
        sha256: manifest.sha256,
        location: store.locationOf(manifest.storageKey),
      },
      this.now(),
    );
    if (!done) {
      // Our lease ran out mid-upload; whoever holds it now finishes (the object is already there).
      log?.warn('upload lease lost before completion');
      return 'waiting';
    }
    await this.spool.remove(recording.id);
    log?.info({ sizeBytes: manifest.sizeBytes, key: manifest.storageKey }, 'recording uploaded');
    return 'uploaded';
  }

  /** Uploads unless the bytes are already there, then reads them back to check them. */
  private async transfer(manifest: CompleteManifest, source: Readable): Promise<void> {
    const { store } = this.options;
    if (await this.alreadyStored(manifest)) {
      source.destroy();
      return;
    }
    await store.put(manifest.storageKey, source, {
      contentType: manifest.contentType,
      sizeBytes: manifest.sizeBytes,
      metadata: {
        callId: manifest.callId,
        recordingId: manifest.recordingId,
        callerNumber: manifest.callerNumber,
        durationMs: manifest.durationMs,
        sha256: manifest.sha256,
      },
    });
    const stored = await hashStoredObject(store, manifest.storageKey);
    if (stored.sizeBytes !== manifest.sizeBytes || stored.sha256 !== manifest.sha256) {
      throw new Error('storage returned different bytes than were uploaded');
    }
  }

  /** True when the exact bytes are already at the key (an upload finished before a crash). */
  private async alreadyStored(manifest: CompleteManifest): Promise<boolean> {
    const existing = await this.options.store.stat(manifest.storageKey);
    if (!existing || existing.sizeBytes !== manifest.sizeBytes) return false;
    if (existing.metadata.sha256 !== manifest.sha256) return false;
    const stored = await hashStoredObject(this.options.store, manifest.storageKey);
    return stored.sha256 === manifest.sha256;
  }

  private async release(
    recording: Recording,
    delayMs: number,
    outcome: { countAttempt: boolean; error?: string; failed?: boolean },
  ): Promise<void> {
    const now = this.now();
    await releaseUpload(
      this.options.db,
      recording.id,
      this.owner,
      { ...outcome, nextAttemptAt: new Date(now.getTime() + delayMs) },
      now,
    );
  }
}
