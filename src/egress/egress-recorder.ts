import { randomUUID } from 'node:crypto';
import { AudioMixing, ParticipantInfo_Kind } from '@livekit/protocol';
import {
  EncodedFileOutput,
  EncodedFileType,
  S3Upload,
  TrackType,
  type EgressClient,
  type WebhookEvent,
} from 'livekit-server-sdk';
import pRetry from 'p-retry';
import type { Db } from '../db/index.js';
import type { Logger } from '../observability/logger.js';
import { findCallByRoom, type CallForRecording } from './call-lookup.js';
import {
  createRecording,
  findRecordingForCall,
  updateRecording,
  type Recording,
} from './recording-repository.js';
import { RECORDING_CONTENT_TYPE, recordingKey } from './recording-store.js';
import type { S3StoreConfig } from './s3-recording-store.js';

export interface EgressRecorderOptions {
  db: Db;
  egress: EgressClient;
  /** Bucket and credentials; the egress service uploads to `egressEndpoint`. */
  storage: S3StoreConfig;
  logger?: Logger | undefined;
  now?: () => Date;
  /**
   * How long to wait for the worker to write the call row when the track is published first
   * (default about 4 s in all, well inside a webhook request).
   */
  callLookup?: { retries: number; minTimeoutMs: number };
}

/** Participants that are the call's other side: not our agent, not an egress recorder. */
function isCallerSide(kind: ParticipantInfo_Kind | undefined): boolean {
  return kind !== ParticipantInfo_Kind.AGENT && kind !== ParticipantInfo_Kind.EGRESS;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Starts and stops LiveKit room-composite egress for calls: audio only, OGG, dual channel with the
 * agent on the left and the caller on the right, uploaded by the egress service to our bucket.
 */
export class EgressRecorder {
  private readonly now: () => Date;

  constructor(private readonly options: EgressRecorderOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** The file output we ask egress for: `recordings/<yyyy>/<mm>/<dd>/<call id>.ogg` in our bucket. */
  fileOutput(call: CallForRecording, key: string): EncodedFileOutput {
    const { storage } = this.options;
    const metadata: Record<string, string> = { 'call-id': call.id };
    if (call.callerNumber) metadata['caller-number'] = call.callerNumber;
    return new EncodedFileOutput({
      fileType: EncodedFileType.OGG,
      filepath: key,
      // Egress would otherwise upload a JSON manifest beside every recording.
      disableManifest: true,
      output: {
        case: 's3',
        value: new S3Upload({
          endpoint: storage.egressEndpoint,
          bucket: storage.bucket,
          region: storage.region,
          accessKey: storage.accessKey,
          secret: storage.secretKey,
          forcePathStyle: storage.forcePathStyle,
          metadata,
        }),
      },
    });
  }

  /**
   * Starts recording the call's room unless it already has an egress recording. A start failure
   * is stored on the row as `failed` (the agent-side recording then takes over).
   */
  async startForCall(call: CallForRecording): Promise<Recording> {
    const { db, egress, logger } = this.options;
    const log = logger?.child({ callId: call.id });
    const key = recordingKey(call.id, call.startedAt);
    const { recording, created } = await createRecording(
      db,
      {
        id: randomUUID(),
        callId: call.id,
        mode: 'egress',
        status: 'recording',
        storageKey: key,
        contentType: RECORDING_CONTENT_TYPE,
        startedAt: this.now().toISOString(),
      },
      this.now(),
    );
    if (!created) return recording;
    try {
      // `{ file }` (EncodedOutputs) sends only `fileOutputs`; a bare file output would also send
      // the deprecated `file` field.
      const info = await egress.startRoomCompositeEgress(
        call.roomName,
        { file: this.fileOutput(call, key) },
        { audioOnly: true, audioMixing: AudioMixing.DUAL_CHANNEL_AGENT },
      );
      await updateRecording(db, recording.id, { egressId: info.egressId }, this.now());
      log?.info({ egressId: info.egressId, key }, 'egress recording started');
      return { ...recording, egressId: info.egressId };
    } catch (error) {
      const failure = `egress did not start: ${message(error)}`;
      await updateRecording(
        db,
        recording.id,
        { status: 'failed', error: failure, endedAt: this.now().toISOString() },
        this.now(),
        ['recording'],
      );
      log?.warn(
        { err: error },
        'egress recording did not start; the agent recording is the fallback',
      );
      return { ...recording, status: 'failed', error: failure };
    }
  }

  /** Stops the call's egress; it then ends and reports through `egress_ended`. */
  async stopForCall(callId: string): Promise<void> {
    const recording = await findRecordingForCall(this.options.db, callId, 'egress');
    if (!recording?.egressId || recording.status !== 'recording') return;
    try {
      await this.options.egress.stopEgress(recording.egressId);
      this.options.logger?.info(
        { callId, egressId: recording.egressId },
        'egress recording stopping',
      );
    } catch (error) {
      // Usually: it already ended with the room. The reconciler settles the row either way.
      this.options.logger?.info({ callId, err: error }, 'egress stop refused');
    }
  }

  /** `track_published`: the caller's audio is in the room, so recording can start. */
  async onTrackPublished(event: WebhookEvent): Promise<Recording | null> {
    const roomName = event.room?.name;
    if (!roomName || event.track?.type !== TrackType.AUDIO) return null;
    if (!isCallerSide(event.participant?.kind)) return null;
    const call = await this.waitForCall(roomName);
    if (!call) {
      this.options.logger?.warn({ room: roomName }, 'no call for the room; egress not started');
      return null;
    }
    return this.startForCall(call);
  }

  /** `participant_left`: when the caller leaves, stop recording. */
  async onParticipantLeft(event: WebhookEvent): Promise<void> {
    const roomName = event.room?.name;
    const participant = event.participant;
    if (!roomName || !participant || !isCallerSide(participant.kind)) return;
    const call = await findCallByRoom(this.options.db, roomName);
    if (!call) return;
    if (call.callerIdentity && call.callerIdentity !== participant.identity) return;
    await this.stopForCall(call.id);
  }

  private async waitForCall(roomName: string): Promise<CallForRecording | null> {
    const { retries, minTimeoutMs } = this.options.callLookup ?? { retries: 4, minTimeoutMs: 250 };
    try {
      return await pRetry(
        async () => {
          const call = await findCallByRoom(this.options.db, roomName);
          if (!call) throw new Error(`no call for room ${roomName} yet`);
          return call;
        },
        { retries, minTimeout: minTimeoutMs, factor: 2 },
      );
    } catch {
      return null;
    }
  }
}
