import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../../test/helpers/app.js';
import { authorizedAs } from '../../../test/helpers/auth.js';
import { createTestDatabase } from '../../../test/helpers/databases.js';
import { insertTestCall, insertTestRecording } from '../../../test/helpers/recording-fixtures.js';
import { startS3Server, type TestS3Server } from '../../../test/helpers/s3-server.js';
import { getRecording, type RecordingStatus } from '../../egress/index.js';
import { buildApp } from '../app.js';
import { selectBytes } from './recordings.js';

const audio = randomBytes(10_000);

/** One app for a whole describe block (buildTestApp closes after each test). */
async function buildSharedApp(env: Record<string, string> = {}) {
  const app = await buildApp({
    config: testConfig(env),
    database: await createTestDatabase('sqlite'),
    ownsDatabase: true,
  });
  await app.ready();
  // These tests are about the routes' behaviour; who may call them is in the access matrix.
  return authorizedAs(app, 'supervisor');
}

async function addRecording(
  app: FastifyInstance,
  options: {
    status?: RecordingStatus;
    startedAt?: string;
    call?: Parameters<typeof insertTestCall>[1];
    mode?: 'agent' | 'egress';
  } = {},
) {
  const call = await insertTestCall(app.db, options.call);
  const key = `recordings/2026/11/21/${call.id}.ogg`;
  if ((options.status ?? 'uploaded') === 'uploaded') {
    await app.recordings.store.put(key, Readable.from([audio]), {
      contentType: 'audio/ogg',
      sizeBytes: audio.length,
      metadata: { callId: call.id },
    });
  }
  return insertTestRecording(
    app.db,
    call,
    {
      mode: options.mode ?? 'agent',
      status: options.status ?? 'uploaded',
      storageKey: key,
      startedAt: options.startedAt ?? call.startedAt,
      sizeBytes: audio.length,
      durationMs: 12_000,
    },
    new Date(),
  );
}

describe('selectBytes', () => {
  it('reads single ranges, suffixes and open ends; refuses the unsatisfiable and malformed', () => {
    expect(selectBytes(1000, undefined)).toEqual({ kind: 'all' });
    expect(selectBytes(1000, 'bytes=0-99')).toEqual({ kind: 'range', start: 0, end: 99 });
    expect(selectBytes(1000, 'bytes=900-')).toEqual({ kind: 'range', start: 900, end: 999 });
    expect(selectBytes(1000, 'bytes=-100')).toEqual({ kind: 'range', start: 900, end: 999 });
    expect(selectBytes(1000, 'bytes=990-5000')).toEqual({ kind: 'range', start: 990, end: 999 });
    expect(selectBytes(1000, 'bytes=0-9,20-29')).toEqual({ kind: 'all' });
    expect(selectBytes(1000, 'bytes=0-9,5-29')).toEqual({ kind: 'range', start: 0, end: 29 });
    for (const bad of ['bytes=1000-', 'bytes=2000-3000', 'bytes=abc', 'items=0-1', 'bytes=5-1']) {
      expect(selectBytes(1000, bad), bad).toEqual({ kind: 'unsatisfiable' });
    }
  });
});

