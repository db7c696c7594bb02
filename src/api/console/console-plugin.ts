import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { PROJECT_ROOT } from '../../config/index.js';

/**
 * The console's files, served as they are in the repository: plain ES modules and CSS, so
 * `npm start` needs no build step (and the compiled dist/ serves the same folder).
 */
export const CONSOLE_DIR = path.join(PROJECT_ROOT, 'src/api/console/public');

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
