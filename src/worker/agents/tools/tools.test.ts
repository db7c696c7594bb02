import { type llm, voice } from '@livekit/agents';
import { beforeAll, expect, it } from 'vitest';
import { startTestCall } from '../../../../test/helpers/agent-harness.js';
import { describeEachDialect } from '../../../../test/helpers/databases.js';
import { summaryJson } from '../../../../test/helpers/summary-answer.js';
import { newVehicle, STOCK_CRV } from '../../../../test/helpers/vehicles.js';
import { getCall, listTransitions } from '../../../calls/call-repository.js';
import { summarizeCall, summaryRequest } from '../../../calls/call-summary.js';
import { RecordingTelephony } from '../../../calls/telephony-port.js';
import { listToolCalls } from '../../../calls/tool-call-repository.js';
import { PROJECT_ROOT } from '../../../config/index.js';
import { getAppointment } from '../../../dealership/appointment-repository.js';
import { indexKnowledgeDir } from '../../../dealership/knowledge-base.js';
import { upsertVehicles } from '../../../vehicle-lookup/vehicle-repository.js';

const out = (value: unknown) => JSON.stringify(value);
/** The tool output the model received in a turn whose first event is the tool call. */
const outputOf = (result: voice.testing.RunResult) =>
  (result.expect.at(1).event().item as llm.FunctionCallOutput).output;

