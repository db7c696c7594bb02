import { createHash, randomUUID } from 'node:crypto';
import { ParticipantInfo_Kind } from '@livekit/protocol';
import {
  AccessToken,
  EgressClient,
  EgressInfo,
  EgressStatus,
  ParticipantInfo,
  Room,
  TrackInfo,
  TrackType,
  WebhookEvent,
  WebhookReceiver,
} from 'livekit-server-sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/helpers/databases.js';
import {
  answerEgress,
  startFakeLiveKitApi,
  type FakeLiveKitApi,
} from '../../test/helpers/fake-livekit-api.js';
import { insertTestCall, insertTestRecording } from '../../test/helpers/recording-fixtures.js';
import { EgressRecorder } from './egress-recorder.js';
import { handleEgressEvent } from './egress-events.js';
import { findRecordingForCall, getRecording } from './recording-repository.js';
import type { S3StoreConfig } from './s3-recording-store.js';

const storage: S3StoreConfig = {
  kind: 's3',
  endpoint: 'http://127.0.0.1:9000',
  egressEndpoint: 'http://minio:9000',
  region: 'us-east-1',
  accessKey: 'minio-access',
  secretKey: 'minio-secret-key',
  bucket: 'recordings',
  forcePathStyle: true,
  presignTtlSeconds: 300,
};

const NOW = new Date('2026-11-21T12:00:00.000Z');
const now = () => NOW;

/**
 * livekit-server-sdk's WebhookEvent subclass resets `event` to '' after the protobuf constructor
 * has set it (WebhookReceiver.js), so set it again; `receive()` (fromJson) is not affected.
 */
function webhookEvent(
  init: ConstructorParameters<typeof WebhookEvent>[0] & { event: WebhookEvent['event'] },
) {
  const event = new WebhookEvent(init);
  event.event = init.event;
  return event;
}

function trackPublished(roomName: string, kind: ParticipantInfo_Kind, type = TrackType.AUDIO) {
  return webhookEvent({
    id: `EV_${randomUUID()}`,
    event: 'track_published',
    room: new Room({ name: roomName, sid: 'RM_1' }),
    participant: new ParticipantInfo({ identity: 'sip_+15551230000', kind }),
    track: new TrackInfo({ sid: 'TR_1', type }),
  });
}

function egressEnded(info: Partial<EgressInfo>): WebhookEvent {
  return webhookEvent({
    id: `EV_${randomUUID()}`,
    event: 'egress_ended',
    egressInfo: new EgressInfo(info),
  });
}

