import type { FastifyInstance } from 'fastify';
import { TokenVerifier } from 'livekit-server-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/helpers/app.js';
import { authorizedAs } from '../../../test/helpers/auth.js';
import {
  startFakeLiveKitApi,
  type FakeLiveKitApi,
} from '../../../test/helpers/fake-livekit-api.js';
import { createCall, transitionCall } from '../../calls/index.js';

const WIDGET = 'https://www.riverside-motors.example';

describe('web calls', () => {
  let api: FakeLiveKitApi;
  let app: FastifyInstance;

  beforeEach(async () => {
    api = await startFakeLiveKitApi();
    app = await buildTestApp({
      env: {
        LIVEKIT_URL: api.url,
        LIVEKIT_API_KEY: api.apiKey,
        LIVEKIT_API_SECRET: api.apiSecret,
        AGENT_NAME: 'callcenter-agent',
        WEB_CALL_ALLOWED_ORIGINS: `${WIDGET}, https://other.example`,
      },
    });
  });
  afterEach(() => api.close());

  const start = (headers: Record<string, string> = { origin: WIDGET }, payload: object = {}) =>
    app.inject({ method: 'POST', url: '/api/web-calls', headers, payload });

  it('hands browsers LIVEKIT_PUBLIC_URL when it is set', async () => {
    const publicApp = await buildTestApp({
      env: {
        LIVEKIT_URL: api.url,
        LIVEKIT_PUBLIC_URL: 'wss://livekit.riverside-motors.example',
        LIVEKIT_API_KEY: api.apiKey,
        LIVEKIT_API_SECRET: api.apiSecret,
        WEB_CALL_ALLOWED_ORIGINS: WIDGET,
      },
    });
    const response = await publicApp.inject({
      method: 'POST',
      url: '/api/web-calls',
      headers: { origin: WIDGET },
      payload: {},
    });
    expect(response.statusCode).toBe(201);
    expect(response.json().url).toBe('wss://livekit.riverside-motors.example');
  });

  it('creates a room, dispatches our agent into it and returns a join token for that room only', async () => {
    const response = await start({ origin: WIDGET }, { name: 'Dana' });

    expect(response.statusCode).toBe(201);
    expect(response.headers['access-control-allow-origin']).toBe(WIDGET);
    const body = response.json();
    expect(body).toEqual({
      roomName: expect.stringMatching(/^web_[0-9a-f]{12}$/),
      participantToken: expect.any(String),
      url: api.url.replace('http', 'ws'),
      identity: expect.stringMatching(/^web_[0-9a-f]{16}$/),
      expiresAt: expect.any(String),
    });

    const [room] = api.callsTo('RoomService', 'CreateRoom');
    expect(room?.body).toEqual({
      name: body.roomName,
      emptyTimeout: 60,
      departureTimeout: 20,
      metadata: '{"channel":"web"}',
    });
    expect(room?.claims?.video).toEqual({ roomCreate: true });
    const [dispatch] = api.callsTo('AgentDispatchService', 'CreateDispatch');
    expect(dispatch?.body).toEqual({
      room: body.roomName,
      agentName: 'callcenter-agent',
      metadata: JSON.stringify({ channel: 'web', callerIdentity: body.identity }),
    });
    expect(dispatch?.claims?.video).toEqual({ roomAdmin: true, room: body.roomName });

    const claims = await new TokenVerifier(api.apiKey, api.apiSecret).verify(body.participantToken);
    expect(claims).toMatchObject({ sub: body.identity, name: 'Dana', iss: api.apiKey });
    expect(claims.video).toEqual({
      room: body.roomName,
      roomJoin: true,
      canPublish: true,
      canPublishSources: ['microphone'],
      canSubscribe: true,
      canPublishData: true,
    });
    expect((claims.exp ?? 0) - (claims.nbf ?? 0)).toBe(600);
    expect(api.calls).toHaveLength(2);
  });

  it('refuses other websites before calling LiveKit', async () => {
    const response = await start({ origin: 'https://evil.example' });
    expect(response.statusCode).toBe(403);
    expect(response.json().message).toBe('This website may not start calls (origin not allowed).');
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(api.calls).toEqual([]);
  });

  it('answers the CORS preflight for allowed origins only', async () => {
    const preflight = (origin: string) =>
      app.inject({
        method: 'OPTIONS',
        url: '/api/web-calls',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    expect((await preflight(WIDGET)).headers['access-control-allow-origin']).toBe(WIDGET);
    expect(
      (await preflight('https://evil.example')).headers['access-control-allow-origin'],
    ).toBeUndefined();
  });

  it('accepts requests without an Origin (not a browser) and from our own origin', async () => {
    expect((await start({})).statusCode).toBe(201);
    expect((await start({ origin: 'http://localhost:80' })).statusCode).toBe(201);
  });

  it('answers 502 naming what LiveKit said, without internals', async () => {
    api.failNext('RoomService', 'CreateRoom', {
      status: 403,
      code: 'permission_denied',
      msg: 'key lacks roomCreate',
    });

    const response = await start();

    expect(response.statusCode).toBe(502);
    expect(response.json()).toEqual({
      statusCode: 502,
      error: 'Bad Gateway',
      message: 'Could not create the call room: LiveKit answered 403 permission_denied.',
    });
    expect(api.callsTo('AgentDispatchService', 'CreateDispatch')).toEqual([]);
  });

  it('removes the room again when the agent cannot be dispatched', async () => {
    api.failNext('AgentDispatchService', 'CreateDispatch', {
      status: 500,
      code: 'internal',
      msg: 'no workers',
    });

    const response = await start();

    expect(response.statusCode).toBe(502);
    expect(response.json().message).toBe(
      'Could not dispatch the agent: LiveKit answered 500 internal.',
    );
    const [created] = api.callsTo('RoomService', 'CreateRoom');
    expect(api.callsTo('RoomService', 'DeleteRoom').map((c) => c.body)).toEqual([
      { room: created?.body.name },
    ]);
  });

  it('answers 502 when LiveKit is unreachable', async () => {
    await api.close();
    const response = await start();
    expect(response.statusCode).toBe(502);
    expect(response.json().message).toBe(
      'Could not create the call room: the LiveKit API is unreachable (ECONNREFUSED).',
    );
    api = await startFakeLiveKitApi();
  });

  it('ends a web call by deleting its room', async () => {
    const staff = await authorizedAs(app, 'supervisor');
    const response = await staff.inject({
      method: 'POST',
      url: '/api/web-calls/web_0123456789ab/end',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ roomName: 'web_0123456789ab', ended: true });
    const [deleted] = api.callsTo('RoomService', 'DeleteRoom');
    expect(deleted?.body).toEqual({ room: 'web_0123456789ab' });
    expect(deleted?.claims?.video).toEqual({ roomCreate: true });

    api.failNext('RoomService', 'DeleteRoom', {
      status: 404,
      code: 'not_found',
      msg: 'room not found',
    });
    const gone = await staff.inject({
      method: 'POST',
      url: '/api/web-calls/web_0123456789ab/end',
    });
    expect(gone.statusCode).toBe(404);

    const phone = await staff.inject({
      method: 'POST',
      url: '/api/web-calls/call_+15555550100_x/end',
    });
    expect(phone.statusCode).toBe(400);
  });

  it('lists the calls in progress', async () => {
    const live = await createCall(app.db, { roomName: 'web_aaaaaaaaaaaa', channel: 'web' });
    const over = await createCall(app.db, { roomName: 'call_x', channel: 'sip' });
    await transitionCall(app.db, over.id, 'ended', { reason: 'test' });

    const staff = await authorizedAs(app, 'supervisor');
    const response = await staff.inject({ method: 'GET', url: '/api/calls/active' });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      items: [
        {
          id: live.id,
          roomName: 'web_aaaaaaaaaaaa',
          channel: 'web',
          state: 'initializing',
          startedAt: live.startedAt,
          callerNumber: null,
          customerName: null,
          vin: null,
        },
      ],
    });
  });
});

describe('web calls without LiveKit', () => {
  it('answers 503 naming the settings', async () => {
    const app = await buildTestApp();
    const response = await app.inject({ method: 'POST', url: '/api/web-calls', payload: {} });
    expect(response.statusCode).toBe(503);
    expect(response.json().message).toBe(
      'Web calls need LiveKit: set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET',
    );
  });
});