describeEachDialect(
  'agent tools end to end (AgentSession + FakeLLM + real database)',
  (database) => {
    beforeAll(async () => {
      const { db } = database();
      await upsertVehicles(db, [
        STOCK_CRV,
        newVehicle({ make: 'Toyota', model: 'RAV4', body: 'suv', price: 31_000 }),
      ]);
      await indexKnowledgeDir(db, `${PROJECT_ROOT}config/knowledge`);
    });

    it('lookup_vehicle decodes, matches stock, stores the vehicle; a bad VIN is a ToolError', async () => {
      const call = await startTestCall({
        database: database(),
        responses: [
          {
            input: 'my vin is 7FARW2H52NE877541',
            toolCalls: [{ name: 'lookup_vehicle', args: { vin: '7FARW2H52NE877541' } }],
          },
          {
            input: 'my vin is 1HGCM82633A00435Q',
            toolCalls: [{ name: 'lookup_vehicle', args: { vin: '1HGCM82633A00435Q' } }],
          },
        ],
      });
      const first = await call.say('my vin is 7FARW2H52NE877541');
      const output = JSON.parse(outputOf(first));
      expect(output).toMatchObject({
        vin: '7FARW2H52NE877541',
        vin_read_back: 'seven F A, R W two, H five two, N E eight, seven seven five, four one',
        decoded: { year: 2022, make: 'Honda' },
        in_inventory: { title: '2022 Honda CR-V EX', price_usd: 20_595, color: 'White' },
        check_digit_warning: false,
      });
      expect(call.data.call.facts.vehicle).toMatchObject({
        make: 'Honda',
        model: 'CR-V',
        inInventory: true,
      });
      const second = await call.say('my vin is 1HGCM82633A00435Q');
      second.expect.at(1).isFunctionCallOutput({ isError: true });
      expect(outputOf(second)).toContain('That VIN cannot be right');
      await call.session.close();
      await call.ended;
      const stored = await getCall(database().db, call.data.call.id);
      expect(stored).toMatchObject({ vin: '7FARW2H52NE877541', vehicle: { model: 'CR-V' } });
      expect((await listTransitions(database().db, call.data.call.id)).map((t) => t.to)).toEqual([
        'greeting',
        'information_gathering',
        'vehicle_lookup',
        'providing_details',
        'ended',
      ]);
    });

    it('search_inventory returns only stock that matches', async () => {
      const call = await startTestCall({
        database: database(),
        responses: [
          {
            input: 'any hondas',
            toolCalls: [{ name: 'search_inventory', args: { make: 'honda', body: 'suv' } }],
          },
          {
            input: 'any trucks',
            toolCalls: [{ name: 'search_inventory', args: { body: 'truck', price_max_usd: 1000 } }],
          },
        ],
      });
      const found = await call.say('any hondas');
      expect(JSON.parse(outputOf(found))).toMatchObject({
        count: 1,
        vehicles: [{ title: '2022 Honda CR-V EX', vin_last_six: '877541' }],
      });
      const none = await call.say('any trucks');
      expect(JSON.parse(outputOf(none))).toMatchObject({
        count: 0,
        vehicles: [],
      });
      await call.session.close();
    });

    it('books only after the read-back is confirmed, and a taken slot offers other times', async () => {
      const call = await startTestCall({
        database: database(),
        responses: [
          {
            input: 'book without a name',
            toolCalls: [
              {
                name: 'book_appointment',
                args: {
                  kind: 'service',
                  starts_at: '2026-11-23T15:00:00.000Z',
                  caller_confirmed: true,
                },
              },
            ],
          },
          {
            input: "I'm Sam Lee",
            toolCalls: [{ name: 'record_customer_name', args: { name: 'Sam Lee' } }],
          },
          {
            input: 'monday at ten',
            toolCalls: [
              {
                name: 'check_availability',
                args: { kind: 'service', preferred_date: '2026-11-23', preferred_time: '10:00' },
              },
            ],
          },
          {
            input: 'that one',
            toolCalls: [
              {
                name: 'book_appointment',
                args: {
                  kind: 'service',
                  starts_at: '2026-11-23T15:00:00.000Z',
                  caller_confirmed: false,
                },
              },
            ],
          },
          {
            input: 'yes',
            toolCalls: [
              {
                name: 'book_appointment',
                args: {
                  kind: 'service',
                  starts_at: '2026-11-23T15:00:00.000Z',
                  caller_confirmed: true,
                  notes: 'oil change',
                },
              },
            ],
          },
        ],
      });
      const noName = await call.say('book without a name');
      noName.expect.at(1).isFunctionCallOutput({ isError: true });
      await call.say("I'm Sam Lee");
      const slots = await call.say('monday at ten');
      expect(JSON.parse(outputOf(slots)).slots[0]).toEqual({
        starts_at: '2026-11-23T15:00:00.000Z',
        spoken: 'Monday, November 23 at 10:00 AM',
      });
      const readBack = await call.say('that one');
      expect(JSON.parse(outputOf(readBack))).toEqual({
        status: 'needs_confirmation',
        read_back:
          'A service appointment on Monday, November 23 at 10:00 AM, under the name Sam Lee.',
        say: 'Read this back and ask the caller to confirm.',
      });
      expect(call.data.call.facts.appointmentId).toBeNull();
      const booked = await call.say('yes');
      const result = JSON.parse(outputOf(booked));
      expect(result).toMatchObject({ status: 'booked' });
      const appointment = await getAppointment(database().db, result.confirmation_number);
      expect(appointment).toMatchObject({
        kind: 'service',
        customerName: 'Sam Lee',
        callbackNumber: '+15550100777',
        notes: 'oil change',
        callId: call.data.call.id,
      });
      expect(call.data.call.state).toBe('closing');

      // A second caller wants the same slot.
      const other = await startTestCall({
        database: database(),
        responses: [
          {
            input: "I'm Kim",
            toolCalls: [{ name: 'record_customer_name', args: { name: 'Kim' } }],
          },
          {
            input: 'yes book it',
            toolCalls: [
              {
                name: 'book_appointment',
                args: {
                  kind: 'service',
                  starts_at: '2026-11-23T15:00:00.000Z',
                  caller_confirmed: true,
                },
              },
            ],
          },
        ],
      });
      await other.say("I'm Kim");
      const taken = await other.say('yes book it');
      taken.expect.at(1).isFunctionCallOutput({ isError: true });
      expect(outputOf(taken)).toMatch(
        /just taken by another caller.*Monday, November 23 at 9:30 AM/,
      );
      await call.session.close();
      await other.session.close();
      expect(await call.ended).toBe('appointment_booked');
    });

    it('answers from the knowledge base, and says so when it has nothing', async () => {
      const call = await startTestCall({
        database: database(),
        responses: [
          {
            input: 'where are you',
            toolCalls: [
              { name: 'answer_from_knowledge_base', args: { question: 'what is your address' } },
            ],
          },
          {
            input: 'helicopter',
            toolCalls: [
              { name: 'answer_from_knowledge_base', args: { question: 'helicopter rides' } },
            ],
          },
        ],
      });
      const where = await call.say('where are you');
      expect(outputOf(where)).toContain('1450 River Road');
      const nothing = await call.say('helicopter');
      expect(JSON.parse(outputOf(nothing))).toMatchObject({
        found: false,
      });
      await call.session.close();
    });

    it('transfers only after confirmation; a failed transfer is stored and the caller hears an apology', async () => {
      const telephony = new RecordingTelephony({
        ok: false,
        error: 'SIP 486 Busy Here',
        sipStatusCode: 486,
      });
      const call = await startTestCall({
        database: database(),
        telephony,
        responses: [
          {
            input: 'a person please',
            toolCalls: [
              {
                name: 'transfer_to_human',
                args: { department: 'sales', reason: 'asked', caller_confirmed: false },
              },
            ],
          },
          {
            input: 'yes',
            toolCalls: [
              {
                name: 'transfer_to_human',
                args: { department: 'Sales', reason: 'asked', caller_confirmed: true },
              },
            ],
          },
          {
            input: 'try again',
            toolCalls: [
              {
                name: 'transfer_to_human',
                args: { department: 'sales', reason: 'asked', caller_confirmed: true },
              },
            ],
          },
        ],
      });
      await call.say('a person please');
      expect(telephony.requests).toEqual([]);
      const busy = await call.say('yes');
      busy.expect.at(1).isFunctionCallOutput({ isError: true });
      expect(outputOf(busy)).toContain('did not pick up');
      expect(telephony.requests).toEqual([
        { kind: 'transfer', request: { target: 'tel:+15555550111', targetName: 'sales' } },
      ]);
      telephony.answerTransfersWith({ ok: true });
      await call.say('try again');
      expect(await call.ended).toBe('transferred');
      const stored = await getCall(database().db, call.data.call.id);
      expect(stored).toMatchObject({
        state: 'transferred',
        outcome: 'transferred',
        // Each attempt starts clean: the earlier 486 is in the tool calls, not on the transfer.
        transfer: { target: 'tel:+15555550111', error: null, sipStatus: null },
      });
    });

    it('end_call says goodbye, hangs up through the telephony port, ends the call and writes the summary', async () => {
      const summaries: boolean[] = [];
      const call = await startTestCall({
        database: database(),
        responses: [
          {
            input: "that's all, bye",
            toolCalls: [{ name: 'end_call', args: { reason: 'caller done' } }],
          },
          {
            input: out({ status: 'ending', say: 'Say a short goodbye and nothing else.' }),
            content: 'Goodbye!',
          },
        ],
        afterCall: async (data) => {
          const stored = (await getCall(data.db, data.call.id))!;
          const request = await summaryRequest(data.db, stored);
          const model = new voice.testing.FakeLLM([
            {
              input: request,
              content: summaryJson({
                summary: 'The caller said goodbye.',
                intent: 'other',
                tags: [],
              }),
            },
          ]);
          summaries.push(
            await summarizeCall(data.db, data.call.id, model, { logger: data.logger }),
          );
        },
      });
      const result = await call.say("that's all, bye");
      result.expect.containsMessage({ role: 'assistant' });
      expect(await call.ended).toBe('resolved');
      expect(call.telephony.requests).toEqual([{ kind: 'hangup', reason: 'caller done' }]);
      expect(summaries).toEqual([true]);
      const stored = await getCall(database().db, call.data.call.id);
      expect(stored).toMatchObject({
        state: 'ended',
        outcome: 'resolved',
        endReason: 'agent_hangup',
        summary: { status: 'done', text: 'The caller said goodbye.' },
      });
      expect((await listTransitions(database().db, call.data.call.id)).map((t) => t.to)).toEqual([
        'greeting',
        'information_gathering',
        'closing',
        'ended',
      ]);
      expect((await listToolCalls(database().db, call.data.call.id)).map((t) => t.name)).toEqual([
        'end_call',
      ]);
    });
  },
);
