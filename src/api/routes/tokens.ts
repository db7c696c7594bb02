import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  type ApiToken,
  createApiToken,
  DuplicateTokenNameError,
  listApiTokens,
  type Principal,
  revokeApiToken,
} from '../../auth/index.js';
import { errorSchema } from '../schemas/common.js';
import { roleSchema } from '../schemas/auth.js';

const apiTokenSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  role: roleSchema,
  prefix: z.string(),
  createdBy: z.number().int().nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

const toBody = (t: ApiToken): z.infer<typeof apiTokenSchema> => ({ ...t });

/** API tokens for machine clients (admins only). The secret is returned once, at creation. */
const tokenRoutes: FastifyPluginAsyncZod = async (fastify) => {
  const { db } = fastify;

  fastify.get(
    '/api/tokens',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['tokens'],
        summary: 'List API tokens (never their secrets)',
        response: { 200: z.object({ items: z.array(apiTokenSchema) }) },
      },
    },
    async () => ({ items: (await listApiTokens(db)).map(toBody) }),
  );

  fastify.post(
    '/api/tokens',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token; the response is the only time the secret is shown',
        body: z.object({
          name: z.string().trim().min(1).max(100),
          role: roleSchema,
        }),
        response: {
          201: z.object({ token: z.string(), apiToken: apiTokenSchema }),
          409: errorSchema,
        },
      },
    },
    async (request, reply) => {
      const creator = request.user as Principal;
      try {
        const { token, apiToken } = await createApiToken(db, {
          ...request.body,
          createdBy: creator.via === 'session' ? creator.id : null,
        });
        await request.audit({
          action: 'token.create',
          target: { type: 'api_token', id: String(apiToken.id) },
          details: { name: apiToken.name, role: apiToken.role },
        });
        reply.header('cache-control', 'no-store');
        return reply.code(201).send({ token, apiToken: toBody(apiToken) });
      } catch (error) {
        if (error instanceof DuplicateTokenNameError) {
          throw fastify.httpErrors.conflict(error.message);
        }
        throw error;
      }
    },
  );

  fastify.delete(
    '/api/tokens/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['tokens'],
        summary: 'Revoke an API token',
        params: z.object({ id: z.coerce.number().int().positive() }),
        response: { 204: z.null(), 404: errorSchema },
      },
    },
    async (request, reply) => {
      const revoked = await revokeApiToken(db, { id: request.params.id });
      if (!revoked) throw fastify.httpErrors.notFound(`No live API token ${request.params.id}.`);
      await request.audit({
        action: 'token.revoke',
        target: { type: 'api_token', id: String(revoked.id) },
        details: { name: revoked.name },
      });
      return reply.code(204).send(null);
    },
  );
};

export default tokenRoutes;
