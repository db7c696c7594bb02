import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/helpers/app.js';
import {
  startFakeLiveKitApi,
  type FakeLiveKitApi,
} from '../../../test/helpers/fake-livekit-api.js';

describe('readiness of the LiveKit API', () => {
  let livekit: FakeLiveKitApi;
  beforeAll(async () => {
    livekit = await startFakeLiveKitApi();
  });
  afterAll(() => livekit.close());

  const env = (overrides: Record<string, string> = {}) => ({
    LIVEKIT_URL: livekit.url.replace('http', 'ws'),
    LIVEKIT_API_KEY: livekit.apiKey,
    LIVEKIT_API_SECRET: livekit.apiSecret,
    ...overrides,
  });

  it('is ok when the server answers a signed ListRooms', async () => {
    const app = await buildTestApp({ env: env() });
    const before = livekit.callsTo('RoomService', 'ListRooms').length;
    const response = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json().checks.livekit).toMatchObject({ status: 'ok' });
    const calls = livekit.callsTo('RoomService', 'ListRooms');
    expect(calls).toHaveLength(before + 1);
    expect(calls.at(-1)?.claims?.video?.roomList).toBe(true);
  });

  it('is down, with the reason, when the secret is refused', async () => {
    const app = await buildTestApp({ env: env({ LIVEKIT_API_SECRET: 'not-the-right-secret' }) });
    const response = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      status: 'unavailable',
      down: ['livekit'],
      checks: {
        livekit: { status: 'down', error: expect.any(String) },
        database: { status: 'ok' },
      },
    });
  });

  it('is down when nothing listens at the URL', async () => {
    const app = await buildTestApp({ env: env({ LIVEKIT_URL: 'ws://127.0.0.1:1' }) });
    const response = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json().checks.livekit.status).toBe('down');
  });

  it('is skipped, and the service ready, when LiveKit is not configured', async () => {
    const app = await buildTestApp();
    const response = await app.inject({ method: 'GET', url: '/health/ready' });
    // The rest of a ready answer is health.test.ts's concern.
    expect(response.statusCode).toBe(200);
    expect(response.json().checks.livekit).toMatchObject({
      status: 'skipped',
      latencyMs: 0,
      reason: expect.stringContaining('LIVEKIT_URL'),
    });
  });
});
