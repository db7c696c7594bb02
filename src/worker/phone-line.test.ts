import { EventEmitter } from 'node:events';
import { voice } from '@livekit/agents';
import type { Room } from '@livekit/rtc-node';
import { RoomEvent } from '@livekit/rtc-node';
import { beforeAll, expect, it, vi } from 'vitest';
import { startTestCall } from '../../test/helpers/agent-harness.js';
import { testConfig } from '../../test/helpers/app.js';
import { describeEachDialect } from '../../test/helpers/databases.js';
import { ManualTimers } from '../../test/helpers/manual-timers.js';
import { newVehicle } from '../../test/helpers/vehicles.js';
import { getCall } from '../calls/call-repository.js';
import { upsertVehicles } from '../vehicle-lookup/vehicle-repository.js';
import { attachPhoneLine } from './phone-line.js';

const CALLER = 'sip_+15550100777';
const config = testConfig({
  SILENCE_PROMPT_SECONDS: '10',
  SILENCE_HANGUP_SECONDS: '20',
  DTMF_INTERDIGIT_TIMEOUT_MS: '3000',
});
const fakeRoom = () => new EventEmitter() as unknown as Pick<Room, 'on' | 'off'> & EventEmitter;
const press = (room: EventEmitter, digits: string) => {
  for (const d of digits) room.emit(RoomEvent.DtmfReceived, 0, d, { identity: CALLER });
};

describeEachDialect('phone line around a running call', (database) => {
  beforeAll(async () => {
    await upsertVehicles(database().db, [
      newVehicle({
        vin: '7FARW2H52NE877541',
        year: 2022,
        make: 'Honda',
        model: 'CR-V',
        body: 'suv',
      }),
    ]);
  });

  it('prompts a silent caller, then says goodbye, hangs up and ends the call', async () => {
    const timers = new ManualTimers();
    const call = await startTestCall({ database: database(), config, responses: [] });
    const room = fakeRoom();
    attachPhoneLine(call, { room, callerIdentity: CALLER, timers });
    const said: string[] = [];
    call.session.on(voice.AgentSessionEventTypes.ConversationItemAdded, ({ item }) => {
      if (item.type === 'message' && item.role === 'assistant') said.push(item.textContent ?? '');
    });
    timers.advance(10_000);
    await vi.waitFor(() => expect(said).toContain('Are you still there?'));
    timers.advance(20_000);
    expect(await call.ended).toBe('hung_up');
    expect(call.telephony.requests).toEqual([{ kind: 'hangup', reason: 'silence_timeout' }]);
    expect(await getCall(database().db, call.data.call.id)).toMatchObject({
      state: 'ended',
      outcome: 'hung_up',
      endReason: 'silence_timeout',
    });
  });

  it('answers "0" on the keypad and looks up the VIN ending the caller keys in', async () => {
    const timers = new ManualTimers();
    const call = await startTestCall({
      database: database(),
      config,
      responses: [
        { input: 'can I type it', toolCalls: [{ name: 'enter_vin_on_keypad', args: {} }] },
      ],
    });
    const room = fakeRoom();
    attachPhoneLine(call, { room, callerIdentity: CALLER, timers });
    const replies = vi.spyOn(call.session, 'generateReply');

    press(room, '0');
    expect(replies).toHaveBeenLastCalledWith({
      instructions: expect.stringContaining('pressed 0 on the keypad to reach a person'),
    });
    await call.say('can I type it');
    press(room, '8775');
    press(room, '41');
    await vi.waitFor(() =>
      expect(replies).toHaveBeenLastCalledWith({
        instructions: expect.stringContaining('2022 Honda CR-V (VIN 7FARW2H52NE877541, available)'),
      }),
    );
    // Someone else's keys are ignored.
    const before = replies.mock.calls.length;
    room.emit(RoomEvent.DtmfReceived, 0, '0', { identity: 'agent-helper' });
    expect(replies).toHaveBeenCalledTimes(before);
    await call.session.close();
  });

  it('ends the call as hung up when the caller leaves', async () => {
    const call = await startTestCall({ database: database(), config, responses: [] });
    const room = fakeRoom();
    attachPhoneLine(call, { room, callerIdentity: CALLER, timers: new ManualTimers() });
    room.emit(RoomEvent.ParticipantDisconnected, { identity: CALLER });
    expect(await call.ended).toBe('hung_up');
    expect(await getCall(database().db, call.data.call.id)).toMatchObject({
      state: 'ended',
      endReason: 'participant_left',
    });
  });
});