describe('recordings API on the local store', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildSharedApp();
  });
  afterAll(() => app.close());

  it('lists newest first with a cursor, and filters by caller, VIN and outcome', async () => {
    const made = [];
    for (let day = 1; day <= 5; day++) {
      made.push(
        await addRecording(app, {
          call: {
            started_at: `2026-03-0${day}T10:00:00.000Z`,
            caller_number: day === 2 ? '+15557654321' : '+15551230000',
            vin: day === 3 ? '1HGCM82633A004352' : null,
            outcome: day === 4 ? 'transferred' : 'completed',
          },
        }),
      );
    }
    const base = '/api/recordings?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z';
    const first = await app.inject({ method: 'GET', url: `${base}&limit=2` });
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1.items.map((r: { id: string }) => r.id)).toEqual([made[4]?.id, made[3]?.id]);
    expect(page1.items[0]).toMatchObject({
      mode: 'agent',
      status: 'uploaded',
      contentType: 'audio/ogg',
      channels: { left: 'caller', right: 'agent' },
      call: { callerNumber: '+15551230000', outcome: 'completed' },
      links: {
        self: `/api/recordings/${made[4]?.id}`,
        call: `/api/calls/${made[4]?.callId}`,
        audio: `/api/recordings/${made[4]?.id}/audio`,
      },
    });
    const second = await app.inject({
      method: 'GET',
      url: `${base}&limit=2&cursor=${encodeURIComponent(page1.nextCursor)}`,
    });
    const page2 = second.json();
    expect(page2.items.map((r: { id: string }) => r.id)).toEqual([made[2]?.id, made[1]?.id]);
    const third = (
      await app.inject({ method: 'GET', url: `${base}&limit=2&cursor=${page2.nextCursor}` })
    ).json();
    expect(third).toEqual({
      items: [expect.objectContaining({ id: made[0]?.id })],
      nextCursor: null,
    });

    const ids = async (query: string) =>
      (await app.inject({ method: 'GET', url: `${base}&${query}` }))
        .json()
        .items.map((r: { id: string }) => r.id);
    expect(await ids('caller=7654321')).toEqual([made[1]?.id]);
    expect(await ids('vin=1HGCM82633A004352')).toEqual([made[2]?.id]);
    expect(await ids('outcome=transferred')).toEqual([made[3]?.id]);
  });

  it('answers 400 naming bad query parameters and cursors', async () => {
    const bad = await app.inject({ method: 'GET', url: '/api/recordings?from=yesterday&limit=0' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/from/);
    expect(bad.json().message).toMatch(/limit/);
    const cursor = await app.inject({ method: 'GET', url: '/api/recordings?cursor=not-a-cursor' });
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json().message).toMatch(/cursor/);
  });

  it('shows one recording with its call link; the local store has no presigned URL', async () => {
    const recording = await addRecording(app, { mode: 'egress' });
    const response = await app.inject({ method: 'GET', url: `/api/recordings/${recording.id}` });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      id: recording.id,
      callId: recording.callId,
      sizeBytes: audio.length,
      durationMs: 12_000,
      channels: { left: 'agent', right: 'caller' },
      presignedUrl: null,
      presignedUrlExpiresAt: null,
      links: { call: `/api/calls/${recording.callId}` },
    });
    const missing = await app.inject({ method: 'GET', url: '/api/recordings/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'No such recording.',
    });
  });

  it('streams the audio with its type and length, and byte ranges for seeking', async () => {
    const { id, callId } = await addRecording(app);
    const url = `/api/recordings/${id}/audio`;
    const full = await app.inject({ method: 'GET', url });
    expect(full.statusCode).toBe(200);
    expect(full.headers).toMatchObject({
      'content-type': 'audio/ogg',
      'content-length': String(audio.length),
      'accept-ranges': 'bytes',
      'content-disposition': `inline; filename="${callId}.ogg"`,
    });
    expect(full.rawPayload.equals(audio)).toBe(true);

    const cases: Array<[string, number, number]> = [
      ['bytes=0-99', 0, 99],
      ['bytes=4000-4999', 4000, 4999],
      ['bytes=9000-', 9000, audio.length - 1],
      ['bytes=-500', audio.length - 500, audio.length - 1],
    ];
    for (const [range, start, end] of cases) {
      const part = await app.inject({ method: 'GET', url, headers: { range } });
      expect(part.statusCode, range).toBe(206);
      expect(part.headers['content-range'], range).toBe(`bytes ${start}-${end}/${audio.length}`);
      expect(part.headers['content-length'], range).toBe(String(end - start + 1));
      expect(part.rawPayload.equals(audio.subarray(start, end + 1)), range).toBe(true);
    }

    for (const range of [`bytes=${audio.length}-`, 'bytes=zzz']) {
      const refused = await app.inject({ method: 'GET', url, headers: { range } });
      expect(refused.statusCode, range).toBe(416);
      expect(refused.headers['content-range']).toBe(`bytes */${audio.length}`);
      expect(refused.json()).toMatchObject({ statusCode: 416, error: 'Range Not Satisfiable' });
    }
  });

  it('answers HEAD with the headers only and offers a download', async () => {
    const { id, callId } = await addRecording(app);
    const head = await app.inject({ method: 'HEAD', url: `/api/recordings/${id}/audio` });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe(String(audio.length));
    expect(head.headers['accept-ranges']).toBe('bytes');
    expect(head.rawPayload.length).toBe(0);
    const download = await app.inject({
      method: 'GET',
      url: `/api/recordings/${id}/audio?download=1`,
    });
    expect(download.headers['content-disposition']).toBe(`attachment; filename="${callId}.ogg"`);
  });

  it('answers 409 for audio that is not uploaded yet and 404 when storage lost it', async () => {
    const pending = await addRecording(app, { status: 'pending' });
    const response = await app.inject({
      method: 'GET',
      url: `/api/recordings/${pending.id}/audio`,
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().message).toContain('status pending');
    const lost = await addRecording(app);
    await app.recordings.store.remove(lost.storageKey);
    const gone = await app.inject({ method: 'GET', url: `/api/recordings/${lost.id}/audio` });
    expect(gone.statusCode).toBe(404);
  });

  it('deletes the object and the row; refuses while an upload is pending', async () => {
    const recording = await addRecording(app);
    const deleted = await app.inject({ method: 'DELETE', url: `/api/recordings/${recording.id}` });
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expect(await getRecording(app.db, recording.id)).toBeNull();
    expect(await app.recordings.store.stat(recording.storageKey)).toBeNull();
    const again = await app.inject({ method: 'DELETE', url: `/api/recordings/${recording.id}` });
    expect(again.statusCode).toBe(404);
    const pending = await addRecording(app, { status: 'pending' });
    const refused = await app.inject({ method: 'DELETE', url: `/api/recordings/${pending.id}` });
    expect(refused.statusCode).toBe(409);
    expect(await getRecording(app.db, pending.id)).not.toBeNull();
  });

  it('reports storage in readiness and documents the routes', async () => {
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.json().checks.storage).toMatchObject({ status: 'ok' });
    const docs = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(docs.paths)).toEqual(
      expect.arrayContaining([
        '/api/recordings',
        '/api/recordings/{id}',
        '/api/recordings/{id}/audio',
      ]),
    );
  });
});

