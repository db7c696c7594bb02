import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { WebhookReceiver } from 'livekit-server-sdk';
import { z } from 'zod';
import { claimWebhookEvent, releaseWebhookEvent } from '../../sip/webhook-event-repository.js';
import { errorSchema } from '../schemas/common.js';

const acceptedSchema = z.object({
  status: z.enum(['processed', 'duplicate']),
  event: z.string(),
});

function reject(reply: FastifyReply, statusCode: 400 | 401 | 503, message: string) {
  const error = { 400: 'Bad Request', 401: 'Unauthorized', 503: 'Service Unavailable' }[statusCode];
  return reply.code(statusCode).send({ statusCode, error, message });
}

/**
 * `POST /webhooks/livekit`: LiveKit's signed event notifications. The raw body is checked against
 * the JWT in `Authorization` (issuer = our API key, `sha256` claim = hash of the body, not
 * expired); each event id is handled once, then emitted on `fastify.livekitEvents`.
 */
const webhookRoutes: FastifyPluginAsyncZod = async (fastify) => {
  const { apiKey, apiSecret } = fastify.config.livekit;
  const receiver = apiKey && apiSecret ? new WebhookReceiver(apiKey, apiSecret) : null;

  // The signature covers the exact bytes, so the body must reach the handler unparsed. livekit-server
  // sends application/webhook+json; application/json is accepted too, only inside this plugin.
  const keepRaw = (_request: unknown, body: string, done: (e: null, b: string) => void) =>
    done(null, body);
  fastify.addContentTypeParser('application/webhook+json', { parseAs: 'string' }, keepRaw);
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, keepRaw);

  fastify.post(
    '/webhooks/livekit',
    {
      config: { access: 'signed' },
      schema: {
        tags: ['webhooks'],
        summary: 'LiveKit webhook receiver (signed with the LiveKit API key)',
        body: z.string(),
        headers: z.object({ authorization: z.string().optional() }),
        response: {
          200: acceptedSchema,
          400: errorSchema,
          401: errorSchema,
          503: errorSchema,
        },
      },
    },
    async (request, reply) => {
      if (!receiver) {
        return reject(
          reply,
          503,
          'LiveKit webhooks are not configured: set LIVEKIT_API_KEY and LIVEKIT_API_SECRET',
        );
      }
      let event;
      try {
        event = await receiver.receive(request.body, request.headers.authorization);
      } catch (error) {
        if (error instanceof SyntaxError) return reject(reply, 400, 'the body is not JSON');
        request.log.warn({ reason: (error as Error).message }, 'webhook rejected');
        return reject(reply, 401, 'missing, invalid or expired webhook signature');
      }
      const roomName = event.room?.name || null;
      const id =
        event.id || `sha256:${createHash('sha256').update(request.body).digest('base64url')}`;
      const log = request.log.child({ webhookEvent: event.event, webhookId: id });

      if (!(await claimWebhookEvent(fastify.db, { id, event: event.event, roomName }))) {
        log.info('duplicate webhook ignored');
        return { status: 'duplicate' as const, event: event.event };
      }
      try {
        await fastify.livekitEvents.emit(event);
      } catch (error) {
        await releaseWebhookEvent(fastify.db, id);
        throw error;
      }
      log.debug({ pii: { roomName } }, 'webhook handled');
      return { status: 'processed' as const, event: event.event };
    },
  );
};

export default webhookRoutes;
