import { ParticipantKind } from '@livekit/rtc-node';
import type { CallChannel, NewCall } from '../../calls/index.js';
import { sipCallAttributes, type SipCallStatus } from '../../sip/sip-attributes.js';

/** Who is calling, as the call record stores it. */
export interface CallerIdentity extends Required<
  Pick<
    NewCall,
    'callerIdentity' | 'callerNumber' | 'dialedNumber' | 'sipCallId' | 'sipTrunkId' | 'sipRuleId'
  >
> {
  channel: Exclude<CallChannel, 'simulator'>;
  /** LiveKit SIP's view of the call (`sip.callStatus`); null for web callers. */
  sipCallStatus: SipCallStatus | null;
}

/** What the worker knows of a remote participant (an rtc-node `RemoteParticipant` fits). */
export interface ParticipantLike {
  identity: string;
  kind: ParticipantKind;
  attributes: Readonly<Record<string, string>>;
}

/**
 * Reads the caller from the participant LiveKit put in the room: a phone caller (kind SIP) brings
 * its `sip.*` attributes; a browser caller only has the identity we gave its token.
 */
export function callerIdentity(participant: ParticipantLike): CallerIdentity {
  if (participant.kind !== ParticipantKind.SIP) {
    return {
      channel: 'web',
      callerIdentity: participant.identity,
      callerNumber: null,
      dialedNumber: null,
      sipCallId: null,
      sipTrunkId: null,
      sipRuleId: null,
      sipCallStatus: null,
    };
  }
  const { callStatus, ...sip } = sipCallAttributes(participant.attributes);
  return {
    channel: 'sip',
    callerIdentity: participant.identity,
    ...sip,
    sipCallStatus: callStatus,
  };
}

/** Whether LiveKit SIP reports that the phone leg has hung up. */
export function sipCallEnded(participant: ParticipantLike): boolean {
  return sipCallAttributes(participant.attributes).callStatus === 'hangup';
}