describe('recordings API on S3 (s3rver)', () => {
  let s3: TestS3Server;
  let app: FastifyInstance;
  beforeAll(async () => {
    s3 = await startS3Server();
    app = await buildSharedApp({
      RECORDINGS_STORE: 's3',
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY: s3.accessKey,
      S3_SECRET_KEY: s3.secretKey,
      S3_BUCKET: 'api-recordings',
      S3_PRESIGN_TTL_SECONDS: '120',
    });
    await app.recordings.store.ensureReady();
  });
  afterAll(async () => {
    await app.close();
    await s3.close();
  });

  it('hands out a presigned URL that fetches the audio', async () => {
    const recording = await addRecording(app);
    const response = await app.inject({ method: 'GET', url: `/api/recordings/${recording.id}` });
    const body = response.json();
    expect(body.presignedUrl).toContain(`/api-recordings/${recording.storageKey}?`);
    expect(body.presignedUrl).toContain('X-Amz-Expires=120');
    expect(Date.parse(body.presignedUrlExpiresAt)).toBeGreaterThan(Date.now() + 100_000);
    const fetched = await fetch(body.presignedUrl);
    expect(Buffer.from(await fetched.arrayBuffer()).equals(audio)).toBe(true);
  });

  it('streams ranges from S3 with partial GETs', async () => {
    const { id, storageKey } = await addRecording(app);
    const part = await app.inject({
      method: 'GET',
      url: `/api/recordings/${id}/audio`,
      headers: { range: 'bytes=-500' },
    });
    expect(part.statusCode).toBe(206);
    expect(part.rawPayload.equals(audio.subarray(-500))).toBe(true);
    const gets = s3.requests.filter(
      (r) => r.method === 'GET' && r.path === `/api-recordings/${storageKey}`,
    );
    expect(gets).toHaveLength(1);
  });

  it('is not ready while storage is down', async () => {
    await s3.stop();
    try {
      const ready = await app.inject({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json().down).toEqual(['storage']);
    } finally {
      await s3.restart();
    }
    const back = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(back.statusCode).toBe(200);
  });
});
