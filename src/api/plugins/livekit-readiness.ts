import fp from 'fastify-plugin';
import { RoomServiceClient } from 'livekit-server-sdk';
import { READINESS_TIMEOUT_MS } from './readiness.js';

/**
 * Readiness of the LiveKit server API: reachable and accepting our key and secret (a signed
 * ListRooms call answers 401 on a wrong secret). Without LiveKit settings the check is `skipped`:
 * the API serves calls, recordings and the console without LiveKit.
 */
export default fp(
  async (fastify) => {
    const { livekit } = fastify.config;
    if (!livekit.configured || !livekit.url) {
      fastify.readiness.skip(
        'livekit',
        'LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET are not set',
      );
      return;
    }
    // When the telephony module's shared clients land, this becomes checkLiveKitApi(clients).
    const rooms = new RoomServiceClient(livekit.url, livekit.apiKey, livekit.apiSecret, {
      requestTimeout: READINESS_TIMEOUT_MS / 1000,
    });
    fastify.readiness.add('livekit', () => rooms.listRooms());
  },
  { name: 'livekit-readiness', dependencies: ['readiness'] },
);
