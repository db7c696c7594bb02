import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/app.js';
import { SpoolIntegrityError, UploadSpool, type SpoolManifest } from './upload-spool.js';

const bytes = randomBytes(50_000);
const sha256 = createHash('sha256').update(bytes).digest('hex');

function manifestFor(sourcePath: string): Omit<SpoolManifest, 'sizeBytes' | 'sha256'> {
  return {
    version: 1,
    recordingId: randomUUID(),
    callId: 'call-1',
    storageKey: 'recordings/2026/11/21/call-1.ogg',
    contentType: 'audio/ogg',
    startedAt: '2026-11-21T10:00:00.000Z',
    endedAt: '2026-11-21T10:01:00.000Z',
    durationMs: 60_000,
    callerNumber: '+15551230000',
    spooledAt: '2026-11-21T10:01:01.000Z',
    sourcePath,
  };
}

async function sourceFile(dir = tempDir()): Promise<string> {
  const file = path.join(dir, 'audio.ogg');
  await writeFile(file, bytes);
  return file;
}

/** The spool as the first step of add() leaves it: a manifest without hash, the file at its source. */
async function interruptedAddition(dir: string) {
  const m = manifestFor(await sourceFile());
  await mkdir(dir, { recursive: true });
  await writeFile(
    path.join(dir, `${m.recordingId}.json`),
    JSON.stringify({ ...m, sizeBytes: null, sha256: null }),
  );
  return m;
}

describe('upload spool', () => {
  it('moves the file in, hashes it and lists it with its manifest', async () => {
    const spool = new UploadSpool(path.join(tempDir(), 'spool'));
    const source = await sourceFile();
    const manifest = await spool.add(manifestFor(source));
    expect(manifest).toMatchObject({ sizeBytes: bytes.length, sha256 });
    expect(existsSync(source)).toBe(false);
    expect((await readFile(spool.audioPath(manifest.recordingId))).equals(bytes)).toBe(true);
    expect(await spool.list()).toEqual([{ manifest, missing: false }]);
    await spool.verify(manifest);
    await spool.remove(manifest.recordingId);
    expect(await spool.list()).toEqual([]);
    expect(await readdir(spool.dir)).toEqual([]);
  });

  it('copies across file systems and then removes the source', async (ctx) => {
    const shm = '/dev/shm';
    if (!existsSync(shm) || statSync(shm).dev === statSync(tempDir()).dev) ctx.skip();
    const source = await sourceFile(mkdtempSync(path.join(shm, 'rec-')));
    const spool = new UploadSpool(path.join(tempDir(), 'spool'));
    const manifest = await spool.add(manifestFor(source));
    expect(manifest.sha256).toBe(sha256);
    expect(existsSync(source)).toBe(false);
  });

  it('finishes an addition interrupted before the move', async () => {
    const dir = path.join(tempDir(), 'spool');
    const spool = new UploadSpool(dir);
    const m = await interruptedAddition(dir);
    const [entry] = await spool.list();
    expect(entry).toMatchObject({ missing: false, manifest: { sha256, sizeBytes: bytes.length } });
    expect(existsSync(m.sourcePath)).toBe(false);
    expect((await readFile(spool.audioPath(m.recordingId))).equals(bytes)).toBe(true);
  });

  it('finishes an addition interrupted after the move, before the hash', async () => {
    const dir = path.join(tempDir(), 'spool');
    const spool = new UploadSpool(dir);
    const m = await interruptedAddition(dir);
    await rename(m.sourcePath, `${spool.audioPath(m.recordingId)}.part`);
    const [entry] = await spool.list();
    expect(entry).toMatchObject({ missing: false, manifest: { sha256 } });
    expect(existsSync(spool.audioPath(m.recordingId))).toBe(true);
  });

  it('reports, and keeps, a manifest whose audio is nowhere', async () => {
    const spool = new UploadSpool(path.join(tempDir(), 'spool'));
    const m = manifestFor('/nonexistent/audio.ogg');
    await expect(spool.add(m)).rejects.toThrow(/ENOENT/);
    const [entry] = await spool.list();
    expect(entry).toMatchObject({ missing: true, manifest: { recordingId: m.recordingId } });
  });

  it('detects spooled bytes that no longer match the manifest', async () => {
    const spool = new UploadSpool(path.join(tempDir(), 'spool'));
    const manifest = await spool.add(manifestFor(await sourceFile()));
    const damaged = Buffer.from(bytes);
    damaged[100] = (damaged[100] ?? 0) ^ 0xff;
    await writeFile(spool.audioPath(manifest.recordingId), damaged);
    await expect(spool.verify(manifest)).rejects.toBeInstanceOf(SpoolIntegrityError);
    await writeFile(spool.audioPath(manifest.recordingId), bytes.subarray(1));
    await expect(spool.verify(manifest)).rejects.toThrow(/bytes on disk/);
  });
});
