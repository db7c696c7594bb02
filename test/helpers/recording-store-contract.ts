import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  RECORDING_CONTENT_TYPE,
  RecordingObjectNotFoundError,
  type RecordingStore,
} from '../../src/egress/recording-store.js';

export const audio = randomBytes(20_000);
export const sha256 = createHash('sha256').update(audio).digest('hex');

/** Uploads `bytes` with full metadata. */
export async function putBytes(
  store: RecordingStore,
  key: string,
  bytes: Buffer,
  callId = 'call-1',
) {
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

/** Drains an async iterable. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** The contract every store implementation keeps (local, s3rver, Ceph). */
export function storeContract(name: string, makeStore: () => RecordingStore) {
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
