/**
 * A server process for bench/api.ts: our API as `npm start` builds it (buildApp, production config
 * with the overrides the bench passes), or the ceiling: a bare Fastify route answering a constant.
 *
 *   node --import tsx bench/api-server.ts ceiling
 *   node --import tsx bench/api-server.ts anchors <SQLite file>
 *   node --import tsx bench/api-server.ts api <DATABASE_URL> [KEY=VALUE ...]   (config overrides)
 *
 * The anchors are the figures ENVIRONMENT.md measured: a bare route answering one row by primary
 * key, `GET /raw/:id` through a better-sqlite3 prepared statement, `GET /kysely/:id` through
 * Kysely (opened as the API opens it, statement cache included).
 *
 * Listens on 127.0.0.1, an ephemeral port, and tells the parent `{ type: 'ready', port }`. On the
 * parent's `profile-start` / `profile-stop` it records a V8 CPU profile of itself (the same
 * profile `node --cpu-prof` writes, but for one load run only).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildApp } from '../src/api/app.js';
import { parseConfig } from '../src/config/index.js';
import { migrateToLatest, openDatabase } from '../src/db/index.js';
import { createLogger } from '../src/observability/logger.js';
import { createMetrics } from '../src/observability/metrics.js';
import { failStart, serveParent } from './lib/child-process.js';

async function ceiling(): Promise<FastifyInstance> {
  const app = Fastify();
  app.get('/', async () => ({ hello: 'world' }));
  return app;
}

async function anchors(file: string): Promise<FastifyInstance> {
  const sqlite = new SqliteDatabase(file, { readonly: true });
  const byId = sqlite.prepare('SELECT * FROM vehicles WHERE id = ?');
  const { db } = openDatabase({ kind: 'sqlite', path: file });
  const app = Fastify();
  app.get<{ Params: { id: string } }>('/raw/:id', async (request) =>
    byId.get(Number(request.params.id)),
  );
  app.get<{ Params: { id: string } }>('/kysely/:id', async (request) =>
    db
      .selectFrom('vehicles')
      .selectAll()
      .where('id', '=', Number(request.params.id))
      .executeTakeFirst(),
  );
  app.addHook('onClose', async () => {
    sqlite.close();
    await db.destroy();
  });
  return app;
}

async function api(databaseUrl: string, overrides: string[]): Promise<FastifyInstance> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-api-'));
  const config = parseConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    SEED_INVENTORY: 'false',
    ...Object.fromEntries(overrides.map((pair) => pair.split(/=(.*)/s).slice(0, 2))),
  });
  const logger = createLogger(config, { name: 'api' });
  const database = openDatabase(config.database);
  await migrateToLatest(database.db, database.dialect);
  const app = await buildApp({
    config,
    database,
    logger,
    metrics: createMetrics(),
    ownsDatabase: true,
  });
  app.addHook('onClose', async () => rmSync(dataDir, { recursive: true, force: true }));
  return app;
}

async function main(): Promise<void> {
  const [mode, databaseUrl, ...overrides] = process.argv.slice(2);
  const app =
    mode === 'ceiling'
      ? await ceiling()
      : mode === 'anchors' && databaseUrl
        ? await anchors(databaseUrl)
        : mode === 'api' && databaseUrl
          ? await api(databaseUrl, overrides)
          : null;
  if (app === null) {
    throw new Error(
      'usage: api-server.ts ceiling | anchors <file> | api <DATABASE_URL> [KEY=VALUE ...]',
    );
  }
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;

  let profiler: Session | null = null;
  serveParent(
    async (message) => {
      if (message.type === 'profile-start') {
        profiler = new Session();
        profiler.connect();
        await profiler.post('Profiler.enable');
        await profiler.post('Profiler.start');
        return { type: 'profiling' };
      }
      if (message.type === 'profile-stop' && profiler) {
        const { profile } = await profiler.post('Profiler.stop');
        profiler.disconnect();
        profiler = null;
        writeFileSync(String(message.file), JSON.stringify(profile));
        return { type: 'profiled' };
      }
      throw new Error(`unknown message ${message.type}`);
    },
    () => app.close(),
  );
  process.send?.({ type: 'ready', port });
}

main().catch(failStart);
