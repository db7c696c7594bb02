import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/app.js';
import { createTestDatabase, describeEachDialect } from '../../test/helpers/databases.js';
import { insertTestCall, insertTestRecording } from '../../test/helpers/recording-fixtures.js';
import { startS3Server, type TestS3Server } from '../../test/helpers/s3-server.js';
import { createMetrics } from '../observability/metrics.js';
import { AgentRecordingUploader } from './agent-recording-uploader.js';
import { getRecording } from './recording-repository.js';
import { claimUpload } from './upload-lease-repository.js';
import { S3RecordingStore } from './s3-recording-store.js';
import { UploadWorker } from './upload-worker.js';

/** A clock the test moves by hand. */
function manualClock(start = '2026-11-21T12:00:00.000Z') {
  let now = new Date(start).getTime();
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
}

async function recorderFile(
  size = 40_000,
): Promise<{ file: string; bytes: Buffer; sha256: string }> {
  const bytes = randomBytes(size);
  const file = path.join(tempDir('job-'), 'audio.ogg');
  await writeFile(file, bytes);
  return { file, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

describeEachDialect('agent recording uploads', (database, dialect) => {
  let s3: TestS3Server;
  const bucket = `uploads-${dialect}`;
  beforeAll(async () => {
    s3 = await startS3Server();
  });
  afterAll(() => s3.close());

  function setup(mode: 'agent' | 'egress' = 'agent') {
    const clock = manualClock();
    const spoolDir = path.join(tempDir('spool-'), 'spool');
    const metrics = createMetrics({ defaultMetrics: false });
    const makeWorker = (owner: string) =>
      new UploadWorker({
        db: database().db,
        store: new S3RecordingStore(s3.storeConfig(bucket)),
        spoolDir,
        owner,
        now: clock.now,
        metrics,
        baseBackoffMs: 1000,
        leaseMs: 60_000,
        egressWaitMs: 30_000,
      });
    const uploader = new AgentRecordingUploader({
      db: database().db,
      spoolDir,
      recordingMode: mode,
      now: clock.now,
    });
    /** Spools a fresh recorder file for `call` (a new one by default) through `via`. */
    const spoolCall = async (
      options: {
        call?: { id: string; startedAt: string };
        size?: number;
        durationMs?: number;
        via?: AgentRecordingUploader;
      } = {},
    ) => {
      const call = options.call ?? (await insertTestCall(database().db));
      const audio = await recorderFile(options.size);
      const spooled = await (options.via ?? uploader).spoolRecording({
        callId: call.id,
        sourcePath: audio.file,
        startedAt: call.startedAt,
        durationMs: options.durationMs ?? 1000,
      });
      return { call, audio, spooled };
    };
    return { clock, spoolDir, metrics, makeWorker, uploader, spoolCall };
  }

  it('uploads a spooled recording byte-identical with its metadata and empties the spool', async () => {
    const { db } = database();
    const { uploader, makeWorker, spoolDir } = setup();
    const call = await insertTestCall(db, { started_at: '2026-11-21T09:59:00.000Z' });
    const audio = await recorderFile();
    const spooled = await uploader.spoolRecording({
      callId: call.id,
      sourcePath: audio.file,
      startedAt: call.startedAt,
      durationMs: 65_432,
      callerNumber: '+15551230000',
    });
    expect(spooled).toMatchObject({
      status: 'pending',
      duplicate: false,
      storageKey: `recordings/2026/11/21/${call.id}.ogg`,
    });
    expect(await getRecording(db, spooled.recordingId)).toMatchObject({
      status: 'pending',
      mode: 'agent',
      sizeBytes: audio.bytes.length,
      sha256: audio.sha256,
      durationMs: 65_432,
    });

    const result = await makeWorker('w1').runOnce();
    expect(result).toMatchObject({ uploaded: [spooled.recordingId], pending: 0 });
    const store = new S3RecordingStore(s3.storeConfig(bucket));
    expect((await buffer(await store.read(spooled.storageKey))).equals(audio.bytes)).toBe(true);
    expect((await store.stat(spooled.storageKey))?.metadata).toEqual({
      callId: call.id,
      recordingId: spooled.recordingId,
      callerNumber: '+15551230000',
      durationMs: 65_432,
      sha256: audio.sha256,
    });
    expect(await getRecording(db, spooled.recordingId)).toMatchObject({
      status: 'uploaded',
      location: `${s3.endpoint}/${bucket}/${spooled.storageKey}`,
      error: null,
    });
    expect(await readdir(spoolDir)).toEqual([]);
    // Spooling the same call again changes nothing.
    const again = await uploader.spoolRecording({
      callId: call.id,
      sourcePath: audio.file,
      startedAt: call.startedAt,
      durationMs: 1,
    });
    expect(again).toMatchObject({
      duplicate: true,
      recordingId: spooled.recordingId,
      status: 'uploaded',
    });
  });

  it('keeps a recording through a storage outage and a worker restart, then uploads it exactly once', async () => {
    const { db } = database();
    const { spoolCall, makeWorker, clock, metrics, spoolDir } = setup();
    await s3.stop();
    const { audio, spooled } = await spoolCall({ size: 300_000, durationMs: 90_000 });
    const first = makeWorker('worker-before-restart');
    expect(await first.runOnce()).toMatchObject({ uploaded: [], pending: 1 });
    const afterFailure = await getRecording(db, spooled.recordingId);
    expect(afterFailure).toMatchObject({ status: 'pending', attempts: 1 });
    expect(afterFailure?.error).toMatch(/ECONNREFUSED/);
    expect(afterFailure?.nextAttemptAt).toBe(new Date(clock.now().getTime() + 1000).toISOString());
    expect((await metrics.recordingUploadsFailed.get()).values[0]?.value).toBe(1);
    expect((await metrics.recordingUploadsPending.get()).values[0]?.value).toBe(1);

    // Not due yet: no new attempt. Then a second failure doubles the delay.
    await first.runOnce();
    expect((await getRecording(db, spooled.recordingId))?.attempts).toBe(1);
    clock.advance(1000);
    await first.runOnce();
    expect(await getRecording(db, spooled.recordingId)).toMatchObject({
      attempts: 2,
      nextAttemptAt: new Date(clock.now().getTime() + 2000).toISOString(),
    });
    await first.stop();

    // The process restarts (a new worker on the same spool and database), storage comes back.
    await s3.restart();
    const second = makeWorker('worker-after-restart');
    expect(await second.runOnce()).toMatchObject({ uploaded: [], pending: 1 });
    clock.advance(2000);
    expect(await second.runOnce()).toMatchObject({ uploaded: [spooled.recordingId], pending: 0 });
    await second.runOnce();

    expect(s3.uploadsOf(bucket, spooled.storageKey)).toBe(1);
    const store = new S3RecordingStore(s3.storeConfig(bucket));
    expect((await buffer(await store.read(spooled.storageKey))).equals(audio.bytes)).toBe(true);
    expect(await getRecording(db, spooled.recordingId)).toMatchObject({
      status: 'uploaded',
      attempts: 2,
      sha256: audio.sha256,
      sizeBytes: audio.bytes.length,
    });
    expect(await readdir(spoolDir)).toEqual([]);
    expect((await metrics.recordingUploadsPending.get()).values[0]?.value).toBe(0);
  });

  it('uploads each recording once when two workers share one spool', async () => {
    const { spoolCall, makeWorker } = setup();
    const keys: string[] = [];
    for (let i = 0; i < 4; i++) keys.push((await spoolCall({ size: 10_000 })).spooled.storageKey);
    const [a, b] = await Promise.all([makeWorker('api').runOnce(), makeWorker('worker').runOnce()]);
    expect([...a.uploaded, ...b.uploaded]).toHaveLength(4);
    for (const key of keys) expect(s3.uploadsOf(bucket, key)).toBe(1);
  });

  it('does not upload again what reached storage just before a crash', async () => {
    const { spoolCall, makeWorker } = setup();
    const { call, audio, spooled } = await spoolCall();
    // The upload went through but the process died before it could mark the row.
    await new S3RecordingStore(s3.storeConfig(bucket)).put(
      spooled.storageKey,
      Readable.from([audio.bytes]),
      {
        contentType: 'audio/ogg',
        sizeBytes: audio.bytes.length,
        metadata: { callId: call.id, sha256: audio.sha256 },
      },
    );
    expect(await makeWorker('w').runOnce()).toMatchObject({ uploaded: [spooled.recordingId] });
    expect(s3.uploadsOf(bucket, spooled.storageKey)).toBe(1);
  });

  it('takes over an upload whose worker died holding the lease once the lease expires', async () => {
    const { db } = database();
    const { spoolCall, makeWorker, clock } = setup();
    const { spooled } = await spoolCall();
    expect(
      await claimUpload(db, spooled.recordingId, 'dead-worker', clock.now(), 60_000),
    ).not.toBeNull();
    const survivor = makeWorker('survivor');
    expect(await survivor.runOnce()).toMatchObject({ uploaded: [], pending: 1 });
    clock.advance(60_000);
    expect(await survivor.runOnce()).toMatchObject({ uploaded: [spooled.recordingId], pending: 0 });
  });

  it('writes the row from the manifest when the database was down at spool time', async () => {
    const { db } = database();
    const { spoolDir, makeWorker, clock, spoolCall } = setup();
    const broken = await createTestDatabase('sqlite');
    await broken.destroy();
    const via = new AgentRecordingUploader({
      db: broken.db,
      spoolDir,
      recordingMode: 'agent',
      now: clock.now,
    });
    const { call, audio, spooled } = await spoolCall({ via });
    expect(await getRecording(db, spooled.recordingId)).toBeNull();
    expect(await makeWorker('w').runOnce()).toMatchObject({ uploaded: [spooled.recordingId] });
    expect(await getRecording(db, spooled.recordingId)).toMatchObject({
      status: 'uploaded',
      callId: call.id,
      sha256: audio.sha256,
    });
  });

  it('in egress mode holds the backup while egress runs, drops it when egress succeeds', async () => {
    const { db } = database();
    const { spoolCall, makeWorker, clock, spoolDir } = setup('egress');
    const call = await insertTestCall(db);
    const egress = await insertTestRecording(
      db,
      call,
      { egressId: `EG_${randomUUID()}`, storageKey: `recordings/2026/11/21/${call.id}.ogg` },
      clock.now(),
    );
    const { spooled } = await spoolCall({ call });
    expect(spooled.storageKey).toBe(`recordings/2026/11/21/${call.id}.agent.ogg`);
    const worker = makeWorker('w');
    expect(await worker.runOnce()).toMatchObject({ uploaded: [], pending: 1 });
    expect((await getRecording(db, spooled.recordingId))?.attempts).toBe(0);

    await db
      .updateTable('recordings')
      .set({ status: 'uploaded' })
      .where('id', '=', egress.id)
      .execute();
    clock.advance(30_000);
    expect(await worker.runOnce()).toMatchObject({ superseded: [spooled.recordingId], pending: 0 });
    expect(await getRecording(db, spooled.recordingId)).toBeNull();
    expect(s3.uploadsOf(bucket, spooled.storageKey)).toBe(0);
    expect(await readdir(spoolDir)).toEqual([]);
  });

  it('in egress mode uploads the backup when the egress recording failed', async () => {
    const { db } = database();
    const { spoolCall, makeWorker, clock } = setup('egress');
    const call = await insertTestCall(db);
    await insertTestRecording(
      db,
      call,
      { status: 'failed', storageKey: `recordings/2026/11/21/${call.id}.ogg` },
      clock.now(),
    );
    const { spooled } = await spoolCall({ call });
    expect(await makeWorker('w').runOnce()).toMatchObject({ uploaded: [spooled.recordingId] });
  });

  it('gives up on storage that accepts connections but never answers, and retries later', async () => {
    const { db } = database();
    const { spoolCall, spoolDir, clock } = setup();
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const { spooled } = await spoolCall();
      const worker = new UploadWorker({
        db,
        store: new S3RecordingStore({
          ...s3.storeConfig(bucket),
          endpoint: `http://127.0.0.1:${port}`,
        }),
        spoolDir,
        now: clock.now,
        uploadTimeoutMs: 200,
      });
      expect(await worker.runOnce()).toMatchObject({ uploaded: [], pending: 1 });
      expect(await getRecording(db, spooled.recordingId)).toMatchObject({
        status: 'pending',
        attempts: 1,
        error: expect.stringMatching(/within 200 ms/),
      });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('marks a damaged spool file failed and keeps it for inspection', async () => {
    const { db } = database();
    const { spoolCall, makeWorker, spoolDir } = setup();
    const { spooled } = await spoolCall();
    await writeFile(path.join(spoolDir, `${spooled.recordingId}.ogg`), 'garbage');
    expect(await makeWorker('w').runOnce()).toMatchObject({ failed: [spooled.recordingId] });
    expect(await getRecording(db, spooled.recordingId)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/damaged/),
    });
    expect((await readdir(spoolDir)).sort()).toEqual([
      `${spooled.recordingId}.json`,
      `${spooled.recordingId}.ogg`,
    ]);
    expect(s3.uploadsOf(bucket, spooled.storageKey)).toBe(0);
  });
});

it('backs off exponentially up to the maximum', () => {
  const worker = new UploadWorker({
    db: undefined as never,
    store: undefined as never,
    spoolDir: tempDir(),
    baseBackoffMs: 5000,
    maxBackoffMs: 60_000,
  });
  expect([1, 2, 3, 4, 5, 6].map((n) => worker.backoffMs(n))).toEqual([
    5000, 10_000, 20_000, 40_000, 60_000, 60_000,
  ]);
});
