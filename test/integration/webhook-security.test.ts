import { afterAll, beforeAll, expect, it } from 'vitest';
import { getCall, listTransitions } from '../../src/calls/call-repository.js';
import { describeEachDialect } from '../helpers/databases.js';
import { signWebhook, type SignedWebhook } from '../helpers/livekit-webhooks.js';
import {
  type CallCenter,
  events,
  KEYS,
  type PhoneCall,
  sipCaller,
  startCallCenter,
  startPhoneCall,
} from './call-center.js';
import { summaryJson } from '../helpers/summary-answer.js';

describeEachDialect('LiveKit webhooks that are forged or delivered twice', (database) => {
  let center: CallCenter;
  let call: PhoneCall;
  beforeAll(async () => {
    center = await startCallCenter(database());
    call = await startPhoneCall(center, sipCaller('+15550100601'), { summary: summaryJson() });
  });
  afterAll(async () => {
    await call.session.close();
    await center.close();
  });

  const post = ({ body, headers }: SignedWebhook) =>
    center.app.inject({ method: 'POST', url: '/webhooks/livekit', payload: body, headers });
  const claimed = async (id: string) =>
    (await database().db.selectFrom('webhook_events').select('id').where('id', '=', id).execute())
      .length;

  it.each([
    [
      'signed with the right key but another secret',
      (event: Parameters<typeof signWebhook>[0]) =>
        signWebhook(event, { apiKey: KEYS.apiKey, apiSecret: 'y'.repeat(40) }),
    ],
    [
      'signed with a key pair LiveKit does not use',
      (event: Parameters<typeof signWebhook>[0]) =>
        signWebhook(event, {
          apiKey: 'APIattacker',
          apiSecret: 'attacker-secret-long-enough-hs256',
        }),
    ],
    [
      'carrying the signature of another event',
      async (event: Parameters<typeof signWebhook>[0]) => {
        const genuine = await signWebhook(events.roomStarted(call.caller), KEYS);
        const forged = await signWebhook(event, KEYS);
        return { body: forged.body, headers: genuine.headers };
      },
    ],
    [
      'unsigned',
      async (event: Parameters<typeof signWebhook>[0]) => {
        const { body } = await signWebhook(event, KEYS);
        return { body, headers: { 'content-type': 'application/webhook+json' } };
      },
    ],
  ])('rejects a caller-left event %s: 401, and the call goes on', async (_case, forge) => {
    const event = events.participantLeft(call.caller);
    await call.data.queue.flush(); // the worker's own writes, so only the webhook could change the row
    const before = await getCall(database().db, call.data.call.id);

    const response = await post(await forge(event));

    expect(response.statusCode).toBe(401);
    expect(await claimed(event.id)).toBe(0);
    expect(await getCall(database().db, call.data.call.id)).toEqual(before);
    const reply = await call.say('Are you still there?', [{ content: 'Yes, I am here.' }]);
    reply.expect.at(-1).isMessage({ role: 'assistant' });
  });

  it('handles a redelivered event once, also when both copies arrive together', async () => {
    const joined = await signWebhook(events.participantJoined(call.caller), KEYS);
    expect((await post(joined)).json()).toEqual({
      status: 'processed',
      event: 'participant_joined',
    });
    expect((await post(joined)).json()).toEqual({
      status: 'duplicate',
      event: 'participant_joined',
    });

    const left = await signWebhook(events.participantLeft(call.caller), KEYS);
    const answers = await Promise.all([post(left), post(left)]);
    expect(answers.map((a) => a.json().status).sort()).toEqual(['duplicate', 'processed']);
    const ended = await getCall(database().db, call.data.call.id);
    expect(ended).toMatchObject({
      state: 'ended',
      outcome: 'hung_up',
      endReason: 'caller_hung_up',
    });

    // The worker learns of the hang-up too; the call still ends exactly once.
    call.hangUp();
    await call.ended;
    const transitions = await listTransitions(database().db, call.data.call.id);
    expect(transitions.filter((t) => t.to === 'ended')).toHaveLength(1);
    expect(await getCall(database().db, call.data.call.id)).toMatchObject({
      state: 'ended',
      endedAt: ended?.endedAt,
    });
  });
});
