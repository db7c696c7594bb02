import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

/** Content type of every call recording (Opus in OGG, from egress and from the agent recorder alike). */
export const RECORDING_CONTENT_TYPE = 'audio/ogg';

/** Server-side metadata stored with each object (S3 `x-amz-meta-*`, a sidecar file locally). */
export interface RecordingObjectMetadata {
  callId: string;
  recordingId?: string | undefined;
  callerNumber?: string | null | undefined;
  durationMs?: number | null | undefined;
  sha256?: string | null | undefined;
}

/** What `stat` tells about a stored object. */
export interface StoredObject {
  key: string;
  sizeBytes: number;
  contentType: string;
  lastModified: Date;
  metadata: Partial<RecordingObjectMetadata>;
}

/** What `list` yields (listings carry no metadata). */
export interface ListedObject {
  key: string;
  sizeBytes: number;
  lastModified: Date;
}

/** An inclusive byte range, already checked against the object size. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface PutOptions {
  contentType: string;
  /** The exact body length; S3 needs it to stream (and to choose multipart) without buffering. */
  sizeBytes: number;
  metadata: RecordingObjectMetadata;
}

/** Thrown by `read` when the key does not exist. */
export class RecordingObjectNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`no stored object at ${key}`);
    this.name = 'RecordingObjectNotFoundError';
  }
}

/**
 * Where call recordings live: a local directory (embedded default) or an S3 bucket (MinIO, Ceph, AWS).
 * Keys are relative paths such as `recordings/2026/11/21/<call id>.ogg`.
 */
export interface RecordingStore {
  readonly kind: 'local' | 's3';
  /** Creates the directory or bucket when missing; idempotent and cheap after the first success. */
  ensureReady(): Promise<void>;
  /** Throws when storage cannot take recordings (readiness check). */
  check(): Promise<void>;
  /** Streams `body` to `key` (multipart on S3 for large bodies); replaces an existing object. */
  put(key: string, body: Readable, options: PutOptions): Promise<void>;
  /** The object's size, type and metadata, or null when it does not exist. */
  stat(key: string): Promise<StoredObject | null>;
  /** A stream of the object, or of one byte range of it. */
  read(key: string, range?: ByteRange): Promise<Readable>;
  /** Every object under `prefix`, in key order. */
  list(prefix?: string): AsyncIterable<ListedObject>;
  /** Deletes the object; deleting a missing key is not an error. */
  remove(key: string): Promise<void>;
  /** A short-lived URL a browser can fetch directly (S3), or null when the store has none (local). */
  presignedUrl(
    key: string,
    ttlSeconds: number,
    options?: { downloadName?: string },
  ): Promise<string | null>;
  /** Where the object is, for the `location` column (an S3 URL or a file path). */
  locationOf(key: string): string;
}

/** The object key for a call recording: `recordings/<yyyy>/<mm>/<dd>/<call id><suffix>.ogg` (UTC date). */
export function recordingKey(callId: string, startedAt: Date | string, suffix = ''): string {
  const iso = new Date(startedAt).toISOString();
  const [yyyy, mm, dd] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10)];
  return `recordings/${yyyy}/${mm}/${dd}/${callId}${suffix}.ogg`;
}

/** Size and sha256 of a stored object, read back through the store (streamed, never buffered). */
export async function hashStoredObject(
  store: RecordingStore,
  key: string,
): Promise<{ sizeBytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  for await (const chunk of await store.read(key)) {
    hash.update(chunk as Buffer);
    sizeBytes += (chunk as Buffer).length;
  }
  return { sizeBytes, sha256: hash.digest('hex') };
}
