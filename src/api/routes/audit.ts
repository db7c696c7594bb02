import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listAuditEvents } from '../../auth/index.js';
import { InvalidCursorError } from '../../db/cursor.js';
import { errorSchema } from '../schemas/common.js';

const auditEventSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  action: z.string(),
  actor: z.object({
    type: z.enum(['user', 'token', 'anonymous', 'system']),
    id: z.number().int().nullable(),
    label: z.string().nullable(),
  }),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  target: z.object({ type: z.string(), id: z.string() }).nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
});

/** The audit log (admins only): logins, failed logins, listens, downloads, deletes, user changes. */
const auditRoutes: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '/api/audit',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['audit'],
        summary: 'Audit events, newest first (keyset paging with nextCursor)',
        querystring: z.object({
          action: z.string().max(64).optional(),
          actor: z.string().max(254).optional(),
          targetType: z.string().max(64).optional(),
          targetId: z.string().max(128).optional(),
          ip: z.string().max(64).optional(),
          from: z.iso.datetime({ offset: true }).optional(),
          to: z.iso.datetime({ offset: true }).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(200).optional(),
        }),
        response: {
          200: z.object({ items: z.array(auditEventSchema), nextCursor: z.string().nullable() }),
          400: errorSchema,
        },
      },
    },
    async (request) => {
      const { limit, cursor, from, to, ...filters } = request.query;
      try {
        return await listAuditEvents(
          fastify.db,
          {
            ...filters,
            from: from && new Date(from).toISOString(),
            to: to && new Date(to).toISOString(),
          },
          { limit, cursor },
        );
      } catch (error) {
        if (error instanceof InvalidCursorError) throw fastify.httpErrors.badRequest(error.message);
        throw error;
      }
    },
  );
};

export default auditRoutes;
