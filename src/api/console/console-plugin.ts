import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AUDIT_ACTIONS, ROLES } from '../../auth/index.js';
import { CALL_OUTCOMES } from '../../calls/index.js';
import { PROJECT_ROOT } from '../../config/index.js';

/**
 * The console's files, served as they are in the repository: plain ES modules and CSS, so
 * `npm start` needs no build step (and the compiled dist/ serves the same folder).
 */
export const CONSOLE_DIR = path.join(PROJECT_ROOT, 'src/api/console/public');

/**
 * The closed lists the console offers as choices, taken from the modules that define them so a new
 * role, audit action or outcome reaches the filters without a second edit.
 */
export const CONSOLE_VOCABULARY_JS = [
  `export const ROLES = ${JSON.stringify(ROLES)};`,
  `export const AUDIT_ACTIONS = ${JSON.stringify(AUDIT_ACTIONS)};`,
  `export const CALL_OUTCOMES = ${JSON.stringify(CALL_OUTCOMES)};`,
  '',
].join('\n');

const files: FastifyPluginAsyncZod = async (fastify) => {
  // Always revalidate (ETag / Last-Modified): an upgrade must never mix old and new modules.
  const noCache = { cacheControl: false, lastModified: true, etag: true } as const;

  fastify.get(
    '/',
    { config: { access: 'public' }, schema: { hide: true } },
    async (_request, reply) => {
      reply.header('cache-control', 'no-cache');
      return reply.sendFile('index.html', noCache);
    },
  );

  fastify.get(
    '/console/vocabulary.js',
    { config: { access: 'public' }, schema: { hide: true } },
    async (_request, reply) => {
      reply.header('cache-control', 'no-cache');
      return reply.type('text/javascript; charset=utf-8').send(CONSOLE_VOCABULARY_JS);
    },
  );

  fastify.get(
    '/console/*',
    {
      config: { access: 'public' },
      schema: { hide: true, params: z.object({ '*': z.string().max(200) }) },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-cache');
      return reply.sendFile(request.params['*'], noCache);
    },
  );
};

/** The staff console at `/` (pages) and `/console/*` (its scripts and styles); the API does the rest. */
const consolePlugin: FastifyPluginAsync = async (fastify) => {
  // serve: false: no catch-all route; only the two routes above, each with a declared access.
  await fastify.register(fastifyStatic, { root: CONSOLE_DIR, serve: false });
  await fastify.register(files);
};

export default consolePlugin;