describeEachDialect('egress recording', (database) => {
  let api: FakeLiveKitApi;
  let recorder: EgressRecorder;
  beforeAll(async () => {
    api = await startFakeLiveKitApi();
    answerEgress(api);
    recorder = new EgressRecorder({
      db: database().db,
      egress: new EgressClient(api.url, api.apiKey, api.apiSecret),
      storage,
      now,
      callLookup: { retries: 3, minTimeoutMs: 20 },
    });
  });
  afterAll(() => api.close());

  it('starts an audio-only, dual-channel OGG room-composite egress to our bucket when the caller publishes audio', async () => {
    const { db } = database();
    const call = await insertTestCall(db, { started_at: '2026-11-21T11:58:00.000Z' });
    const recording = await recorder.onTrackPublished(
      trackPublished(call.roomName, ParticipantInfo_Kind.SIP),
    );
    const requests = api
      .callsTo('Egress', 'StartRoomCompositeEgress')
      .filter((c) => c.body.roomName === call.roomName);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.body).toEqual({
      roomName: call.roomName,
      audioOnly: true,
      audioMixing: 'DUAL_CHANNEL_AGENT',
      fileOutputs: [
        {
          fileType: 'OGG',
          filepath: `recordings/2026/11/21/${call.id}.ogg`,
          disableManifest: true,
          s3: {
            accessKey: 'minio-access',
            secret: 'minio-secret-key',
            region: 'us-east-1',
            endpoint: 'http://minio:9000',
            bucket: 'recordings',
            forcePathStyle: true,
            metadata: { 'call-id': call.id, 'caller-number': '+15551230000' },
          },
        },
      ],
    });
    expect(requests[0]?.claims?.video?.roomRecord).toBe(true);
    expect(recording).toMatchObject({
      mode: 'egress',
      status: 'recording',
      egressId: `EG_${call.roomName}`,
    });
    expect(await findRecordingForCall(db, call.id, 'egress')).toMatchObject({
      egressId: `EG_${call.roomName}`,
      storageKey: `recordings/2026/11/21/${call.id}.ogg`,
      startedAt: NOW.toISOString(),
    });

    // A second audio track (or a repeated webhook) does not start a second egress.
    await recorder.onTrackPublished(trackPublished(call.roomName, ParticipantInfo_Kind.SIP));
    expect(
      api
        .callsTo('Egress', 'StartRoomCompositeEgress')
        .filter((c) => c.body.roomName === call.roomName),
    ).toHaveLength(1);
  });

  it("ignores the agent's own track, video tracks, and rooms without a call", async () => {
    const { db } = database();
    const call = await insertTestCall(db);
    const before = api.calls.length;
    expect(
      await recorder.onTrackPublished(trackPublished(call.roomName, ParticipantInfo_Kind.AGENT)),
    ).toBeNull();
    expect(
      await recorder.onTrackPublished(
        trackPublished(call.roomName, ParticipantInfo_Kind.SIP, TrackType.VIDEO),
      ),
    ).toBeNull();
    expect(
      await recorder.onTrackPublished(
        trackPublished('room-without-call', ParticipantInfo_Kind.SIP),
      ),
    ).toBeNull();
    expect(api.calls.length).toBe(before);
  });

  it('waits briefly for the worker to write the call row', async () => {
    const { db } = database();
    const id = randomUUID();
    const pending = recorder.onTrackPublished(
      trackPublished(`late_${id}`, ParticipantInfo_Kind.STANDARD),
    );
    await insertTestCall(db, { id, room_name: `late_${id}` });
    expect(await pending).toMatchObject({ callId: id, status: 'recording' });
  });

  it('stores a start failure on the row as failed', async () => {
    const { db } = database();
    const call = await insertTestCall(db);
    api.failNext('Egress', 'StartRoomCompositeEgress', {
      status: 503,
      code: 'unavailable',
      msg: 'no egress workers available',
    });
    const recording = await recorder.onTrackPublished(
      trackPublished(call.roomName, ParticipantInfo_Kind.SIP),
    );
    expect(recording?.status).toBe('failed');
    expect(await findRecordingForCall(db, call.id, 'egress')).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('no egress workers available'),
      endedAt: NOW.toISOString(),
    });
  });

  it('stops the egress when the caller leaves, not when someone else does', async () => {
    const { db } = database();
    const call = await insertTestCall(db);
    await recorder.onTrackPublished(trackPublished(call.roomName, ParticipantInfo_Kind.SIP));
    const left = (identity: string, kind: ParticipantInfo_Kind) =>
      webhookEvent({
        event: 'participant_left',
        room: new Room({ name: call.roomName }),
        participant: new ParticipantInfo({ identity, kind }),
      });
    await recorder.onParticipantLeft(left('agent-1', ParticipantInfo_Kind.AGENT));
    await recorder.onParticipantLeft(left('sip_+15559999999', ParticipantInfo_Kind.SIP));
    expect(
      api.callsTo('Egress', 'StopEgress').filter((c) => c.body.egressId === `EG_${call.roomName}`),
    ).toHaveLength(0);
    await recorder.onParticipantLeft(left('sip_+15551230000', ParticipantInfo_Kind.SIP));
    const stops = api
      .callsTo('Egress', 'StopEgress')
      .filter((c) => c.body.egressId === `EG_${call.roomName}`);
    expect(stops).toHaveLength(1);
    expect(stops[0]?.claims?.video?.roomRecord).toBe(true);
  });

  it('records location, size and duration when egress_ended reports success', async () => {
    const { db } = database();
    const call = await insertTestCall(db);
    const started = await recorder.onTrackPublished(
      trackPublished(call.roomName, ParticipantInfo_Kind.SIP),
    );
    const key = `recordings/2026/11/21/${call.id}.ogg`;
    const updated = await handleEgressEvent(
      { db, now },
      egressEnded({
        egressId: started?.egressId ?? '',
        roomName: call.roomName,
        status: EgressStatus.EGRESS_COMPLETE,
        endedAt: BigInt(Date.parse('2026-11-21T12:05:00Z')) * 1_000_000n,
        fileResults: [
          {
            filename: key,
            location: `http://minio:9000/recordings/${key}`,
            size: 1_234_567n,
            duration: 299_500_000_000n,
          },
        ] as EgressInfo['fileResults'],
      }),
    );
    expect(updated?.status).toBe('uploaded');
    expect(await getRecording(db, started?.id ?? '')).toMatchObject({
      status: 'uploaded',
      location: `http://minio:9000/recordings/${key}`,
      sizeBytes: 1_234_567,
      durationMs: 299_500,
      endedAt: '2026-11-21T12:05:00.000Z',
      uploadedAt: NOW.toISOString(),
      error: null,
    });
    // A late duplicate reporting failure cannot undo it.
    expect(
      await handleEgressEvent(
        { db, now },
        egressEnded({
          egressId: started?.egressId ?? '',
          status: EgressStatus.EGRESS_FAILED,
          error: 'x',
        }),
      ),
    ).toBeNull();
    expect((await getRecording(db, started?.id ?? ''))?.status).toBe('uploaded');
  });

  for (const status of [
    EgressStatus.EGRESS_FAILED,
    EgressStatus.EGRESS_ABORTED,
    EgressStatus.EGRESS_LIMIT_REACHED,
  ]) {
    it(`stores ${EgressStatus[status]} with its error and releases the agent fallback`, async () => {
      const { db } = database();
      const call = await insertTestCall(db);
      const started = await recorder.onTrackPublished(
        trackPublished(call.roomName, ParticipantInfo_Kind.SIP),
      );
      const fallback = await insertTestRecording(
        db,
        call,
        {
          mode: 'agent',
          status: 'pending',
          storageKey: `recordings/2026/11/21/${call.id}.agent.ogg`,
        },
        NOW,
      );
      await db
        .updateTable('recordings')
        .set({ next_attempt_at: '2026-11-21T13:00:00.000Z' })
        .where('id', '=', fallback.id)
        .execute();
      await handleEgressEvent(
        { db, now },
        egressEnded({
          egressId: started?.egressId ?? '',
          status,
          error: 'upload failed: 403 AccessDenied',
        }),
      );
      expect(await getRecording(db, started?.id ?? '')).toMatchObject({
        status: 'failed',
        error: `${EgressStatus[status]}: upload failed: 403 AccessDenied`,
      });
      expect((await getRecording(db, fallback.id))?.nextAttemptAt).toBe(NOW.toISOString());
    });
  }

  it('links an egress_started that arrives before the start response was stored', async () => {
    const { db } = database();
    const call = await insertTestCall(db);
    const recording = await insertTestRecording(
      db,
      call,
      { storageKey: 'k', startedAt: NOW.toISOString() },
      NOW,
    );
    await handleEgressEvent(
      { db, now },
      webhookEvent({
        event: 'egress_started',
        egressInfo: new EgressInfo({
          egressId: 'EG_early',
          roomName: call.roomName,
          status: EgressStatus.EGRESS_STARTING,
        }),
      }),
    );
    expect((await getRecording(db, recording.id))?.egressId).toBe('EG_early');
  });

  it('parses a signed egress_ended webhook body as LiveKit sends it', async () => {
    const { db } = database();
    const call = await insertTestCall(db);
    const started = await recorder.onTrackPublished(
      trackPublished(call.roomName, ParticipantInfo_Kind.SIP),
    );
    const body = JSON.stringify({
      event: 'egress_ended',
      id: 'EV_signed',
      createdAt: '1795000000',
      egressInfo: {
        egressId: started?.egressId,
        roomName: call.roomName,
        status: 'EGRESS_COMPLETE',
        endedAt: '1795000000000000000',
        fileResults: [
          {
            filename: 'recordings/x.ogg',
            location: 'http://minio:9000/recordings/recordings/x.ogg',
            size: '4096',
            duration: '2000000000',
          },
        ],
      },
    });
    const token = new AccessToken(api.apiKey, api.apiSecret);
    token.sha256 = createHash('sha256').update(body).digest('base64');
    const event = await new WebhookReceiver(api.apiKey, api.apiSecret).receive(
      body,
      await token.toJwt(),
    );
    await handleEgressEvent({ db, now }, event);
    expect(await getRecording(db, started?.id ?? '')).toMatchObject({
      status: 'uploaded',
      storageKey: 'recordings/x.ogg',
      sizeBytes: 4096,
      durationMs: 2000,
    });
  });
});
