import { afterEach, describe, expect, it } from 'vitest';
import { testConfig } from '../../test/helpers/app.js';
import { startFakeLiveKitApi, type FakeLiveKitApi } from '../../test/helpers/fake-livekit-api.js';
import {
  checkLiveKitApi,
  createLiveKitClients,
  LiveKitNotConfiguredError,
} from './livekit-clients.js';
import { describeLiveKitError } from './livekit-errors.js';

describe('LiveKit clients', () => {
  let api: FakeLiveKitApi | undefined;
  afterEach(() => api?.close());

  const livekit = (env: Record<string, string>) => testConfig(env).livekit;

  it('names every missing LIVEKIT_* setting', () => {
    expect(() => createLiveKitClients(livekit({}))).toThrow(
      new LiveKitNotConfiguredError(['LIVEKIT_URL', 'LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET']),
    );
    expect(() => createLiveKitClients(livekit({ LIVEKIT_URL: 'ws://lk:7880' }))).toThrow(
      'LiveKit is not configured: set LIVEKIT_API_KEY, LIVEKIT_API_SECRET',
    );
  });

  it('is ready when the API accepts our credentials, with a cheap ListRooms', async () => {
    api = await startFakeLiveKitApi();
    const clients = createLiveKitClients(
      livekit({
        LIVEKIT_URL: api.url,
        LIVEKIT_API_KEY: api.apiKey,
        LIVEKIT_API_SECRET: api.apiSecret,
      }),
    );
    await checkLiveKitApi(clients);
    const [call] = api.callsTo('RoomService', 'ListRooms');
    expect(call?.body).toEqual({ names: ['__readiness_probe__'] });
    expect(call?.claims?.video).toEqual({ roomList: true });
  });

  it('is not ready when the credentials are refused or the server is down', async () => {
    api = await startFakeLiveKitApi();
    const wrongSecret = createLiveKitClients(
      livekit({
        LIVEKIT_URL: api.url,
        LIVEKIT_API_KEY: api.apiKey,
        LIVEKIT_API_SECRET: 'not-the-secret-the-server-knows',
      }),
    );
    const refused = await checkLiveKitApi(wrongSecret).catch((e: unknown) => e);
    expect(describeLiveKitError(refused)).toBe(
      'LiveKit API error 401 unauthenticated: invalid token',
    );

    const url = api.url;
    await api.close();
    api = undefined;
    const down = createLiveKitClients(
      livekit({ LIVEKIT_URL: url, LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: 's' }),
    );
    const unreachable = await checkLiveKitApi(down).catch((e: unknown) => e);
    expect(describeLiveKitError(unreachable)).toBe(
      'LiveKit API error: the LiveKit API is unreachable (ECONNREFUSED)',
    );
  });
});
