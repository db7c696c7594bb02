import type { Config } from '../config/index.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { AgentRecordingUploader } from './agent-recording-uploader.js';
import { createRecordingStore } from './create-recording-store.js';
import type { RecordingStore } from './recording-store.js';
import { UploadWorker } from './upload-worker.js';

export * from './agent-recording-uploader.js';
export * from './create-recording-store.js';
export * from './egress-events.js';
export * from './egress-reconciler.js';
export * from './egress-recorder.js';
export * from './call-lookup.js';
export * from './recording-queries.js';
export * from './recording-repository.js';
export * from './recording-store.js';
export * from './retention.js';
export * from './upload-lease-repository.js';
export * from './upload-worker.js';
export { InvalidRecordingKeyError, LocalRecordingStore } from './local-recording-store.js';
export { S3RecordingStore, type S3StoreConfig } from './s3-recording-store.js';
export { SpoolIntegrityError, UploadSpool, type SpoolManifest } from './upload-spool.js';

/**
 * Agent-side recording for the worker process: the uploader to call at call end and the upload
 * worker that retries until storage takes the file (start it once per process; stop it on shutdown).
 */
export function createAgentRecording(
  config: Config,
  db: Db,
  options: { logger?: Logger; metrics?: Metrics } = {},
): { uploader: AgentRecordingUploader; worker: UploadWorker; store: RecordingStore } {
  const store = createRecordingStore(config.recording.store);
  const worker = new UploadWorker({
    db,
    store,
    spoolDir: config.recording.spoolDir,
    logger: options.logger,
    metrics: options.metrics,
  });
  const uploader = new AgentRecordingUploader({
    db,
    spoolDir: config.recording.spoolDir,
    recordingMode: config.recording.mode,
    logger: options.logger,
    worker,
  });
  return { uploader, worker, store };
}
