import { afterAll, beforeAll, expect, it } from 'vitest';
import { getCall, getCallByRoom } from '../../src/calls/call-repository.js';
import { upsertVehicles } from '../../src/vehicle-lookup/vehicle-repository.js';
import { describeEachDialect } from '../helpers/databases.js';
import { STOCK_CRV, STOCK_CRV_VIN_SPOKEN } from '../helpers/vehicles.js';
import {
  type CallCenter,
  DIALED_NUMBER,
  events,
  sipCaller,
  startCallCenter,
  startPhoneCall,
} from './call-center.js';
import { summaryJson } from '../helpers/summary-answer.js';

describeEachDialect('an inbound phone call, webhooks to calls API', (database) => {
  let center: CallCenter;
  beforeAll(async () => {
    center = await startCallCenter(database());
    await upsertVehicles(database().db, [STOCK_CRV]);
  });
  afterAll(() => center.close());

  it('answers, captures the name and a spoken VIN, looks it up, and stores the whole call', async () => {
    const caller = sipCaller('+15550100777');
    expect((await center.webhook(events.roomStarted(caller))).json()).toEqual({
      status: 'processed',
      event: 'room_started',
    });
    // LiveKit can report the caller before the worker has created the call: nothing to update yet.
    expect((await center.webhook(events.participantJoined(caller))).statusCode).toBe(200);
    expect(await getCallByRoom(database().db, caller.roomName)).toBeNull();

    const call = await startPhoneCall(center, caller, {
      summary: summaryJson({
        summary: 'Dana Reyes asked about the 2022 Honda CR-V on the lot.',
        vin: STOCK_CRV.vin,
        vehicle: '2022 Honda CR-V',
        outcome: 'hung_up',
      }),
    });
    const callId = call.data.call.id;
    // A late participant_joined finds the row the worker made and changes nothing it stored.
    expect((await center.webhook(events.participantJoined(caller))).statusCode).toBe(200);

    const named = await call.say(`Hi, this is Dana Reyes. The VIN is ${STOCK_CRV_VIN_SPOKEN}.`, [
      {
        tool_calls: [
          { name: 'record_customer_name', args: { name: 'Dana Reyes' } },
          { name: 'capture_vin', args: { heard: STOCK_CRV_VIN_SPOKEN } },
        ],
      },
      {
        content:
          'Thanks Dana. I have seven F A, R W two, H five two, N E eight, seven seven five, four one. A 2022 Honda. Is that right?',
      },
    ]);
    named.expect.containsFunctionCall({ name: 'capture_vin' });
    const confirmed = await call.say("Yes, that's right.", [
      { tool_calls: [{ name: 'confirm_vin', args: { caller_confirmed: true } }] },
      {
        content:
          "That's our 2022 Honda CR-V EX in white, available for twenty thousand five hundred ninety-five dollars.",
      },
    ]);
    const lookup = confirmed.expect.containsFunctionCallOutput().event().item;
    expect(JSON.parse(lookup.output)).toMatchObject({
      in_inventory: { title: '2022 Honda CR-V EX', price_usd: 20_595 },
    });
    confirmed.expect.at(-1).isMessage({ role: 'assistant' });
    expect(call.unusedReplies()).toBe(0);

    call.hangUp();
    expect(await call.ended).toBe('hung_up');
    expect((await center.webhook(events.participantLeft(caller))).statusCode).toBe(200);
    expect((await center.webhook(events.roomFinished(caller))).statusCode).toBe(200);

    const response = await center.app.inject({
      url: `/api/calls/${callId}`,
      headers: center.staff,
    });
    expect(response.statusCode).toBe(200);
    const detail = response.json();
    expect(detail).toMatchObject({
      id: callId,
      channel: 'sip',
      roomName: caller.roomName,
      state: 'ended',
      outcome: 'hung_up',
      endReason: 'participant_left',
      callerNumber: '+15550100777',
      dialedNumber: DIALED_NUMBER,
      customerName: 'Dana Reyes',
      vin: STOCK_CRV.vin,
      vehicle: { vin: STOCK_CRV.vin, year: 2022, make: 'Honda', model: 'CR-V', inInventory: true },
      transfer: { target: null, error: null, sipStatus: null },
      summary: 'Dana Reyes asked about the 2022 Honda CR-V on the lot.',
      summaryDetails: { status: 'done', intent: 'vehicle_information', error: null },
    });
    expect(detail.endedAt).not.toBeNull();
    expect(detail.transitions.map((t: { to: string }) => t.to)).toEqual([
      'greeting',
      'information_gathering',
      'vehicle_lookup',
      'providing_details',
      'ended',
    ]);
    expect(detail.transcript.map((l: { role: string }) => l.role)).toEqual([
      'assistant',
      'user',
      'assistant',
      'user',
      'assistant',
    ]);
    expect(detail.transcript[0].text).toContain('Thanks for calling');
    expect(detail.transcript[1].text).toContain('Dana Reyes');
    expect(detail.transcript[4].text).toContain('2022 Honda CR-V EX');
    expect(detail.toolCalls.map((t: { name: string }) => t.name)).toEqual([
      'record_customer_name',
      'capture_vin',
      'confirm_vin',
    ]);
    expect(detail.toolCalls.every((t: { error: unknown }) => t.error === null)).toBe(true);
    // Text mode has no STT or TTS stage: each turn has the model's first-token time and a total.
    expect(detail.turnMetrics.length).toBeGreaterThanOrEqual(2);
    for (const turn of detail.turnMetrics) {
      expect(turn.llmTtftMs).toBeGreaterThanOrEqual(0);
      expect(turn.totalMs).toBe(turn.llmTtftMs);
    }

    const stored = await getCall(database().db, callId);
    expect(stored).toMatchObject({
      sipCallId: caller.sipCallId,
      sipTrunkId: 'ST_inbound',
      sipRuleId: 'SDR_dispatch',
      callerIdentity: caller.identity,
      jobId: `AJ_${caller.sipCallId}`,
    });
    // The worker hung up nothing itself: the caller did.
    expect(center.api.callsTo('RoomService', 'DeleteRoom')).toEqual([]);
  });

  it('closes the call from the webhooks alone when the worker never finishes it', async () => {
    const caller = sipCaller('+15550100888');
    const call = await startPhoneCall(center, caller, { summary: summaryJson() });
    await call.crash(); // the job process dies: nothing finalizes the row

    await center.webhook(events.participantLeft(caller));
    const stored = await getCall(database().db, call.data.call.id);
    expect(stored).toMatchObject({
      state: 'ended',
      outcome: 'hung_up',
      endReason: 'caller_hung_up',
    });
    const endedAt = stored?.endedAt;
    expect(endedAt).not.toBeNull();
    await center.webhook(events.roomFinished(caller));
    expect(await getCall(database().db, call.data.call.id)).toMatchObject({ endedAt });
  });
});
