import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/app.js';
import { startS3Server, type TestS3Server } from '../../test/helpers/s3-server.js';
import { InvalidRecordingKeyError, LocalRecordingStore } from './local-recording-store.js';
import {
  RECORDING_CONTENT_TYPE,
  RecordingObjectNotFoundError,
  recordingKey,
  type RecordingStore,
} from './recording-store.js';
import { S3RecordingStore } from './s3-recording-store.js';

const audio = randomBytes(20_000);
const sha256 = createHash('sha256').update(audio).digest('hex');

async function putBytes(store: RecordingStore, key: string, bytes: Buffer, callId = 'call-1') {
  await store.put(key, Readable.from([bytes]), {
    contentType: RECORDING_CONTENT_TYPE,
    sizeBytes: bytes.length,
    metadata: {
      callId,
      recordingId: 'rec-1',
      callerNumber: '+15551230000',
      durationMs: 61_500,
      sha256,
    },
  });
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** The contract every store implementation keeps. */
function storeContract(name: string, makeStore: () => RecordingStore) {
  describe(`${name} recording store`, () => {
    let store: RecordingStore;
    beforeAll(async () => {
      store = makeStore();
      await store.ensureReady();
      await store.ensureReady();
    });

    it('uploads a stream and reports size, type and metadata', async () => {
      await putBytes(store, 'recordings/2026/11/21/call-1.ogg', audio);
      const info = await store.stat('recordings/2026/11/21/call-1.ogg');
      expect(info).toMatchObject({
        key: 'recordings/2026/11/21/call-1.ogg',
        sizeBytes: audio.length,
        contentType: 'audio/ogg',
        metadata: {
          callId: 'call-1',
          recordingId: 'rec-1',
          callerNumber: '+15551230000',
          durationMs: 61_500,
          sha256,
        },
      });
      expect(info?.lastModified).toBeInstanceOf(Date);
    });

    it('streams the whole object and byte ranges of it', async () => {
      const key = 'recordings/2026/11/21/call-1.ogg';
      expect((await buffer(await store.read(key))).equals(audio)).toBe(true);
      expect(await buffer(await store.read(key, { start: 0, end: 99 }))).toEqual(
        audio.subarray(0, 100),
      );
      expect(await buffer(await store.read(key, { start: 5000, end: 5009 }))).toEqual(
        audio.subarray(5000, 5010),
      );
      const last = audio.length - 1;
      expect(await buffer(await store.read(key, { start: last - 499, end: last }))).toEqual(
        audio.subarray(-500),
      );
    });

    it('lists objects under a prefix in key order', async () => {
      await putBytes(store, 'recordings/2026/11/22/call-3.ogg', Buffer.from('three'), 'call-3');
      await putBytes(store, 'recordings/2026/11/22/call-2.ogg', Buffer.from('two'), 'call-2');
      await putBytes(store, 'other/x.ogg', Buffer.from('x'), 'x');
      const day = await collect(store.list('recordings/2026/11/22/'));
      expect(day.map((o) => [o.key, o.sizeBytes])).toEqual([
        ['recordings/2026/11/22/call-2.ogg', 3],
        ['recordings/2026/11/22/call-3.ogg', 5],
      ]);
      const all = await collect(store.list('recordings/'));
      expect(all.map((o) => o.key)).toEqual([
        'recordings/2026/11/21/call-1.ogg',
        'recordings/2026/11/22/call-2.ogg',
        'recordings/2026/11/22/call-3.ogg',
      ]);
      expect(all[0]?.lastModified).toBeInstanceOf(Date);
    });

    it('replaces an object uploaded again under the same key', async () => {
      await putBytes(store, 'other/x.ogg', Buffer.from('newer'), 'x');
      expect((await buffer(await store.read('other/x.ogg'))).toString()).toBe('newer');
    });

    it('deletes objects, and deleting a missing key is fine', async () => {
      await store.remove('other/x.ogg');
      await store.remove('other/x.ogg');
      expect(await store.stat('other/x.ogg')).toBeNull();
      await expect(store.read('other/x.ogg')).rejects.toBeInstanceOf(RecordingObjectNotFoundError);
      expect(await collect(store.list('other/'))).toEqual([]);
    });

    it('passes its readiness check', async () => {
      await expect(store.check()).resolves.toBeUndefined();
    });
  });
}

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
