import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { VERSION } from '../../config/index.js';

const checkSchema = z.object({
  status: z.enum(['ok', 'down', 'skipped']),
  latencyMs: z.number(),
  error: z.string().optional(),
  reason: z.string().optional(),
});

const readySchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.record(z.string(), checkSchema),
  down: z.array(z.string()),
});

/** Liveness (`/health`) and readiness (`/health/ready`: every registered dependency check). */
const healthRoutes: FastifyPluginAsyncZod = async (fastify) => {
  const startedAt = Date.now();

  fastify.get(
    '/health',
    {
      // Probes poll these every few seconds; only problems belong in the logs.
      logLevel: 'warn',
      config: { access: 'public' },
      schema: {
        tags: ['health'],
        summary: 'Liveness: the process is up',
        response: {
          200: z.object({
            status: z.literal('ok'),
            version: z.string(),
            uptimeSeconds: z.number(),
          }),
        },
      },
    },
    async () => ({
      status: 'ok' as const,
      version: VERSION,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    }),
  );

  fastify.get(
    '/health/ready',
    {
      logLevel: 'warn',
      config: { access: 'public' },
      schema: {
        tags: ['health'],
        summary: 'Readiness: every configured dependency answers (503 naming the ones that do not)',
        response: { 200: readySchema, 503: readySchema },
      },
    },
    async (_request, reply) => {
      const checks = await fastify.readiness.run();
      const down = Object.entries(checks)
        .filter(([, result]) => result.status === 'down')
        .map(([name]) => name);
      return reply
        .code(down.length ? 503 : 200)
        .send({ status: down.length ? 'unavailable' : 'ok', checks, down });
    },
  );
};

export default healthRoutes;
