import SqliteDatabase from 'better-sqlite3';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import pg from 'pg';
import { bearerTokenMatches } from '../../observability/metrics-auth.js';
import type { Metrics } from '../../observability/metrics.js';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics;
  }
}

export interface MetricsPluginOptions {
  metrics: Metrics;
}

/** Errors raised by the database drivers themselves (constraint, lock, connection-level SQL errors). */
export function isDatabaseError(error: unknown): boolean {
  return error instanceof SqliteDatabase.SqliteError || error instanceof pg.DatabaseError;
}

// Readiness results double as dependency errors: a database or store that stops answering is
// counted even when no request happens to touch it.
const READINESS_ERROR_COUNTERS = {
  database: 'databaseErrors',
  storage: 'storageErrors',
} as const;

function routeLabel(request: FastifyRequest): string {
  // The route pattern, never the raw URL: ids in paths would explode the label cardinality.
  return request.routeOptions.url ?? 'unmatched';
}

/**
 * `GET /metrics` in the Prometheus text format, and `fastify.metrics` for other plugins.
 * Open unless METRICS_TOKEN is set (then a matching bearer token is required).
 */
export default fp<MetricsPluginOptions>(
  async (fastify, { metrics }) => {
    fastify.decorate('metrics', metrics);
    const token = fastify.config.metrics.token;

    // Callback style: an async hook would cost every response a promise.
    fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
      metrics.httpRequestDuration.observe(
        {
          method: request.method,
          route: routeLabel(request),
          status_code: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      );
      done();
    });

    fastify.addHook('onError', async (request, _reply, error) => {
      if (isDatabaseError(error)) {
        metrics.databaseErrors.inc({ operation: `${request.method} ${routeLabel(request)}` });
      }
    });

    fastify.readiness.onResult((name, result) => {
      if (result.status === 'skipped') return;
      metrics.dependencyUp.set({ dependency: name }, result.status === 'ok' ? 1 : 0);
      const counter = READINESS_ERROR_COUNTERS[name as keyof typeof READINESS_ERROR_COUNTERS];
      if (counter && result.status === 'down') metrics[counter].inc({ operation: 'readiness' });
    });

    fastify.get(
      '/metrics',
      {
        logLevel: 'warn',
        // Prometheus has no session: the console's access control does not apply; the token does.
        config: { access: 'public' },
        schema: { hide: true },
      },
      async (request, reply) => {
        if (token && !bearerTokenMatches(request.headers.authorization, token)) {
          return reply.code(401).header('www-authenticate', 'Bearer').send({
            statusCode: 401,
            error: 'Unauthorized',
            message: 'A metrics token is required.',
          });
        }
        const body = await metrics.registry.metrics();
        return reply.type(metrics.registry.contentType).send(body);
      },
    );
  },
  { name: 'metrics', dependencies: ['readiness'] },
);
