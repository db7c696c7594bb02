import { afterAll, beforeAll, expect, it } from 'vitest';
import { getCall, listTransitions } from '../../src/calls/call-repository.js';
import { listToolCalls } from '../../src/calls/tool-call-repository.js';
import type { ScriptedReply } from '../../src/worker/simulator/scenario.js';
import { describeEachDialect } from '../helpers/databases.js';
import {
  type CallCenter,
  events,
  type PhoneCall,
  SALES_DESK,
  sipCaller,
  startCallCenter,
  startPhoneCall,
} from './call-center.js';
import { summaryJson } from '../helpers/summary-answer.js';

const transferArgs = (confirmed: boolean) => ({
  department: 'sales',
  reason: 'price question',
  caller_confirmed: confirmed,
});
const ASK_TO_TRANSFER: ScriptedReply[] = [
  { tool_calls: [{ name: 'transfer_to_human', args: transferArgs(false) }] },
  { content: 'Shall I transfer you to sales now?' },
];
const TRANSFER: ScriptedReply[] = [
  { tool_calls: [{ name: 'transfer_to_human', args: transferArgs(true) }] },
  { content: 'Connecting you to sales now.' },
];

/** The caller asks for a person, the agent confirms, the caller agrees. */
async function askForSales(call: PhoneCall) {
  const asked = await call.say('Can I talk to someone in sales about the price?', ASK_TO_TRANSFER);
  asked.expect.containsFunctionCallOutput({
    output: JSON.stringify({
      status: 'needs_confirmation',
      say: 'Ask whether to transfer them to sales now.',
    }),
  });
  return call.say('Yes please.', TRANSFER);
}

describeEachDialect('transfer to a person (SIP REFER through the LiveKit API)', (database) => {
  let center: CallCenter;
  beforeAll(async () => {
    center = await startCallCenter(database());
  });
  afterAll(() => center.close());

  async function expectTransferred(call: PhoneCall) {
    expect(await call.ended).toBe('transferred');
    const callId = call.data.call.id;
    expect(await getCall(database().db, callId)).toMatchObject({
      state: 'transferred',
      outcome: 'transferred',
      transfer: { target: SALES_DESK, error: null, sipStatus: null },
    });
    expect((await listTransitions(database().db, callId)).map((t) => t.to)).toEqual([
      'greeting',
      'information_gathering',
      'transferred',
    ]);
    const detail = await center.app.inject({ url: `/api/calls/${callId}`, headers: center.staff });
    expect(detail.json()).toMatchObject({
      state: 'transferred',
      outcome: 'transferred',
      transfer: { target: SALES_DESK, error: null },
    });
  }

  function referFor(call: PhoneCall) {
    return center.api
      .callsTo('SIP', 'TransferSIPParticipant')
      .filter((c) => c.body.roomName === call.caller.roomName);
  }

  it('confirms, REFERs the caller to the sales desk, and ends transferred', async () => {
    const caller = sipCaller('+15550100401');
    const call = await startPhoneCall(center, caller, { summary: summaryJson() });

    const transferred = await askForSales(call);
    transferred.expect.at(-1).isMessage({ role: 'assistant' });
    const refers = referFor(call);
    expect(refers.map((r) => r.body)).toEqual([
      {
        roomName: caller.roomName,
        participantIdentity: caller.identity,
        transferTo: SALES_DESK,
        ringingTimeout: '30s',
      },
    ]);
    expect(refers[0]?.claims?.video).toEqual({ roomAdmin: true, room: caller.roomName });
    expect(refers[0]?.claims?.sip).toEqual({ call: true });
    await expectTransferred(call);

    // The carrier takes the caller away after the REFER: LiveKit reports them gone.
    await center.webhook(events.participantLeft(caller));
    await center.webhook(events.roomFinished(caller));
    await expectTransferred(call);
  });

  it('ends transferred when the caller-left webhook races the REFER', async () => {
    const caller = sipCaller('+15550100402');
    const call = await startPhoneCall(center, caller, { summary: summaryJson() });
    // LiveKit SIP answers the REFER once the carrier accepted it; by then the caller's leg is
    // closing, so the webhook and the room event can reach us before the answer does.
    center.api.on('SIP', 'TransferSIPParticipant', async (body) => {
      if (body.roomName !== caller.roomName) return {};
      expect((await center.webhook(events.participantLeft(caller))).json()).toMatchObject({
        status: 'processed',
      });
      // RoomIO closes the session at once (no drain) when the caller disconnects.
      void call.session.close();
      call.hangUp();
      return {};
    });

    await askForSales(call);
    await expectTransferred(call);
    expect(referFor(call)).toHaveLength(1);
  });

  it('keeps the call when the desk is busy, stores the failure, and offers a callback', async () => {
    const caller = sipCaller('+15550100403');
    const call = await startPhoneCall(center, caller, {
      summary: summaryJson({ outcome: 'callback_requested', followUpNeeded: true }),
    });
    center.api.failNext('SIP', 'TransferSIPParticipant', {
      status: 400,
      code: 'failed_precondition',
      msg: 'transfer failed',
      meta: { sip_status_code: '486', sip_status: 'Busy Here' },
    });

    const refused = await askForSales(call);
    refused.expect.containsFunctionCallOutput({ isError: true });
    const output = refused.expect.containsFunctionCallOutput().event().item.output;
    expect(output).toContain('offer to take a callback number');
    const callId = call.data.call.id;
    expect(call.data.call.state).toBe('information_gathering');

    await call.say("Sure, call me back on this number. I'm Sam Ortiz.", [
      {
        tool_calls: [
          { name: 'record_customer_name', args: { name: 'Sam Ortiz' } },
          { name: 'record_callback_number', args: {} },
        ],
      },
      { content: 'Thanks Sam, someone from sales will call you back today.' },
    ]);
    await call.say("Thanks, that's all. Bye.", [
      { tool_calls: [{ name: 'end_call', args: {} }] },
      { content: 'Goodbye!' },
    ]);
    expect(await call.ended).toBe('callback_requested');

    expect(await getCall(database().db, callId)).toMatchObject({
      state: 'ended',
      outcome: 'callback_requested',
      endReason: 'agent_hangup',
      customerName: 'Sam Ortiz',
      callbackNumber: '+15550100403',
      transfer: {
        target: SALES_DESK,
        error: 'transfer to sales refused: SIP 486 Busy Here',
        sipStatus: 486,
      },
    });
    const tools = await listToolCalls(database().db, callId);
    expect(tools.map((t) => [t.name, t.error === null])).toEqual([
      ['transfer_to_human', true],
      ['transfer_to_human', false],
      ['record_customer_name', true],
      ['record_callback_number', true],
      ['end_call', true],
    ]);
    // The agent hung up by deleting the room (LiveKit SIP then sends BYE).
    const deletes = center.api
      .callsTo('RoomService', 'DeleteRoom')
      .filter((c) => c.body.room === caller.roomName);
    expect(deletes.map((d) => [d.body, d.claims?.video])).toEqual([
      [{ room: caller.roomName }, { roomCreate: true }],
    ]);
    // A failed transfer does not hold back the caller-left webhook.
    await center.webhook(events.participantLeft(caller));
    expect(await getCall(database().db, callId)).toMatchObject({ state: 'ended' });
  });
});
