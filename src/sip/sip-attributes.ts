/**
 * The participant attributes LiveKit SIP sets on a caller (livekit/protocol livekit/attrs.go), read
 * into call-record fields. Both the worker (rtc participant) and the webhook handlers use this.
 */

export const SIP_ATTRIBUTE = {
  /** LiveKit's id for the SIP call (`SCL_...`). */
  callId: 'sip.callID',
  /** The carrier's SIP Call-ID header. */
  callIdFull: 'sip.callIDFull',
  trunkId: 'sip.trunkID',
  ruleId: 'sip.ruleID',
  /** The caller's number (absent when the rule hides phone numbers). */
  phoneNumber: 'sip.phoneNumber',
  /** The number the caller dialed. */
  trunkPhoneNumber: 'sip.trunkPhoneNumber',
  callStatus: 'sip.callStatus',
} as const;

export const SIP_CALL_STATUSES = ['dialing', 'ringing', 'automation', 'active', 'hangup'] as const;
export type SipCallStatus = (typeof SIP_CALL_STATUSES)[number];

/** What a SIP caller's attributes tell about the call; null where LiveKit did not say. */
export interface SipCallAttributes {
  callerNumber: string | null;
  dialedNumber: string | null;
  sipCallId: string | null;
  sipTrunkId: string | null;
  sipRuleId: string | null;
  callStatus: SipCallStatus | null;
}

const present = (value: string | undefined): string | null =>
  value === undefined || value === '' ? null : value;

function callStatus(value: string | undefined): SipCallStatus | null {
  return (SIP_CALL_STATUSES as readonly string[]).includes(value ?? '')
    ? (value as SipCallStatus)
    : null;
}

/** Reads the `sip.*` attributes of a caller participant. */
export function sipCallAttributes(attributes: Readonly<Record<string, string>>): SipCallAttributes {
  return {
    callerNumber: present(attributes[SIP_ATTRIBUTE.phoneNumber]),
    dialedNumber: present(attributes[SIP_ATTRIBUTE.trunkPhoneNumber]),
    sipCallId: present(attributes[SIP_ATTRIBUTE.callId]),
    sipTrunkId: present(attributes[SIP_ATTRIBUTE.trunkId]),
    sipRuleId: present(attributes[SIP_ATTRIBUTE.ruleId]),
    callStatus: callStatus(attributes[SIP_ATTRIBUTE.callStatus]),
  };
}
