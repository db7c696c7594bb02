import { ParticipantInfo_Kind } from '@livekit/protocol';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { buildTestApp } from '../../../test/helpers/app.js';
import { signWebhook, type WebhookEventInit } from '../../../test/helpers/livekit-webhooks.js';
import { createCall, getCall, updateCall } from '../../calls/index.js';

const keys = { apiKey: 'APIwebhooks', apiSecret: 'webhook-secret-long-enough-for-hs256-signing' };
const env = { LIVEKIT_API_KEY: keys.apiKey, LIVEKIT_API_SECRET: keys.apiSecret };
const ROOM = 'call_+15555550100_aBcD';
const FINISHED_AT = 1_795_000_000; // 2026-11-18T...Z, LiveKit's createdAt is Unix seconds

const roomFinished = (id = 'EV_room_finished_1'): WebhookEventInit => ({
  id,
  event: 'room_finished',
  room: { name: ROOM, sid: 'RM_1' },
  createdAt: BigInt(FINISHED_AT),
});

const sipLeft = (id: string, kind = ParticipantInfo_Kind.SIP): WebhookEventInit => ({
  id,
  event: 'participant_left',
  room: { name: ROOM },
  participant: { identity: 'sip_+15555550100', kind },
  createdAt: BigInt(FINISHED_AT),
});

async function post(app: FastifyInstance, event: WebhookEventInit, sign = keys) {
  const { body, headers } = await signWebhook(event, sign);
  return app.inject({ method: 'POST', url: '/webhooks/livekit', payload: body, headers });
}

async function appWithCall() {
  const app = await buildTestApp({ env });
  const call = await createCall(app.db, {
    roomName: ROOM,
    channel: 'sip',
    startedAt: '2026-11-18T09:00:00.000Z',
  });
  return { app, call };
}

const claims = (app: FastifyInstance) => app.db.selectFrom('webhook_events').selectAll().execute();

