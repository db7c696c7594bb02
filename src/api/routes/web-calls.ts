import { randomBytes } from 'node:crypto';
import cors from '@fastify/cors';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AccessToken, TrackSource } from 'livekit-server-sdk';
import { z } from 'zod';
import { CALL_STATES, listCalls } from '../../calls/index.js';
import type { LiveKitClients } from '../../sip/livekit-clients.js';
import { isLiveKitNotFound, liveKitFailure } from '../../sip/livekit-errors.js';
import { errorSchema } from '../schemas/common.js';

/** Web rooms are `web_<12 hex>`; SIP rooms are named by the dispatch rule (`call_<number>_...`). */
export const WEB_ROOM_PREFIX = 'web_';
const WEB_ROOM = /^web_[0-9a-f]{12}$/;

/** The participant token only has to be valid when the browser connects. */
export const WEB_CALL_TOKEN_TTL_SECONDS = 600;
/** The browser must join within this, or LiveKit closes the room. */
export const WEB_ROOM_EMPTY_TIMEOUT_SECONDS = 60;
export const WEB_ROOM_DEPARTURE_TIMEOUT_SECONDS = 20;

const webCallSchema = z.object({
  roomName: z.string(),
  participantToken: z.string(),
  /** The LiveKit URL the browser connects to. */
  url: z.string(),
  identity: z.string(),
  expiresAt: z.string(),
});

const activeCallSchema = z.object({
  id: z.string(),
  roomName: z.string(),
  channel: z.enum(['sip', 'web', 'simulator']),
  state: z.enum(CALL_STATES),
  startedAt: z.string(),
  callerNumber: z.string().nullable(),
  customerName: z.string().nullable(),
  vin: z.string().nullable(),
});

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

function send(reply: FastifyReply, statusCode: 403 | 404 | 502 | 503, message: string) {
  const error = {
    403: 'Forbidden',
    404: 'Not Found',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
  }[statusCode];
  return reply.code(statusCode).send({ statusCode, error, message });
}

/** 502 naming what LiveKit said (status and code, no internals), logged in full. */
function liveKitFailed(
  request: FastifyRequest,
  reply: FastifyReply,
  action: string,
  error: unknown,
) {
  const failure = liveKitFailure(error);
  request.log.error({ err: error, livekit: failure }, `LiveKit failed to ${action}`);
  const detail =
    failure.status === undefined
      ? failure.message
      : `LiveKit answered ${failure.status} ${failure.code ?? ''}`.trim();
  return send(reply, 502, `Could not ${action}: ${detail}.`);
}

const NOT_CONFIGURED =
  'Web calls need LiveKit: set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET';

/** Where browsers connect: the configured URL with http(s) turned into ws(s). */
const browserUrl = (url: string) => url.replace(/^http/, 'ws');

/**
 * Browser calls (the website widget) and the live-calls list:
 * - `POST /api/web-calls` creates a room, dispatches our agent to it and returns a join token.
 *   Public, but only from the allowed origins (WEB_CALL_ALLOWED_ORIGINS) or our own.
 * - `POST /api/web-calls/:room/end` deletes a web call's room (staff).
 * - `GET /api/calls/active` lists the calls that have not ended.
 * The call row itself is created by the worker when the agent joins, as for phone calls.
 */
