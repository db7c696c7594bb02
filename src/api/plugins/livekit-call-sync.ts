import { ParticipantInfo_Kind } from '@livekit/protocol';
import fp from 'fastify-plugin';
import type { WebhookEvent } from 'livekit-server-sdk';
import {
  type CallPatch,
  finalizeCallByRoom,
  getCallByRoom,
  updateCall,
} from '../../calls/index.js';
import type { Db } from '../../db/index.js';
import { sipCallAttributes } from '../../sip/sip-attributes.js';

/** When LiveKit says the event happened (Unix seconds), as ISO; now when it did not say. */
function eventTime(event: WebhookEvent): string {
  const seconds = Number(event.createdAt);
  return seconds > 0 ? new Date(seconds * 1000).toISOString() : new Date().toISOString();
}

const isSipCaller = (event: WebhookEvent) => event.participant?.kind === ParticipantInfo_Kind.SIP;

/** The room closed: end its call if the worker did not (crash, lost connection). */
export async function onRoomFinished(db: Db, event: WebhookEvent): Promise<void> {
  const roomName = event.room?.name;
  if (!roomName) return;
  await finalizeCallByRoom(db, roomName, { endReason: 'room_closed', at: eventTime(event) });
}

/**
 * The phone caller left: the call is over (the worker usually finalizes first; this covers a
 * worker that died). A caller leaving because of an accepted transfer is the worker's to record:
 * a transfer target without an error means a REFER is in flight, so the call is left alone.
 */
export async function onParticipantLeft(db: Db, event: WebhookEvent): Promise<void> {
  const roomName = event.room?.name;
  if (!roomName || !isSipCaller(event)) return;
  const call = await getCallByRoom(db, roomName);
  if (!call || (call.transfer.target && !call.transfer.error)) return;
  await finalizeCallByRoom(db, roomName, { endReason: 'caller_hung_up', at: eventTime(event) });
}

/** The phone caller joined: fill in the SIP details the worker has not stored yet. */
export async function onParticipantJoined(db: Db, event: WebhookEvent): Promise<void> {
  const roomName = event.room?.name;
  if (!roomName || !event.participant || !isSipCaller(event)) return;
  const call = await getCallByRoom(db, roomName);
  if (!call) return;
  const sip = sipCallAttributes(event.participant.attributes);
  const patch: CallPatch = {};
  if (!call.callerIdentity) patch.callerIdentity = event.participant.identity;
  if (!call.callerNumber && sip.callerNumber) patch.callerNumber = sip.callerNumber;
  if (!call.dialedNumber && sip.dialedNumber) patch.dialedNumber = sip.dialedNumber;
  if (!call.sipCallId && sip.sipCallId) patch.sipCallId = sip.sipCallId;
  if (!call.sipTrunkId && sip.sipTrunkId) patch.sipTrunkId = sip.sipTrunkId;
  if (!call.sipRuleId && sip.sipRuleId) patch.sipRuleId = sip.sipRuleId;
  if (Object.keys(patch).length > 0) await updateCall(db, call.id, patch);
}

/**
 * Keeps call rows in step with LiveKit webhooks. `room_started` has nothing to update: the call
 * row is created by the worker when it joins the room.
 */
export default fp(
  async (fastify) => {
    fastify.livekitEvents.on('room_finished', (event) => onRoomFinished(fastify.db, event));
    fastify.livekitEvents.on('participant_left', (event) => onParticipantLeft(fastify.db, event));
    fastify.livekitEvents.on('participant_joined', (event) =>
      onParticipantJoined(fastify.db, event),
    );
  },
  { name: 'livekit-call-sync', dependencies: ['livekit-events', 'database'] },
);
