import sensible from '@fastify/sensible';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from '../config/index.js';
import type { DatabaseHandle } from '../db/index.js';
import type { Logger } from '../observability/logger.js';
import { createMetrics, type Metrics } from '../observability/metrics.js';
import consolePlugin from './console/console-plugin.js';
import accessControl from './plugins/access-control.js';
import audit from './plugins/audit.js';
import databasePlugin from './plugins/database.js';
import errorHandler from './plugins/error-handler.js';
import livekit from './plugins/livekit.js';
import livekitCallSync from './plugins/livekit-call-sync.js';
import livekitEvents from './plugins/livekit-events.js';
import livekitReadiness from './plugins/livekit-readiness.js';
import metricsPlugin from './plugins/metrics.js';
import openapi from './plugins/openapi.js';
import readiness from './plugins/readiness.js';
import recordingsPlugin from './plugins/recordings.js';
import securityHeaders from './plugins/security-headers.js';
import auditRoutes from './routes/audit.js';
import authRoutes from './routes/auth.js';
import callRoutes from './routes/calls.js';
import healthRoutes from './routes/health.js';
import recordingRoutes from './routes/recordings.js';
import tokenRoutes from './routes/tokens.js';
import userRoutes from './routes/users.js';
import vehicleRoutes from './routes/vehicles.js';
import webCallRoutes from './routes/web-calls.js';
import webhookRoutes from './routes/webhooks.js';

/** Who may call a route; enforced by the access-control plugin (`plugins/access-control.ts`). */
export type RouteAccess = 'public' | 'signed' | 'viewer' | 'supervisor' | 'admin';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
  }
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

export interface AppDependencies {
  config: Config;
  database: DatabaseHandle;
  /** The process logger; tests omit it for a silent app. */
  logger?: Logger;
  /** Whether closing the app closes the database (true for the server process). */
  ownsDatabase?: boolean;
  /** The process's Prometheus metrics; a fresh registry when omitted (tests). */
  metrics?: Metrics;
}

/** The application as one plugin: shared plugins first, then the routes. */
export const appPlugin = fp<AppDependencies>(
  async (fastify, deps) => {
    fastify.decorate('config', deps.config);
    fastify.setValidatorCompiler(validatorCompiler);
    fastify.setSerializerCompiler(serializerCompiler);

    await fastify.register(sensible);
    await fastify.register(errorHandler);
    await fastify.register(readiness);
    await fastify.register(databasePlugin, {
      database: deps.database,
      closeOnShutdown: deps.ownsDatabase ?? false,
    });
    await fastify.register(securityHeaders);
    // Before any route (/metrics, the OpenAPI UI's): it sees every route as it is registered.
    await fastify.register(accessControl);
    await fastify.register(audit);
    await fastify.register(metricsPlugin, { metrics: deps.metrics ?? createMetrics() });
    await fastify.register(openapi);
    await fastify.register(livekit);
    await fastify.register(livekitReadiness);
    await fastify.register(livekitEvents);
    await fastify.register(livekitCallSync);
    await fastify.register(recordingsPlugin, { logger: deps.logger });

    await fastify.register(healthRoutes);
    await fastify.register(authRoutes);
    await fastify.register(userRoutes);
    await fastify.register(tokenRoutes);
    await fastify.register(auditRoutes);
    await fastify.register(callRoutes);
    await fastify.register(consolePlugin);
    await fastify.register(vehicleRoutes);
    await fastify.register(webhookRoutes);
    await fastify.register(webCallRoutes);
    await fastify.register(recordingRoutes);
  },
  { name: 'app' },
);

/** Builds the Fastify instance with every plugin and route registered (not listening). */
export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const fastify = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger | undefined,
    // Fastify passes `{}` when a route sets no log options, which takes pino's slow child path
    // (formatters rebuilt for every request); no options at all gives the same child faster.
    childLoggerFactory: (logger, bindings, options) =>
      options.level === undefined && options.serializers === undefined
        ? logger.child(bindings)
        : logger.child(bindings, options),
    trustProxy: deps.config.api.trustProxy,
    bodyLimit: 1_048_576,
    requestIdHeader: 'x-request-id',
  });
  await fastify.register(appPlugin, deps);
  return fastify;
}
