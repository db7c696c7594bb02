import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ParticipantInfo_Kind } from '@livekit/protocol';
import type { FastifyInstance } from 'fastify';
import { EgressStatus, TrackType } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import {
  AgentRecordingUploader,
  findRecordingForCall,
  getRecording,
  type Recording,
} from '../../src/egress/index.js';
import { tempDir, testConfig } from '../helpers/app.js';
import { bearerHeaders } from '../helpers/auth.js';
import { createTestDatabase } from '../helpers/databases.js';
import {
  answerEgress,
  startFakeLiveKitApi,
  type FakeLiveKitApi,
} from '../helpers/fake-livekit-api.js';
import { signWebhook, type WebhookEventInit } from '../helpers/livekit-webhooks.js';
import { insertTestCall } from '../helpers/recording-fixtures.js';
import { startS3Server, type TestS3Server } from '../helpers/s3-server.js';

/**
 * Egress mode end to end in the API process: signed LiveKit webhooks posted to
 * `/webhooks/livekit` reach the recordings plugin through `fastify.livekitEvents`; egress
 * requests go to a local stand-in for the LiveKit API; the bucket is a real S3-protocol server.
 */
describe('egress recording through LiveKit webhooks', () => {
  let api: FakeLiveKitApi;
  let s3: TestS3Server;
  let app: FastifyInstance;
  let spoolDir: string;

  let sequence = 0;
  async function deliver(event: WebhookEventInit): Promise<void> {
    sequence += 1;
    const signed = await signWebhook(
      {
        id: `EV_${sequence}_${randomBytes(3).toString('hex')}`,
        createdAt: 1_795_000_000n,
        ...event,
      },
      api,
    );
    const response = await app.inject({
      method: 'POST',
      url: '/webhooks/livekit',
      headers: signed.headers,
      payload: signed.body,
    });
    expect(response.statusCode, response.body).toBe(200);
  }

  async function egressRow(callId: string): Promise<Recording> {
    const row = await findRecordingForCall(app.db, callId, 'egress');
    if (!row) throw new Error('no egress recording');
    return row;
  }

  beforeAll(async () => {
    api = await startFakeLiveKitApi();
    answerEgress(api);
    s3 = await startS3Server();
    spoolDir = path.join(tempDir(), 'spool');
    app = await buildApp({
      config: testConfig({
        RECORDING_MODE: 'egress',
        RECORDINGS_STORE: 's3',
        RECORDINGS_SPOOL_DIR: spoolDir,
        S3_ENDPOINT: s3.endpoint,
        S3_EGRESS_ENDPOINT: 'http://minio:9000',
        S3_ACCESS_KEY: s3.accessKey,
        S3_SECRET_KEY: s3.secretKey,
        S3_BUCKET: 'egress-flow',
        LIVEKIT_URL: api.url,
        LIVEKIT_API_KEY: api.apiKey,
        LIVEKIT_API_SECRET: api.apiSecret,
      }),
      database: await createTestDatabase('sqlite'),
      ownsDatabase: true,
    });
    await app.ready();
    await app.recordings.store.ensureReady();
  });

  afterAll(async () => {
    await app.close();
    await api.close();
    await s3.close();
  });

  it('starts egress on the caller track, stops it when the caller leaves, and stores the result', async () => {
    const call = await insertTestCall(app.db);
    const key = `recordings/2026/11/21/${call.id}.ogg`;
    const room = { name: call.roomName, sid: 'RM_1' };
    await deliver({
      event: 'track_published',
      room,
      participant: { identity: 'sip_+15551230000', kind: ParticipantInfo_Kind.SIP },
      track: { sid: 'TR_caller', type: TrackType.AUDIO },
    });
    const started = await egressRow(call.id);
    expect(started).toMatchObject({ status: 'recording', egressId: `EG_${call.roomName}` });
    const [request] = api.callsTo('Egress', 'StartRoomCompositeEgress');
    expect(request?.body).toMatchObject({
      roomName: call.roomName,
      audioOnly: true,
      audioMixing: 'DUAL_CHANNEL_AGENT',
      fileOutputs: [
        {
          fileType: 'OGG',
          filepath: key,
          s3: { endpoint: 'http://minio:9000', bucket: 'egress-flow', forcePathStyle: true },
        },
      ],
    });
    expect(request?.body).not.toHaveProperty('file');

    await deliver({
      event: 'participant_left',
      room,
      participant: { identity: 'sip_+15551230000', kind: ParticipantInfo_Kind.SIP },
    });
    expect(api.callsTo('Egress', 'StopEgress')).toHaveLength(1);
    expect(api.callsTo('Egress', 'StopEgress')[0]?.body).toEqual({ egressId: started.egressId });

    // What the egress service uploads, then reports.
    const audio = randomBytes(5000);
    await app.recordings.store.put(key, Readable.from([audio]), {
      contentType: 'audio/ogg',
      sizeBytes: audio.length,
      metadata: { callId: call.id },
    });
    await deliver({
      event: 'egress_ended',
      egressInfo: {
        egressId: started.egressId ?? undefined,
        roomName: call.roomName,
        status: EgressStatus.EGRESS_COMPLETE,
        fileResults: [
          {
            filename: key,
            location: `http://minio:9000/egress-flow/${key}`,
            size: BigInt(audio.length),
            duration: 31_000_000_000n,
          },
        ],
      },
    });
    const uploaded = await egressRow(call.id);
    expect(uploaded).toMatchObject({
      status: 'uploaded',
      sizeBytes: audio.length,
      durationMs: 31_000,
    });

    const detail = (
      await app.inject({
        method: 'GET',
        url: `/api/recordings/${uploaded.id}`,
        headers: await bearerHeaders(app, 'supervisor'),
      })
    ).json();
    expect(detail).toMatchObject({ mode: 'egress', channels: { left: 'agent', right: 'caller' } });
    expect(Buffer.from(await (await fetch(detail.presignedUrl)).arrayBuffer()).equals(audio)).toBe(
      true,
    );
    const audioResponse = await app.inject({
      method: 'GET',
      url: `/api/recordings/${uploaded.id}/audio`,
      headers: await bearerHeaders(app, 'supervisor'),
    });
    expect(audioResponse.rawPayload.equals(audio)).toBe(true);
  });

  it('falls back to the agent-side recording when egress fails', async () => {
    const call = await insertTestCall(app.db);
    await deliver({
      event: 'track_published',
      room: { name: call.roomName },
      participant: { identity: 'sip_+15551230000', kind: ParticipantInfo_Kind.SIP },
      track: { sid: 'TR_caller', type: TrackType.AUDIO },
    });
    const started = await egressRow(call.id);
    expect(started).toMatchObject({ status: 'recording', egressId: `EG_${call.roomName}` });

    // The worker recorded the call too and spooled its file at call end.
    const backup = randomBytes(8000);
    const source = path.join(tempDir(), 'audio.ogg');
    await writeFile(source, backup);
    const spooled = await new AgentRecordingUploader({
      db: app.db,
      spoolDir,
      recordingMode: 'egress',
    }).spoolRecording({
      callId: call.id,
      sourcePath: source,
      startedAt: call.startedAt,
      durationMs: 20_000,
    });
    expect((await app.recordings.uploadWorker?.runOnce())?.uploaded).toEqual([]);

    await deliver({
      event: 'egress_ended',
      egressInfo: {
        egressId: started.egressId ?? undefined,
        roomName: call.roomName,
        status: EgressStatus.EGRESS_FAILED,
        error: 'could not upload: AccessDenied',
      },
    });
    expect(await egressRow(call.id)).toMatchObject({
      status: 'failed',
      error: 'EGRESS_FAILED: could not upload: AccessDenied',
    });

    expect((await app.recordings.uploadWorker?.runOnce())?.uploaded).toEqual([spooled.recordingId]);
    expect(await getRecording(app.db, spooled.recordingId)).toMatchObject({
      status: 'uploaded',
      mode: 'agent',
    });
    const list = (
      await app.inject({
        method: 'GET',
        url: `/api/recordings?status=uploaded`,
        headers: await bearerHeaders(app, 'supervisor'),
      })
    ).json();
    expect(list.items.map((r: { id: string }) => r.id)).toContain(spooled.recordingId);
    const played = await app.inject({
      method: 'GET',
      url: `/api/recordings/${spooled.recordingId}/audio`,
      headers: await bearerHeaders(app, 'supervisor'),
    });
    expect(played.rawPayload.equals(backup)).toBe(true);
  });
});
