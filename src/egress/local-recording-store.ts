import { randomBytes } from 'node:crypto';
import { constants, createWriteStream } from 'node:fs';
import {
  access,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { isMissingFile, unlessMissing } from './missing-file.js';
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

/** Sidecar metadata lives in a parallel hidden tree so listings of the data tree stay clean. */
const META_DIR = '.meta';
const SEGMENT = /^[A-Za-z0-9_+-][A-Za-z0-9._+-]*$/;

interface Sidecar {
  contentType: string;
  metadata: RecordingObjectMetadata;
}

/** Thrown for keys that could escape the store directory or collide with its bookkeeping files. */
export class InvalidRecordingKeyError extends Error {
  constructor(readonly key: string) {
    super(`invalid recording key "${key}"`);
    this.name = 'InvalidRecordingKeyError';
  }
}

/** Recordings as files under one directory: the embedded default for `npm start`. */
export class LocalRecordingStore implements RecordingStore {
  readonly kind = 'local';
  readonly dir: string;

  constructor(dir: string) {
    this.dir = path.resolve(dir);
  }

  private filePath(key: string): string {
    const segments = key.split('/');
    if (!segments.every((s) => SEGMENT.test(s))) throw new InvalidRecordingKeyError(key);
    return path.join(this.dir, ...segments);
  }

  private metaPath(key: string): string {
    this.filePath(key);
    return path.join(this.dir, META_DIR, `${key}.json`);
  }

  async ensureReady(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  async check(): Promise<void> {
    await this.ensureReady();
    await access(this.dir, constants.W_OK);
  }

  async put(key: string, body: Readable, options: PutOptions): Promise<void> {
    const file = this.filePath(key);
    const meta = this.metaPath(key);
    const suffix = `.${randomBytes(6).toString('hex')}.part`;
    await mkdir(path.dirname(file), { recursive: true });
    await mkdir(path.dirname(meta), { recursive: true });
    try {
      const out = createWriteStream(file + suffix, { flush: true });
      await pipeline(body, out);
      if (out.bytesWritten !== options.sizeBytes) {
        throw new Error(`wrote ${out.bytesWritten} bytes, expected ${options.sizeBytes}`);
      }
      const sidecar: Sidecar = { contentType: options.contentType, metadata: options.metadata };
      await writeFile(meta + suffix, JSON.stringify(sidecar), { flush: true });
      // Metadata first: whenever the data file exists, its sidecar does too.
      await rename(meta + suffix, meta);
      await rename(file + suffix, file);
    } finally {
      await rm(file + suffix, { force: true });
      await rm(meta + suffix, { force: true });
    }
  }

  async stat(key: string): Promise<StoredObject | null> {
    const info = await unlessMissing(stat(this.filePath(key)), null);
    if (info === null) return null;
    const sidecar = await this.readSidecar(key);
    return {
      key,
      sizeBytes: info.size,
      contentType: sidecar?.contentType ?? RECORDING_CONTENT_TYPE,
      lastModified: info.mtime,
      metadata: sidecar?.metadata ?? {},
    };
  }

  private async readSidecar(key: string): Promise<Sidecar | null> {
    const text = await unlessMissing(readFile(this.metaPath(key), 'utf8'), null);
    return text === null ? null : (JSON.parse(text) as Sidecar);
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    const file = this.filePath(key);
    try {
      // Opening first turns a missing file into a clear error before any byte is sent.
      const handle = await open(file, 'r');
      return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
    } catch (error) {
      if (isMissingFile(error)) throw new RecordingObjectNotFoundError(key);
      throw error;
    }
  }

  async *list(prefix = ''): AsyncIterable<ListedObject> {
    yield* this.walk('', prefix);
  }

  private async *walk(relative: string, prefix: string): AsyncGenerator<ListedObject> {
    const entries = await unlessMissing(
      readdir(path.join(this.dir, relative), { withFileTypes: true }),
      [],
    );
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name.endsWith('.part')) continue;
      const key = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        // Only descend where keys can still match the prefix.
        if (prefix.startsWith(`${key}/`) || `${key}/`.startsWith(prefix)) {
          yield* this.walk(key, prefix);
        }
      } else if (entry.isFile() && key.startsWith(prefix)) {
        const info = await stat(path.join(this.dir, key));
        yield { key, sizeBytes: info.size, lastModified: info.mtime };
      }
    }
  }

  async remove(key: string): Promise<void> {
    await rm(this.filePath(key), { force: true });
    await rm(this.metaPath(key), { force: true });
  }

  async presignedUrl(): Promise<string | null> {
    return null;
  }

  locationOf(key: string): string {
    return pathToFileURL(this.filePath(key)).href;
  }
}
