import { ParticipantKind } from '@livekit/rtc-node';
import { describe, expect, it } from 'vitest';
import { callerIdentity, sipCallEnded } from './caller-identity.js';

describe('callerIdentity', () => {
  it("reads a phone caller's number, dialed number and SIP ids from its attributes", () => {
    const caller = {
      identity: 'sip_+15555550100',
      kind: ParticipantKind.SIP,
      attributes: {
        'sip.phoneNumber': '+15555550100',
        'sip.trunkPhoneNumber': '+15555550188',
        'sip.callID': 'SCL_x1',
        'sip.callIDFull': 'abc@carrier',
        'sip.trunkID': 'ST_x1',
        'sip.ruleID': 'SDR_x1',
        'sip.callStatus': 'active',
        'sip.twilio.callSid': 'CA123',
      },
    };
    expect(callerIdentity(caller)).toEqual({
      channel: 'sip',
      callerIdentity: 'sip_+15555550100',
      callerNumber: '+15555550100',
      dialedNumber: '+15555550188',
      sipCallId: 'SCL_x1',
      sipTrunkId: 'ST_x1',
      sipRuleId: 'SDR_x1',
      sipCallStatus: 'active',
    });
    expect(sipCallEnded(caller)).toBe(false);
    expect(sipCallEnded({ ...caller, attributes: { 'sip.callStatus': 'hangup' } })).toBe(true);
  });

  it('keeps nulls when the rule hides the number', () => {
    const hidden = {
      identity: 'sip_3f2a9c0d1e2b4a5f',
      kind: ParticipantKind.SIP,
      attributes: { 'sip.callID': 'SCL_x2', 'sip.callStatus': 'weird' },
    };
    expect(callerIdentity(hidden)).toMatchObject({
      channel: 'sip',
      callerNumber: null,
      dialedNumber: null,
      sipCallId: 'SCL_x2',
      sipCallStatus: null,
    });
  });

  it('gives web callers their identity and nothing else', () => {
    expect(
      callerIdentity({
        identity: 'web_0123456789abcdef',
        kind: ParticipantKind.STANDARD,
        attributes: {},
      }),
    ).toEqual({
      channel: 'web',
      callerIdentity: 'web_0123456789abcdef',
      callerNumber: null,
      dialedNumber: null,
      sipCallId: null,
      sipTrunkId: null,
      sipRuleId: null,
      sipCallStatus: null,
    });
  });
});
