import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { Database, DatabaseHandle, Dialect } from '../../db/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<Database>;
    dialect: Dialect;
  }
}

export interface DatabasePluginOptions {
  database: DatabaseHandle;
  /** Close the database when the app closes (the server owns it; tests may share one). */
  closeOnShutdown: boolean;
}

/** Decorates `fastify.db` with the opened database and registers its readiness check. */
export default fp<DatabasePluginOptions>(
  async (fastify, { database, closeOnShutdown }) => {
    fastify.decorate('db', database.db);
    fastify.decorate('dialect', database.dialect);
    fastify.readiness.add('database', async () => {
      await database.db.selectFrom('vehicles').select('id').limit(1).execute();
    });
    if (closeOnShutdown) fastify.addHook('onClose', () => database.destroy());
  },
  { name: 'database', dependencies: ['readiness'] },
);
