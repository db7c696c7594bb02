import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Config } from '../config/index.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../observability/logger.js';
import {
  createRecording,
  findRecordingForCall,
  type RecordingStatus,
} from './recording-repository.js';
import { RECORDING_CONTENT_TYPE, recordingKey } from './recording-store.js';
import { pendingRecordingFor, UploadSpool } from './upload-spool.js';
import type { UploadWorker } from './upload-worker.js';

/** What the worker hands over at call end. */
export interface SpoolRecordingInput {
  callId: string;
  /** The framework recorder's file (`recorderIO.outputPath`), after the recorder has closed. */
  sourcePath: string;
  startedAt: Date | string;
  durationMs: number;
  callerNumber?: string | null;
}

export interface SpooledRecording {
  recordingId: string;
  status: RecordingStatus;
  storageKey: string;
  /** True when the call already had an agent recording; the source file was left untouched. */
  duplicate: boolean;
}

export interface AgentRecordingUploaderOptions {
  db: Db;
  spoolDir: string;
  /** In egress mode the agent's file is a backup and gets its own key beside the egress file. */
  recordingMode: Config['recording']['mode'];
  logger?: Logger | undefined;
  now?: () => Date;
  /** When given, asked to upload right after spooling (it retries on its own schedule). */
  worker?: UploadWorker | undefined;
}

/**
 * The worker's side of agent-mode recording: at call end the recorder's file goes into the durable
 * spool and the call gets a `pending` recording row; an `UploadWorker` uploads it when storage answers.
 */
export class AgentRecordingUploader {
  private readonly spool: UploadSpool;
  private readonly now: () => Date;

  constructor(private readonly options: AgentRecordingUploaderOptions) {
    this.spool = new UploadSpool(options.spoolDir);
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Moves the recording into the spool (rename, or copy and delete across file systems) with a
   * manifest, and records it as `pending`. Once this resolves the recording survives storage and
   * database outages and process restarts.
   */
  async spoolRecording(input: SpoolRecordingInput): Promise<SpooledRecording> {
    const { db, logger } = this.options;
    const log = logger?.child({ callId: input.callId });
    const existing = await findRecordingForCall(db, input.callId, 'agent').catch(
      (error: unknown) => {
        log?.warn({ err: error }, 'could not check for an earlier recording; spooling anyway');
        return null;
      },
    );
    if (existing) {
      log?.warn(
        { recordingId: existing.id },
        'call already has an agent recording; ignoring the new one',
      );
      return {
        recordingId: existing.id,
        status: existing.status,
        storageKey: existing.storageKey,
        duplicate: true,
      };
    }

    const startedAt = new Date(input.startedAt);
    const recordingId = randomUUID();
    const suffix = this.options.recordingMode === 'egress' ? '.agent' : '';
    const manifest = await this.spool.add({
      version: 1,
      recordingId,
      callId: input.callId,
      storageKey: recordingKey(input.callId, startedAt, suffix),
      contentType: RECORDING_CONTENT_TYPE,
      startedAt: startedAt.toISOString(),
      endedAt: new Date(startedAt.getTime() + input.durationMs).toISOString(),
      durationMs: Math.round(input.durationMs),
      callerNumber: input.callerNumber ?? null,
      spooledAt: this.now().toISOString(),
      sourcePath: path.resolve(input.sourcePath),
    });

    try {
      await createRecording(db, pendingRecordingFor(manifest), this.now());
    } catch (error) {
      // The manifest has everything; the upload worker writes the row once the database answers.
      log?.warn({ recordingId, err: error }, 'recording spooled without its database row');
    }
    log?.info({ recordingId, sizeBytes: manifest.sizeBytes }, 'recording spooled for upload');
    this.options.worker?.runSoon();
    return { recordingId, status: 'pending', storageKey: manifest.storageKey, duplicate: false };
  }
}
