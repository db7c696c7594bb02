import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/app.js';
import {
  audio,
  collect,
  putBytes,
  storeContract,
} from '../../test/helpers/recording-store-contract.js';
import { startS3Server, type TestS3Server } from '../../test/helpers/s3-server.js';
import { InvalidRecordingKeyError, LocalRecordingStore } from './local-recording-store.js';
import { RECORDING_CONTENT_TYPE, recordingKey } from './recording-store.js';
import { S3RecordingStore } from './s3-recording-store.js';

storeContract('local', () => new LocalRecordingStore(tempDir('recordings-')));

describe('local recording store specifics', () => {
  it('refuses keys that could leave its directory', async () => {
    const store = new LocalRecordingStore(tempDir());
    for (const key of ['../x.ogg', 'a/../../x.ogg', '/etc/passwd', '.meta/x.json', 'a//b.ogg']) {
      await expect(putBytes(store, key, Buffer.from('x'))).rejects.toBeInstanceOf(
        InvalidRecordingKeyError,
      );
    }
  });

  it('has no presigned URLs; its location is a file URL', async () => {
    const store = new LocalRecordingStore('/srv/rec');
    expect(await store.presignedUrl()).toBeNull();
    expect(store.locationOf('recordings/a.ogg')).toBe('file:///srv/rec/recordings/a.ogg');
  });

  it('rejects a body shorter than announced and leaves nothing behind', async () => {
    const store = new LocalRecordingStore(tempDir());
    await expect(
      store.put('a.ogg', Readable.from([Buffer.from('abc')]), {
        contentType: RECORDING_CONTENT_TYPE,
        sizeBytes: 10,
        metadata: { callId: 'c' },
      }),
    ).rejects.toThrow(/expected 10/);
    expect(await store.stat('a.ogg')).toBeNull();
    expect(await collect(store.list())).toEqual([]);
  });
});

describe('s3 recording store on s3rver', () => {
  let s3: TestS3Server;
  beforeAll(async () => {
    s3 = await startS3Server();
  });
  afterAll(() => s3.close());

  storeContract('s3', () => new S3RecordingStore(s3.storeConfig('contract')));

  it('creates the bucket when missing and presigns GET URLs a browser can fetch', async () => {
    const store = new S3RecordingStore(s3.storeConfig('fresh-bucket'));
    await expect(store.check()).rejects.toThrow(/does not exist/);
    await putBytes(store, 'recordings/a.ogg', audio);
    const url = await store.presignedUrl('recordings/a.ogg', 60);
    expect(url).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/fresh-bucket\/recordings\/a\.ogg\?.*X-Amz-Expires=60/,
    );
    const response = await fetch(url as string);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(audio)).toBe(true);
    const download = await store.presignedUrl('recordings/a.ogg', 60, { downloadName: 'call.ogg' });
    expect(download).toContain('response-content-disposition=attachment');
  });

  it('uploads large bodies as one multipart upload, streamed in parts', async () => {
    const store = new S3RecordingStore(s3.storeConfig('multipart'), {
      partSizeBytes: 5 * 1024 * 1024,
    });
    const big = randomBytes(11 * 1024 * 1024 + 123);
    const file = path.join(tempDir(), 'big.ogg');
    await writeFile(file, big);
    await store.put('recordings/big.ogg', createReadStream(file), {
      contentType: RECORDING_CONTENT_TYPE,
      sizeBytes: big.length,
      metadata: { callId: 'big' },
    });
    const parts = s3.requests.filter(
      (r) =>
        r.method === 'PUT' &&
        r.path === '/multipart/recordings/big.ogg' &&
        r.query.includes('partNumber='),
    );
    expect(parts).toHaveLength(3);
    expect(s3.uploadsOf('multipart', 'recordings/big.ogg')).toBe(1);
    const back = await buffer(await store.read('recordings/big.ogg'));
    expect(createHash('sha256').update(back).digest('hex')).toBe(
      createHash('sha256').update(big).digest('hex'),
    );
  });

  it('builds path-style locations from the endpoint', () => {
    const store = new S3RecordingStore(s3.storeConfig('loc'));
    expect(store.locationOf('recordings/a.ogg')).toBe(`${s3.endpoint}/loc/recordings/a.ogg`);
  });
});

describe('recordingKey', () => {
  it('files recordings by UTC date of the call start', () => {
    expect(recordingKey('abc', '2026-01-02T23:30:00-05:00')).toBe('recordings/2026/01/03/abc.ogg');
    expect(recordingKey('abc', new Date('2026-11-21T10:00:00Z'), '.agent')).toBe(
      'recordings/2026/11/21/abc.agent.ogg',
    );
  });
});
