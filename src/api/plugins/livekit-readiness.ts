import fp from 'fastify-plugin';
import { checkLiveKitApi } from '../../sip/livekit-clients.js';

/**
 * Readiness of the LiveKit server API: reachable and accepting our key and secret (a signed
 * ListRooms answers 401 on a wrong secret). Without LiveKit settings the check is `skipped`:
 * the API serves calls, recordings and the console without LiveKit.
 */
export default fp(
  async (fastify) => {
    const clients = fastify.livekit;
    if (!clients) {
      fastify.readiness.skip(
        'livekit',
        'LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET are not set',
      );
      return;
    }
    fastify.readiness.add('livekit', () => checkLiveKitApi(clients));
  },
  { name: 'livekit-readiness', dependencies: ['readiness', 'livekit'] },
);