describe('POST /webhooks/livekit', () => {
  it('finalizes the call when the room finishes, once per event id', async () => {
    const { app, call } = await appWithCall();
    const seen: string[] = [];
    app.livekitEvents.on('room_finished', (event) => void seen.push(event.id));

    const first = await post(app, roomFinished());
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ status: 'processed', event: 'room_finished' });
    expect(await getCall(app.db, call.id)).toMatchObject({
      state: 'ended',
      outcome: 'hung_up',
      endReason: 'room_closed',
      endedAt: new Date(FINISHED_AT * 1000).toISOString(),
    });

    const again = await post(app, roomFinished());
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ status: 'duplicate', event: 'room_finished' });
    expect(seen).toEqual(['EV_room_finished_1']);
  });

  it.each([
    [
      'forged with another secret',
      async () => {
        const signed = await signWebhook(roomFinished(), { ...keys, apiSecret: 'x'.repeat(40) });
        return signed;
      },
    ],
    [
      'signed by another key',
      async () => signWebhook(roomFinished(), { ...keys, apiKey: 'APIother' }),
    ],
    [
      'unsigned',
      async () => {
        const signed = await signWebhook(roomFinished(), keys);
        return { body: signed.body, headers: { 'content-type': 'application/webhook+json' } };
      },
    ],
    [
      'with a tampered body',
      async () => {
        const signed = await signWebhook(roomFinished(), keys);
        return { ...signed, body: signed.body.replace(ROOM, 'call_+15555550199_aBcD') };
      },
    ],
    [
      'expired',
      async () => {
        vi.useFakeTimers({ toFake: ['Date'] });
        vi.setSystemTime(Date.now() - 10 * 60_000);
        try {
          return await signWebhook(roomFinished(), keys);
        } finally {
          vi.useRealTimers();
        }
      },
    ],
  ])('answers 401 and changes nothing when %s', async (_case, build) => {
    const { app, call } = await appWithCall();
    const { body, headers } = await build();

    const response = await app.inject({
      method: 'POST',
      url: '/webhooks/livekit',
      payload: body,
      headers,
    });

    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'missing, invalid or expired webhook signature',
    });
    expect(await claims(app)).toEqual([]);
    expect(await getCall(app.db, call.id)).toMatchObject({ state: 'initializing', endedAt: null });
  });

  it('also accepts application/json with the same raw-body signature', async () => {
    const { app } = await appWithCall();
    const { body, headers } = await signWebhook(roomFinished(), keys);
    const response = await app.inject({
      method: 'POST',
      url: '/webhooks/livekit',
      payload: body,
      headers: { ...headers, 'content-type': 'application/json' },
    });
    expect(response.json()).toEqual({ status: 'processed', event: 'room_finished' });
  });

  it('ends the call when the phone caller leaves, but not for other participants', async () => {
    const { app, call } = await appWithCall();

    await post(app, sipLeft('EV_agent_left', ParticipantInfo_Kind.AGENT));
    expect(await getCall(app.db, call.id)).toMatchObject({ state: 'initializing' });

    await post(app, sipLeft('EV_caller_left'));
    expect(await getCall(app.db, call.id)).toMatchObject({
      state: 'ended',
      endReason: 'caller_hung_up',
      outcome: 'hung_up',
    });
  });

  it('leaves a call with a transfer in flight to the worker', async () => {
    const { app, call } = await appWithCall();
    await updateCall(app.db, call.id, { transferTarget: 'tel:+15555550111' });

    await post(app, sipLeft('EV_transferred_away'));

    expect(await getCall(app.db, call.id)).toMatchObject({ state: 'initializing', endedAt: null });
  });

  it('fills in the SIP details of the caller the worker has not stored', async () => {
    const { app, call } = await appWithCall();
    await updateCall(app.db, call.id, { callerNumber: '+15555550100' });

    await post(app, {
      id: 'EV_joined',
      event: 'participant_joined',
      room: { name: ROOM },
      participant: {
        identity: 'sip_+15555550100',
        kind: ParticipantInfo_Kind.SIP,
        attributes: {
          'sip.phoneNumber': '+15555550100',
          'sip.trunkPhoneNumber': '+15555550188',
          'sip.callID': 'SCL_abc',
          'sip.trunkID': 'ST_abc',
          'sip.ruleID': 'SDR_abc',
          'sip.callStatus': 'active',
        },
      },
    });

    expect(await getCall(app.db, call.id)).toMatchObject({
      callerIdentity: 'sip_+15555550100',
      callerNumber: '+15555550100',
      dialedNumber: '+15555550188',
      sipCallId: 'SCL_abc',
      sipTrunkId: 'ST_abc',
      sipRuleId: 'SDR_abc',
    });
  });

  it('answers 500 and forgets the event when a handler fails, so the retry is handled', async () => {
    const { app } = await appWithCall();
    let failures = 1;
    app.livekitEvents.on('egress_ended', () => {
      if (failures-- > 0) throw new Error('recording store down');
    });
    const egressEnded = {
      id: 'EV_egress',
      event: 'egress_ended',
      egressInfo: { egressId: 'EG_1' },
    };

    expect((await post(app, egressEnded)).statusCode).toBe(500);
    expect(await claims(app)).toEqual([]);
    expect((await post(app, egressEnded)).json()).toEqual({
      status: 'processed',
      event: 'egress_ended',
    });
  });

  it('de-duplicates events without an id by the hash of their body', async () => {
    const { app } = await appWithCall();
    const signed = await signWebhook({ ...roomFinished(), id: '' }, keys);
    const send = () =>
      app.inject({
        method: 'POST',
        url: '/webhooks/livekit',
        payload: signed.body,
        headers: signed.headers,
      });

    expect((await send()).json()).toMatchObject({ status: 'processed' });
    expect((await send()).json()).toMatchObject({ status: 'duplicate' });
    expect((await claims(app))[0]?.id).toMatch(/^sha256:[\w-]{43}$/);
  });

  it('answers 503 with a clear message when LiveKit keys are not configured', async () => {
    const app = await buildTestApp();
    const { body, headers } = await signWebhook(roomFinished(), keys);
    const response = await app.inject({
      method: 'POST',
      url: '/webhooks/livekit',
      payload: body,
      headers,
    });
    expect(response.statusCode).toBe(503);
    expect(response.json().message).toBe(
      'LiveKit webhooks are not configured: set LIVEKIT_API_KEY and LIVEKIT_API_SECRET',
    );
  });
});
