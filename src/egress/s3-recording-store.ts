import type { Readable } from 'node:stream';
import { Client, type ItemBucketMetadata } from 'minio';
import type { RecordingStoreConfig } from '../config/index.js';
import {
  RECORDING_CONTENT_TYPE,
  RecordingObjectNotFoundError,
  type ByteRange,
  type ListedObject,
  type PutOptions,
  type RecordingObjectMetadata,
  type RecordingStore,
  type StoredObject,
} from './recording-store.js';

export type S3StoreConfig = Extract<RecordingStoreConfig, { kind: 's3' }>;

/** S3's minimum part size; bodies above the part size go up as multipart uploads of this many bytes. */
export const MIN_PART_SIZE_BYTES = 5 * 1024 * 1024;
/** minio-js buffers one part in memory per upload; 8 MiB keeps that small and a call in one or two parts. */
const DEFAULT_PART_SIZE_BYTES = 8 * 1024 * 1024;

const NOT_FOUND_CODES = new Set(['NotFound', 'NoSuchKey']);

function isNotFound(error: unknown): boolean {
  return NOT_FOUND_CODES.has((error as { code?: string }).code ?? '');
}

/** Metadata as x-amz-meta-* headers (minio-js adds the prefix to non-standard names). */
function toS3Metadata(contentType: string, metadata: RecordingObjectMetadata): ItemBucketMetadata {
  const headers: ItemBucketMetadata = { 'Content-Type': contentType, 'call-id': metadata.callId };
  if (metadata.recordingId) headers['recording-id'] = metadata.recordingId;
  if (metadata.callerNumber) headers['caller-number'] = metadata.callerNumber;
  if (metadata.durationMs != null) headers['duration-ms'] = String(Math.round(metadata.durationMs));
  if (metadata.sha256) headers['sha256'] = metadata.sha256;
  return headers;
}

function fromS3Metadata(meta: Record<string, unknown>): Partial<RecordingObjectMetadata> {
  const text = (name: string) => (typeof meta[name] === 'string' ? meta[name] : undefined);
  const duration = text('duration-ms');
  const result: Partial<RecordingObjectMetadata> = {};
  if (text('call-id')) result.callId = text('call-id');
  if (text('recording-id')) result.recordingId = text('recording-id');
  if (text('caller-number')) result.callerNumber = text('caller-number');
  if (duration !== undefined && /^\d+$/.test(duration)) result.durationMs = Number(duration);
  if (text('sha256')) result.sha256 = text('sha256');
  return result;
}

/** Recordings in an S3 bucket through the `minio` client (MinIO, Ceph radosgw, AWS). */
export class S3RecordingStore implements RecordingStore {
  readonly kind = 's3';
  readonly bucket: string;
  private readonly client: Client;
  private readonly endpoint: URL;
  private readonly forcePathStyle: boolean;
  private bucketReady: Promise<void> | undefined;

  constructor(config: S3StoreConfig, options: { partSizeBytes?: number } = {}) {
    this.endpoint = new URL(config.endpoint);
    this.bucket = config.bucket;
    this.forcePathStyle = config.forcePathStyle;
    const useSSL = this.endpoint.protocol === 'https:';
    this.client = new Client({
      endPoint: this.endpoint.hostname,
      port: this.endpoint.port ? Number(this.endpoint.port) : useSSL ? 443 : 80,
      useSSL,
      accessKey: config.accessKey,
      secretKey: config.secretKey,
      // A fixed region spares a GetBucketLocation round trip and lets presigning work offline.
      region: config.region,
      pathStyle: config.forcePathStyle,
      partSize: Math.max(MIN_PART_SIZE_BYTES, options.partSizeBytes ?? DEFAULT_PART_SIZE_BYTES),
    });
  }

  ensureReady(): Promise<void> {
    this.bucketReady ??= this.createBucketIfMissing().catch((error: unknown) => {
      this.bucketReady = undefined;
      throw error;
    });
    return this.bucketReady;
  }

  private async createBucketIfMissing(): Promise<void> {
    if (await this.client.bucketExists(this.bucket)) return;
    try {
      await this.client.makeBucket(this.bucket, this.client.region);
    } catch (error) {
      // Another process may have created it between our check and our request.
      if ((error as { code?: string }).code !== 'BucketAlreadyOwnedByYou') throw error;
    }
  }

  async check(): Promise<void> {
    if (!(await this.client.bucketExists(this.bucket))) {
      throw new Error(`bucket "${this.bucket}" does not exist`);
    }
  }

  async put(key: string, body: Readable, options: PutOptions): Promise<void> {
    await this.ensureReady();
    await this.client.putObject(
      this.bucket,
      key,
      body,
      options.sizeBytes,
      toS3Metadata(options.contentType, options.metadata),
    );
  }

  async stat(key: string): Promise<StoredObject | null> {
    try {
      const info = await this.client.statObject(this.bucket, key);
      const meta = info.metaData as Record<string, unknown>;
      return {
        key,
        sizeBytes: info.size,
        contentType:
          typeof meta['content-type'] === 'string' ? meta['content-type'] : RECORDING_CONTENT_TYPE,
        lastModified: info.lastModified,
        metadata: fromS3Metadata(meta),
      };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    try {
      return range
        ? await this.client.getPartialObject(
            this.bucket,
            key,
            range.start,
            range.end - range.start + 1,
          )
        : await this.client.getObject(this.bucket, key);
    } catch (error) {
      if (isNotFound(error)) throw new RecordingObjectNotFoundError(key);
      throw error;
    }
  }

  async *list(prefix = ''): AsyncIterable<ListedObject> {
    for await (const item of this.client.listObjectsV2(this.bucket, prefix, true)) {
      if (item.name === undefined) continue;
      yield { key: item.name, sizeBytes: item.size, lastModified: item.lastModified };
    }
  }

  async remove(key: string): Promise<void> {
    await this.client.removeObject(this.bucket, key);
  }

  async presignedUrl(
    key: string,
    ttlSeconds: number,
    options: { downloadName?: string } = {},
  ): Promise<string | null> {
    const headers: Record<string, string> = options.downloadName
      ? { 'response-content-disposition': `attachment; filename="${options.downloadName}"` }
      : {};
    return this.client.presignedGetObject(this.bucket, key, ttlSeconds, headers);
  }

  locationOf(key: string): string {
    const base = this.endpoint.origin;
    return this.forcePathStyle
      ? `${base}/${this.bucket}/${key}`
      : `${this.endpoint.protocol}//${this.bucket}.${this.endpoint.host}/${key}`;
  }
}
