import { EgressStatus, type EgressInfo, type WebhookEvent } from 'livekit-server-sdk';
import type { Db } from '../db/index.js';
import type { Logger } from '../observability/logger.js';
import { findCallByRoom } from './call-lookup.js';
import {
  findRecordingByEgressId,
  findRecordingForCall,
  updateRecording,
  type Recording,
} from './recording-repository.js';

export interface EgressEventDeps {
  db: Db;
  logger?: Logger | undefined;
  now?: () => Date;
}

const FAILED = new Set([
  EgressStatus.EGRESS_FAILED,
  EgressStatus.EGRESS_ABORTED,
  EgressStatus.EGRESS_LIMIT_REACHED,
]);

/** Whether the egress has ended one way or the other. */
export function isFinalEgressStatus(status: EgressStatus): boolean {
  return status === EgressStatus.EGRESS_COMPLETE || FAILED.has(status);
}

const nsToIso = (ns: bigint): string | null =>
  ns > 0n ? new Date(Number(ns / 1_000_000n)).toISOString() : null;

/** Our row for the egress: by egress id, or (egress id not stored yet) by the room's call. */
async function findEgressRecording(db: Db, info: EgressInfo): Promise<Recording | null> {
  const byId = await findRecordingByEgressId(db, info.egressId);
  if (byId) return byId;
  const call = info.roomName ? await findCallByRoom(db, info.roomName) : null;
  const recording = call ? await findRecordingForCall(db, call.id, 'egress') : null;
  return recording && recording.egressId === null ? recording : null;
}

/**
 * Records how an egress ended on its recording row: location, size and duration when complete;
 * the status and error when it failed, aborted or hit a limit (which releases the agent-side
 * backup recording of the call for upload). Idempotent; returns the row it updated, if any.
 */
export async function finalizeEgress(
  deps: EgressEventDeps,
  info: EgressInfo,
): Promise<Recording | null> {
  const { db, logger } = deps;
  const now = (deps.now ?? (() => new Date()))();
  if (!isFinalEgressStatus(info.status)) return null;
  const recording = await findEgressRecording(db, info);
  if (!recording) {
    logger?.debug({ egressId: info.egressId }, 'egress ended that is not a call recording of ours');
    return null;
  }
  const log = logger?.child({ callId: recording.callId, egressId: info.egressId });
  const file = info.fileResults[0] ?? (info.result.case === 'file' ? info.result.value : undefined);
  const fileFields = file
    ? {
        storageKey: file.filename || recording.storageKey,
        location: file.location || null,
        sizeBytes: Number(file.size),
        durationMs: Number(file.duration / 1_000_000n),
      }
    : {};
  const endedAt = nsToIso(info.endedAt) ?? now.toISOString();

  if (info.status === EgressStatus.EGRESS_COMPLETE && file) {
    // A late success also upgrades a row the reconciler had given up on.
    const changed = await updateRecording(
      db,
      recording.id,
      {
        ...fileFields,
        egressId: info.egressId,
        status: 'uploaded',
        endedAt,
        uploadedAt: now.toISOString(),
        error: null,
      },
      now,
      ['recording', 'failed'],
    );
    if (changed) log?.info({ sizeBytes: fileFields.sizeBytes }, 'egress recording uploaded');
    return changed ? { ...recording, ...fileFields, status: 'uploaded' } : null;
  }

  const error = `${EgressStatus[info.status]}: ${info.error || info.details || 'no reason given'}`;
  const changed = await updateRecording(
    db,
    recording.id,
    { ...fileFields, egressId: info.egressId, status: 'failed', endedAt, error },
    now,
    ['recording'],
  );
  if (!changed) return null;
  log?.warn({ error }, 'egress recording failed; falling back to the agent recording');
  await releaseAgentFallback(db, recording.callId, now);
  return { ...recording, status: 'failed', error };
}

/** Makes the call's spooled agent recording due now instead of at its next scheduled check. */
export async function releaseAgentFallback(db: Db, callId: string, now: Date): Promise<void> {
  const fallback = await findRecordingForCall(db, callId, 'agent');
  if (fallback?.status === 'pending') {
    await updateRecording(db, fallback.id, { nextAttemptAt: now.toISOString() }, now, ['pending']);
  }
}

/** Links a just-started egress to its row when the start response has not been stored yet. */
async function linkEgress(deps: EgressEventDeps, info: EgressInfo): Promise<void> {
  const recording = await findEgressRecording(deps.db, info);
  if (recording && recording.egressId === null) {
    const now = (deps.now ?? (() => new Date()))();
    await updateRecording(deps.db, recording.id, { egressId: info.egressId }, now, ['recording']);
  }
}

/**
 * The handler for LiveKit's egress webhooks (verified and de-duplicated by the webhooks route):
 * `egress_ended` settles the recording row; `egress_started`/`egress_updated` link it.
 */
export async function handleEgressEvent(
  deps: EgressEventDeps,
  event: WebhookEvent,
): Promise<Recording | null> {
  const info = event.egressInfo;
  if (!info?.egressId) return null;
  switch (event.event) {
    case 'egress_ended':
      return finalizeEgress(deps, info);
    case 'egress_started':
    case 'egress_updated':
      await linkEgress(deps, info);
      if (isFinalEgressStatus(info.status)) return finalizeEgress(deps, info);
      return null;
    default:
      return null;
  }
}
