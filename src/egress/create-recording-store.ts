import type { RecordingStoreConfig } from '../config/index.js';
import { LocalRecordingStore } from './local-recording-store.js';
import type { RecordingStore } from './recording-store.js';
import { S3RecordingStore } from './s3-recording-store.js';

/** The configured store (credentials stay inside the client; nothing here logs them). */
export function createRecordingStore(config: RecordingStoreConfig): RecordingStore {
  return config.kind === 'local'
    ? new LocalRecordingStore(config.dir)
    : new S3RecordingStore(config);
}
