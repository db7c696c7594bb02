import type { llm, voice } from '@livekit/agents';
import { beforeAll, expect, it } from 'vitest';
import { startTestCall } from '../../../../test/helpers/agent-harness.js';
import { describeEachDialect } from '../../../../test/helpers/databases.js';
import { newVehicle } from '../../../../test/helpers/vehicles.js';
import { getCall } from '../../../calls/call-repository.js';
import { upsertVehicles } from '../../../vehicle-lookup/vehicle-repository.js';

const VIN = '7FARW2H52NE877541';
const output = (result: voice.testing.RunResult, index = 1) =>
  JSON.parse((result.expect.at(index).event().item as llm.FunctionCallOutput).output) as Record<
    string,
    unknown
  >;
const capture = (input: string, heard = input) => ({
  input,
  toolCalls: [{ name: 'capture_vin', args: { heard } }],
});

describeEachDialect('capture_vin and confirm_vin through the agent session', (database) => {
  beforeAll(async () => {
    await upsertVehicles(database().db, [
      newVehicle({ vin: VIN, year: 2022, make: 'Honda', model: 'CR-V', trim: 'EX', body: 'suv' }),
    ]);
  });

  it('collects a VIN over turns, asks the targeted question, reads back, and looks it up when confirmed', async () => {
    const call = await startTestCall({
      database: database(),
      responses: [
        capture('seven F A R W two'),
        capture('H five two M E eight seven seven five four one'),
        capture('N as in November'),
        {
          input: 'no, wait',
          toolCalls: [{ name: 'confirm_vin', args: { caller_confirmed: false } }],
        },
        { input: 'yes', toolCalls: [{ name: 'confirm_vin', args: { caller_confirmed: true } }] },
      ],
    });
    const first = output(await call.say('seven F A R W two'));
    expect(first).toMatchObject({
      status: 'incomplete',
      characters_heard: 6,
      characters_missing: 11,
      ask: 'I have 6 of 17 characters so far, ending R W two. What comes next?',
    });
    expect(call.data.call.state).toBe('information_gathering');
    expect(call.data.call.facts.collected.vinCapture).toMatchObject({ version: 1 });

    const garbled = output(await call.say('H five two M E eight seven seven five four one'));
    expect(garbled).toEqual({
      status: 'needs_answer',
      characters_heard: 17,
      ask: 'Was the 10th character N as in november or M as in mike?',
    });
    const complete = output(await call.say('N as in November'));
    expect(complete).toMatchObject({
      status: 'complete',
      vin: VIN,
      read_back: 'seven F A, R W two, H five two, N E eight, seven seven five, four one',
      decoded: { year: 2022, make: 'Honda' },
      check_digit_ok: true,
    });
    expect(call.data.call.facts.vin).toBeNull(); // nothing is stored before the caller confirms

    expect(output(await call.say('no, wait'))).toEqual({
      status: 'needs_correction',
      ask: "Which part is wrong? You can say, for example, 'the fifth character is D as in delta'.",
    });
    const confirmed = output(await call.say('yes'));
    expect(confirmed).toMatchObject({ vin: VIN, in_inventory: { title: '2022 Honda CR-V EX' } });
    expect(call.data.call.state).toBe('providing_details');
    expect(call.data.call.facts.collected.vinCapture).toBeNull();
    await call.session.close();
    await call.ended;
    expect(await getCall(database().db, call.data.call.id)).toMatchObject({
      vin: VIN,
      vehicle: { year: 2022, make: 'Honda', model: 'CR-V', inInventory: true },
    });
  });

  it('offers a VIN whose check digit fails only for the caller to confirm, and refuses nonsense', async () => {
    const call = await startTestCall({
      database: database(),
      responses: [
        capture('ones', '1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 2'),
        {
          input: 'yes that is it',
          toolCalls: [{ name: 'confirm_vin', args: { caller_confirmed: true } }],
        },
        capture('partial', 'one two three'),
        {
          input: 'confirm nothing',
          toolCalls: [{ name: 'confirm_vin', args: { caller_confirmed: true } }],
        },
      ],
    });
    expect(output(await call.say('ones'))).toMatchObject({
      status: 'check_digit_warning',
      vin: '11111111111111112',
      check_digit_ok: false,
    });
    expect(output(await call.say('yes that is it'))).toMatchObject({
      vin: '11111111111111112',
      check_digit_warning: true,
      in_inventory: null,
    });
    expect(output(await call.say('partial'))).toMatchObject({ status: 'incomplete' });
    const nothing = await call.say('confirm nothing');
    nothing.expect.at(1).isFunctionCallOutput({ isError: true });
    await call.session.close();
  });

  it('keeps a VIN half read across a worker crash', async () => {
    const roomName = `vin_resume_${Date.now()}_${Math.random().toString(36).slice(2)}`;
    const first = await startTestCall({
      database: database(),
      input: { roomName },
      responses: [capture('seven F A R W two H five two')],
    });
    await first.say('seven F A R W two H five two');
    await first.crash();
    const second = await startTestCall({
      database: database(),
      input: { roomName },
      responses: [capture('N E eight seven seven five four one')],
    });
    const done = output(await second.say('N E eight seven seven five four one'));
    expect(done).toMatchObject({ status: 'complete', vin: VIN });
    await second.session.close();
    await second.ended;
  });
});