const webCallRoutes: FastifyPluginAsyncZod = async (fastify) => {
  const { telephony, livekit: settings, api } = fastify.config;
  const allowed = new Set(telephony.webCallAllowedOrigins);
  const ownOrigins = new Set(api.publicUrl ? [new URL(api.publicUrl).origin] : []);

  const originAllowed = (request: FastifyRequest): boolean => {
    const origin = request.headers.origin;
    // No Origin: not a browser cross-site request, the allow-list has nothing to protect.
    if (origin === undefined) return true;
    return (
      allowed.has('*') ||
      allowed.has(origin) ||
      ownOrigins.has(origin) ||
      origin === `${request.protocol}://${request.host}`
    );
  };

  const webCallEndpoints: FastifyPluginAsyncZod = async (webCalls) => {
    // The widget runs on the dealership's website: browsers need CORS for these routes.
    await webCalls.register(cors, {
      origin: (origin, callback) =>
        callback(null, origin !== undefined && (allowed.has('*') || allowed.has(origin))),
      methods: ['POST'],
    });

    webCalls.post(
      '/',
      {
        config: { access: 'public' },
        schema: {
          tags: ['web calls'],
          summary: 'Start a browser call: a room with our agent and a token to join it',
          body: z.object({ name: z.string().trim().min(1).max(64).optional() }).optional(),
          response: { 201: webCallSchema, 403: errorSchema, 502: errorSchema, 503: errorSchema },
        },
      },
      async (request, reply) => {
        if (!originAllowed(request)) {
          return send(reply, 403, 'This website may not start calls (origin not allowed).');
        }
        const clients = fastify.livekit;
        if (!clients || !settings.url || !settings.apiKey || !settings.apiSecret) {
          return send(reply, 503, NOT_CONFIGURED);
        }
        const roomName = `${WEB_ROOM_PREFIX}${hex(6)}`;
        const identity = `web_${hex(8)}`;
        const name = request.body?.name ?? 'Web caller';
        const started = await startRoom(clients, roomName, identity, settings.agentName);
        if (!started.ok) return liveKitFailed(request, reply, started.action, started.error);

        const token = new AccessToken(settings.apiKey, settings.apiSecret, {
          identity,
          name,
          ttl: WEB_CALL_TOKEN_TTL_SECONDS,
        });
        token.addGrant({
          room: roomName,
          roomJoin: true,
          canPublish: true,
          canPublishSources: [TrackSource.MICROPHONE],
          canSubscribe: true,
          canPublishData: true,
        });
        const expiresAt = new Date(Date.now() + WEB_CALL_TOKEN_TTL_SECONDS * 1000).toISOString();
        return reply.code(201).send({
          roomName,
          participantToken: await token.toJwt(),
          url: browserUrl(settings.publicUrl ?? settings.url),
          identity,
          expiresAt,
        });
      },
    );

    webCalls.post(
      '/:room/end',
      {
        config: { access: 'supervisor' },
        schema: {
          tags: ['web calls'],
          summary: 'End a browser call (deletes its room)',
          params: z.object({
            room: z.string().regex(WEB_ROOM, 'expected a web call room name (web_<12 hex>)'),
          }),
          response: {
            200: z.object({ roomName: z.string(), ended: z.literal(true) }),
            404: errorSchema,
            502: errorSchema,
            503: errorSchema,
          },
        },
      },
      async (request, reply) => {
        const clients = fastify.livekit;
        if (!clients) return send(reply, 503, NOT_CONFIGURED);
        const { room } = request.params;
        try {
          await clients.room.deleteRoom(room);
        } catch (error) {
          if (isLiveKitNotFound(error)) return send(reply, 404, `No web call in room ${room}.`);
          return liveKitFailed(request, reply, 'end the call', error);
        }
        return { roomName: room, ended: true as const };
      },
    );
  };
  await fastify.register(webCallEndpoints, { prefix: '/api/web-calls' });

  fastify.get(
    '/api/calls/active',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['calls'],
        summary: 'Calls in progress (not ended), newest first',
        response: { 200: z.object({ items: z.array(activeCallSchema) }) },
      },
    },
    async () => {
      const { items } = await listCalls(fastify.db, { active: true }, { limit: 200 });
      return {
        items: items.map((call) => ({
          id: call.id,
          roomName: call.roomName,
          channel: call.channel,
          state: call.state,
          startedAt: call.startedAt,
          callerNumber: call.callerNumber,
          customerName: call.customerName,
          vin: call.vin,
        })),
      };
    },
  );
};

type StartResult = { ok: true } | { ok: false; action: string; error: unknown };

/** Creates the room and dispatches the agent; removes the room again if the dispatch fails. */
async function startRoom(
  clients: LiveKitClients,
  roomName: string,
  identity: string,
  agentName: string,
): Promise<StartResult> {
  try {
    await clients.room.createRoom({
      name: roomName,
      emptyTimeout: WEB_ROOM_EMPTY_TIMEOUT_SECONDS,
      departureTimeout: WEB_ROOM_DEPARTURE_TIMEOUT_SECONDS,
      metadata: JSON.stringify({ channel: 'web' }),
    });
  } catch (error) {
    return { ok: false, action: 'create the call room', error };
  }
  try {
    await clients.dispatch.createDispatch(roomName, agentName, {
      metadata: JSON.stringify({ channel: 'web', callerIdentity: identity }),
    });
  } catch (error) {
    await clients.room.deleteRoom(roomName).catch(() => undefined);
    return { ok: false, action: 'dispatch the agent', error };
  }
  return { ok: true };
}

export default webCallRoutes;
