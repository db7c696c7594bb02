import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { Client } from 'minio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AgentRecordingUploader,
  getRecording,
  S3RecordingStore,
  UploadWorker,
  type S3StoreConfig,
} from '../../src/egress/index.js';
import type { DatabaseHandle } from '../../src/db/index.js';
import { tempDir } from '../helpers/app.js';
import { cephAvailability, startCephRgw, type CephRgw } from '../helpers/ceph-rgw.js';
import { createTestDatabase } from '../helpers/databases.js';
import { insertTestCall } from '../helpers/recording-fixtures.js';
import { audio, putBytes, storeContract } from '../helpers/recording-store-contract.js';

/**
 * The S3 behaviour s3rver cannot show (it checks no signatures and fakes multipart listings),
 * against a real one-node Ceph radosgw started from the shared recipe. CI must run it.
 */
const availability = cephAvailability();
if (!availability.ok && process.env.CI) {
  throw new Error(`the real-S3 suite must run in CI: ${availability.reason}`);
}
if (!availability.ok) console.warn(`[tests] real-S3 suite skipped: ${availability.reason}`);
const suite = availability.ok ? describe : describe.skip;

suite(
  `real S3 (Ceph radosgw)${availability.ok ? '' : ` [skipped: ${availability.reason}]`}`,
  () => {
    let rgw: CephRgw;
    let config: S3StoreConfig;

    beforeAll(async () => {
      rgw = await startCephRgw();
      config = {
        kind: 's3',
        endpoint: rgw.endpoint,
        egressEndpoint: rgw.endpoint,
        region: 'us-east-1',
        accessKey: rgw.accessKey,
        secretKey: rgw.secretKey,
        bucket: 'recordings',
        forcePathStyle: true,
        presignTtlSeconds: 60,
      };
      // The first bucket is slow on a new cluster (pools are created on first use).
      await new S3RecordingStore(config).ensureReady();
    }, 120_000);
    afterAll(() => rgw?.stop(), 60_000);

    /** A plain S3 client on the same cluster, for what the store does not expose. */
    const minioClient = () =>
      new Client({
        endPoint: new URL(config.endpoint).hostname,
        port: Number(new URL(config.endpoint).port),
        useSSL: false,
        accessKey: config.accessKey,
        secretKey: config.secretKey,
        region: config.region,
        pathStyle: true,
      });

    storeContract('ceph', () => new S3RecordingStore(config));

    it('refuses a wrong secret with 403 for reads, writes and the readiness check', async () => {
      const store = new S3RecordingStore(config);
      await putBytes(store, 'recordings/signed.ogg', audio);
      const forged = new S3RecordingStore({ ...config, secretKey: 'not-the-secret-0123456789' });
      const refusal = { code: expect.stringMatching(/^(AccessDenied|SignatureDoesNotMatch)$/) };
      await expect(forged.stat('recordings/signed.ogg')).rejects.toMatchObject(refusal);
      await expect(forged.read('recordings/signed.ogg')).rejects.toMatchObject(refusal);
      await expect(putBytes(forged, 'recordings/forged.ogg', audio)).rejects.toMatchObject(refusal);
      await expect(forged.check()).rejects.toMatchObject(refusal);
      expect(await store.stat('recordings/forged.ogg')).toBeNull();
    });

    it('serves presigned URLs, and answers 403 to tampered or expired ones', async () => {
      const store = new S3RecordingStore(config);
      await putBytes(store, 'recordings/presigned.ogg', audio);
      const url = (await store.presignedUrl('recordings/presigned.ogg', 60)) as string;
      const ok = await fetch(url);
      expect(ok.status).toBe(200);
      expect(Buffer.from(await ok.arrayBuffer()).equals(audio)).toBe(true);

      const tampered = new URL(url);
      tampered.pathname = tampered.pathname.replace('presigned.ogg', 'signed.ogg');
      expect((await fetch(tampered)).status).toBe(403);

      // Signed an hour ago for 60 seconds (rather than waiting for a URL to expire).
      const client = minioClient();
      const expired = await client.presignedGetObject(
        config.bucket,
        'recordings/presigned.ogg',
        60,
        {},
        new Date(Date.now() - 3_600_000),
      );
      expect((await fetch(expired)).status).toBe(403);
    });

    it('uploads large recordings as real multipart uploads', async () => {
      const store = new S3RecordingStore(config, { partSizeBytes: 5 * 1024 * 1024 });
      const big = randomBytes(11 * 1024 * 1024);
      const file = path.join(tempDir(), 'big.ogg');
      await writeFile(file, big);
      await store.put('recordings/big.ogg', createReadStream(file), {
        contentType: 'audio/ogg',
        sizeBytes: big.length,
        metadata: { callId: 'big', durationMs: 1_200_000 },
      });
      const client = minioClient();
      // A multipart ETag is md5-of-part-md5s followed by the part count.
      expect((await client.statObject(config.bucket, 'recordings/big.ogg')).etag).toMatch(/-3$/);
      const back = await buffer(await store.read('recordings/big.ogg'));
      expect(createHash('sha256').update(back).digest('hex')).toBe(
        createHash('sha256').update(big).digest('hex'),
      );
      const tail = await buffer(
        await store.read('recordings/big.ogg', { start: big.length - 100, end: big.length - 1 }),
      );
      expect(tail.equals(big.subarray(-100))).toBe(true);
    });

    describe('agent-side uploads', () => {
      let database: DatabaseHandle;
      beforeAll(async () => {
        database = await createTestDatabase('sqlite');
      });
      afterAll(() => database.destroy());

      it('keep a recording pending while credentials are refused, then upload it verified', async () => {
        const { db } = database;
        const call = await insertTestCall(db);
        const spoolDir = path.join(tempDir(), 'spool');
        const bytes = randomBytes(200_000);
        const source = path.join(tempDir(), 'audio.ogg');
        await writeFile(source, bytes);
        let now = new Date('2026-11-21T12:00:00.000Z');
        const spooled = await new AgentRecordingUploader({
          db,
          spoolDir,
          recordingMode: 'agent',
          now: () => now,
        }).spoolRecording({
          callId: call.id,
          sourcePath: source,
          startedAt: call.startedAt,
          durationMs: 5000,
        });

        const refused = new UploadWorker({
          db,
          store: new S3RecordingStore({ ...config, secretKey: 'rotated-away-0123456789' }),
          spoolDir,
          now: () => now,
        });
        expect((await refused.runOnce()).pending).toBe(1);
        expect((await getRecording(db, spooled.recordingId))?.error).toMatch(
          /SignatureDoesNotMatch|Access ?Denied/i,
        );

        now = new Date(now.getTime() + 60_000);
        const worker = new UploadWorker({
          db,
          store: new S3RecordingStore(config),
          spoolDir,
          now: () => now,
        });
        expect((await worker.runOnce()).uploaded).toEqual([spooled.recordingId]);
        const stored = await new S3RecordingStore(config).read(spooled.storageKey);
        expect((await buffer(stored)).equals(bytes)).toBe(true);
        expect(await getRecording(db, spooled.recordingId)).toMatchObject({
          status: 'uploaded',
          location: `${config.endpoint}/recordings/${spooled.storageKey}`,
        });
      });
    });
  },
);
