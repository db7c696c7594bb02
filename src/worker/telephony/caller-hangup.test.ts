import { Room, RoomEvent } from '@livekit/rtc-node';
import { describe, expect, it } from 'vitest';
import { watchCallerHangup, type CallerGone } from './caller-hangup.js';

const caller = { identity: 'sip_+15555550100' } as never;
const agent = { identity: 'agent-AJ_1' } as never;

describe('watchCallerHangup', () => {
  it('reports the caller leaving once, and nobody else', () => {
    const room = new Room();
    const seen: CallerGone[] = [];
    watchCallerHangup(room, 'sip_+15555550100', (how) => seen.push(how));

    room.emit(RoomEvent.ParticipantDisconnected, agent);
    expect(seen).toEqual([]);
    room.emit(RoomEvent.ParticipantDisconnected, caller);
    room.emit(RoomEvent.ParticipantDisconnected, caller);
    expect(seen).toEqual(['participant_left']);
  });

  it('reports sip.callStatus hangup before the participant leaves', () => {
    const room = new Room();
    const seen: CallerGone[] = [];
    watchCallerHangup(room, 'sip_+15555550100', (how) => seen.push(how));

    room.emit(RoomEvent.ParticipantAttributesChanged, { 'sip.callStatus': 'active' }, caller);
    expect(seen).toEqual([]);
    room.emit(RoomEvent.ParticipantAttributesChanged, { 'sip.callStatus': 'hangup' }, caller);
    room.emit(RoomEvent.ParticipantDisconnected, caller);
    expect(seen).toEqual(['sip_hangup']);
    expect(room.listenerCount(RoomEvent.ParticipantDisconnected)).toBe(0);
  });
});
