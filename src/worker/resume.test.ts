import type { llm } from '@livekit/agents';
import { beforeAll, expect, it } from 'vitest';
import { startTestCall } from '../../test/helpers/agent-harness.js';
import { describeEachDialect } from '../../test/helpers/databases.js';
import { newVehicle } from '../../test/helpers/vehicles.js';
import {
  createCall,
  getCall,
  listTransitions,
  transitionCall,
  updateCall,
} from '../calls/call-repository.js';
import { listTranscript } from '../calls/transcript-repository.js';
import { upsertVehicles } from '../vehicle-lookup/vehicle-repository.js';
import { CallAlreadyEndedError, openCall } from './call-session.js';

describeEachDialect('resume after a worker crash', (database) => {
  beforeAll(async () => {
    await upsertVehicles(database().db, [
      newVehicle({
        vin: '2HGFC2F6XVH670135',
        year: 2019,
        make: 'Honda',
        model: 'Civic',
        trim: 'LX',
      }),
    ]);
  });

  it('restores state, gathered data and the conversation, and apologizes instead of greeting', async () => {
    const roomName = `resume_${Date.now()}_${Math.random().toString(36).slice(2)}`;
    const first = await startTestCall({
      database: database(),
      input: { roomName },
      responses: [
        {
          input: "I'm Alex Kim, VIN 2HGFC2F6XVH670135",
          toolCalls: [
            { name: 'record_customer_name', args: { name: 'Alex Kim' } },
            { name: 'lookup_vehicle', args: { vin: '2HGFC2F6XVH670135' } },
          ],
        },
      ],
    });
    await first.say("I'm Alex Kim, VIN 2HGFC2F6XVH670135");
    expect(first.data.call.state).toBe('providing_details');
    await first.crash(); // the worker dies: nothing is finalized

    const { db } = database();
    expect(await getCall(db, first.data.call.id)).toMatchObject({
      state: 'providing_details',
      endedAt: null,
    });

    const second = await startTestCall({
      database: database(),
      input: { roomName },
      responses: [{ input: 'hello?', content: 'Yes, I am still here, Alex.' }],
    });
    expect(second.data.call.id).toBe(first.data.call.id);
    expect(second.data.call.state).toBe('providing_details');
    expect(second.data.call.facts).toMatchObject({
      customerName: 'Alex Kim',
      vin: '2HGFC2F6XVH670135',
      vehicle: { year: 2019, make: 'Honda', model: 'Civic' },
    });
    // The earlier conversation is back in the model's context, with the resume instructions.
    const agent = second.session.currentAgent;
    const texts = agent.chatCtx.items
      .filter((i): i is llm.ChatMessage => i.type === 'message')
      .map((m) => m.textContent);
    expect(texts).toContain("I'm Alex Kim, VIN 2HGFC2F6XVH670135");
    expect(agent.instructions).toContain('This call was interrupted');
    expect(agent.instructions).toContain('caller name: Alex Kim');

    await second.say('hello?');
    await second.session.close();
    await second.ended;
    const transcript = await listTranscript(db, first.data.call.id);
    const agentLines = transcript.filter((l) => l.role === 'assistant').map((l) => l.text);
    expect(agentLines.filter((t) => t.startsWith('Thanks for calling'))).toHaveLength(1);
    expect(agentLines).toContain(
      'Sorry about that, it looks like we got cut off. We were looking at your 2019 Honda Civic. How can I help with it?',
    );
    expect((await listTransitions(db, first.data.call.id)).map((t) => t.to)).toEqual([
      'greeting',
      'information_gathering',
      'vehicle_lookup',
      'providing_details',
      'ended',
    ]);
  });

  it('refuses to reopen a call that has ended', async () => {
    const { db } = database();
    const roomName = `ended_${Date.now()}`;
    const call = await createCall(db, { roomName, channel: 'sip' });
    await updateCall(db, call.id, { outcome: 'resolved' });
    await transitionCall(db, call.id, 'ended', { reason: 'done' });
    const harness = await startTestCall({ database: database(), responses: [] });
    await expect(openCall(harness.deps, { roomName, channel: 'sip' })).rejects.toBeInstanceOf(
      CallAlreadyEndedError,
    );
    await harness.session.close();
  });
});
