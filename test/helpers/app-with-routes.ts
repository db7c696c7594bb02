import Fastify, { type FastifyInstance } from 'fastify';
import { onTestFinished } from 'vitest';
import { appPlugin } from '../../src/api/app.js';
import type { Config } from '../../src/config/index.js';
import { testConfig } from './app.js';
import { createTestDatabase } from './databases.js';

/**
 * The whole app plus routes a test declares (e.g. a route without an access level, or with an
 * audit config), on a fresh SQLite database; closed after the test.
 */
export async function buildTestAppWithRoutes(
  routes: (scope: FastifyInstance) => void | Promise<void>,
  config: Config = testConfig(),
): Promise<FastifyInstance> {
  const database = await createTestDatabase('sqlite');
  const app = Fastify();
  await app.register(appPlugin, { config, database, ownsDatabase: true });
  await app.register(async (scope) => routes(scope));
  onTestFinished(() => app.close());
  await app.ready();
  return app;
}
