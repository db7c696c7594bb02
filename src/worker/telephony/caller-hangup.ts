import { type Room, RoomEvent } from '@livekit/rtc-node';
import { SIP_ATTRIBUTE } from '../../sip/sip-attributes.js';

/** How the worker learned that the caller is gone. */
export type CallerGone = 'participant_left' | 'sip_hangup';

/**
 * Calls `onGone` once when the caller leaves the room or LiveKit SIP marks their call leg
 * `sip.callStatus = hangup` (which can come a moment before the participant leaves), so the worker
 * can finalize the call row and end the job at once. Returns a detach.
 */
export function watchCallerHangup(
  room: Pick<Room, 'on' | 'off'>,
  callerIdentity: string,
  onGone: (how: CallerGone) => void,
): () => void {
  let done = false;
  const gone = (how: CallerGone) => {
    if (done) return;
    done = true;
    detach();
    onGone(how);
  };
  const onLeft = (participant: { identity: string }) => {
    if (participant.identity === callerIdentity) gone('participant_left');
  };
  const onAttributes = (changed: Record<string, string>, participant: { identity: string }) => {
    if (participant.identity === callerIdentity && changed[SIP_ATTRIBUTE.callStatus] === 'hangup') {
      gone('sip_hangup');
    }
  };
  const detach = () => {
    room.off(RoomEvent.ParticipantDisconnected, onLeft);
    room.off(RoomEvent.ParticipantAttributesChanged, onAttributes);
  };
  room.on(RoomEvent.ParticipantDisconnected, onLeft);
  room.on(RoomEvent.ParticipantAttributesChanged, onAttributes);
  return detach;
}
