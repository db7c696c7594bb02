import fp from 'fastify-plugin';
import { createLiveKitClients, type LiveKitClients } from '../../sip/livekit-clients.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The LiveKit API clients, or null when LIVEKIT_URL/KEY/SECRET are not all set. */
    livekit: LiveKitClients | null;
  }
}

/**
 * Decorates `fastify.livekit` with one set of LiveKit API clients for the process. Routes that
 * need LiveKit answer 503 while it is null; the API itself runs without LiveKit.
 */
export default fp(
  async (fastify) => {
    const { livekit } = fastify.config;
    fastify.decorate('livekit', livekit.configured ? createLiveKitClients(livekit) : null);
  },
  { name: 'livekit' },
);
