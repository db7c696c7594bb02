import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  copyFile,
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
import { pipeline } from 'node:stream/promises';
import { unlessMissing } from './missing-file.js';
import type { NewRecording } from './recording-repository.js';

/**
 * Everything needed to upload a spooled recording and to recreate its database row, written next to
 * the audio file so a restarted process (or one that lost its database connection) can carry on.
 */
export interface SpoolManifest {
  version: 1;
  recordingId: string;
  callId: string;
  storageKey: string;
  contentType: string;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  callerNumber: string | null;
  spooledAt: string;
  /** Where the file came from; lets an interrupted spooling finish after a crash. */
  sourcePath: string;
  /** Null until the file is in the spool and hashed. */
  sizeBytes: number | null;
  sha256: string | null;
}

/** A manifest whose audio file is fully in the spool and hashed. */
export type CompleteManifest = SpoolManifest & { sizeBytes: number; sha256: string };

/** The `pending` agent-recording row a spooled recording stands for (at spooling, or recreated later). */
export function pendingRecordingFor(manifest: CompleteManifest): NewRecording {
  return {
    id: manifest.recordingId,
    callId: manifest.callId,
    mode: 'agent',
    status: 'pending',
    storageKey: manifest.storageKey,
    contentType: manifest.contentType,
    startedAt: manifest.startedAt,
    endedAt: manifest.endedAt,
    sizeBytes: manifest.sizeBytes,
    durationMs: manifest.durationMs,
    sha256: manifest.sha256,
  };
}

/** Thrown when the spooled bytes no longer match the manifest (disk damage, manual edits). */
export class SpoolIntegrityError extends Error {
  constructor(recordingId: string, detail: string) {
    super(`spooled recording ${recordingId} is damaged: ${detail}`);
    this.name = 'SpoolIntegrityError';
  }
}

function exists(file: string): Promise<boolean> {
  return unlessMissing(
    stat(file).then(() => true),
    false,
  );
}

/** Size and sha256 of a file, streamed. */
export async function hashFile(file: string): Promise<{ sizeBytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  await pipeline(createReadStream(file), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      hash.update(chunk);
      sizeBytes += chunk.length;
    }
  });
  return { sizeBytes, sha256: hash.digest('hex') };
}

async function fsyncPath(target: string): Promise<void> {
  const handle = await open(target, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * The durable queue on local disk: `<id>.ogg` with `<id>.json` beside it. Each step is an atomic
 * rename after an fsync, so after a crash every recording is either still at its source, or in the
 * spool with a manifest that says how far it got.
 */
export class UploadSpool {
  constructor(readonly dir: string) {}

  audioPath(recordingId: string): string {
    return path.join(this.dir, `${recordingId}.ogg`);
  }

  private partPath(recordingId: string): string {
    return `${this.audioPath(recordingId)}.part`;
  }

  private manifestPath(recordingId: string): string {
    return path.join(this.dir, `${recordingId}.json`);
  }

  private async writeManifest(manifest: SpoolManifest): Promise<void> {
    const target = this.manifestPath(manifest.recordingId);
    await writeFile(`${target}.tmp`, JSON.stringify(manifest, null, 2), { flush: true });
    await rename(`${target}.tmp`, target);
    await fsyncPath(this.dir);
  }

  /**
   * Moves `manifest.sourcePath` into the spool (a rename on the same file system, else a copy and
   * then removal of the source), hashes it and records size and sha256 in the manifest.
   */
  async add(manifest: Omit<SpoolManifest, 'sizeBytes' | 'sha256'>): Promise<CompleteManifest> {
    await mkdir(this.dir, { recursive: true });
    const started: SpoolManifest = { ...manifest, sizeBytes: null, sha256: null };
    await this.writeManifest(started);
    return this.finish(started);
  }

  /** Completes an interrupted `add`: move or copy what is left, hash, then publish the audio file. */
  private async finish(manifest: SpoolManifest): Promise<CompleteManifest> {
    const audio = this.audioPath(manifest.recordingId);
    const part = this.partPath(manifest.recordingId);
    if (manifest.sizeBytes === null || manifest.sha256 === null) {
      // The source is removed only once the spool holds all of it, so while it exists, (re)start.
      if (await exists(manifest.sourcePath)) await this.moveIn(manifest.sourcePath, part);
      const source = (await exists(part)) ? part : audio;
      const { sizeBytes, sha256 } = await hashFile(source);
      manifest = { ...manifest, sizeBytes, sha256 };
      await this.writeManifest(manifest);
    }
    if (await exists(part)) {
      await rename(part, audio);
      await fsyncPath(this.dir);
    }
    return manifest as CompleteManifest;
  }

  private async moveIn(source: string, part: string): Promise<void> {
    try {
      await rename(source, part);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      await copyFile(source, part);
      await fsyncPath(part);
      await rm(source, { force: true });
      return;
    }
    await fsyncPath(part);
  }

  /**
   * Every recording in the spool, oldest first, with interrupted additions completed. Entries whose
   * audio cannot be found anywhere are returned with `missing: true` (never silently dropped).
   */
  async list(): Promise<
    Array<
      | { manifest: CompleteManifest; missing: false }
      | { manifest: SpoolManifest; missing: true; error: string }
    >
  > {
    const names = await unlessMissing(readdir(this.dir), []);
    const entries = [];
    for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
      // Gone since readdir: removed by another process sharing the spool.
      const text = await unlessMissing(readFile(path.join(this.dir, name), 'utf8'), null);
      if (text === null) continue;
      const manifest = JSON.parse(text) as SpoolManifest;
      try {
        entries.push({ manifest: await this.finish(manifest), missing: false as const });
      } catch (error) {
        entries.push({ manifest, missing: true as const, error: (error as Error).message });
      }
    }
    return entries.sort((a, b) => (a.manifest.spooledAt < b.manifest.spooledAt ? -1 : 1));
  }

  /** Re-reads the audio and checks it against the manifest. */
  async verify(manifest: CompleteManifest): Promise<void> {
    const actual = await hashFile(this.audioPath(manifest.recordingId));
    if (actual.sizeBytes !== manifest.sizeBytes) {
      throw new SpoolIntegrityError(
        manifest.recordingId,
        `${actual.sizeBytes} bytes on disk, ${manifest.sizeBytes} expected`,
      );
    }
    if (actual.sha256 !== manifest.sha256) {
      throw new SpoolIntegrityError(manifest.recordingId, 'sha256 differs from the manifest');
    }
  }

  /** Deletes a recording from the spool: audio first, the manifest (the record of it) last. */
  async remove(recordingId: string): Promise<void> {
    await rm(this.partPath(recordingId), { force: true });
    await rm(this.audioPath(recordingId), { force: true });
    await rm(this.manifestPath(recordingId), { force: true });
  }
}
