import closeWithGrace from 'close-with-grace';
import { ensureFirstAdmin } from '../auth/index.js';
import { loadConfigOrExit } from '../config/index.js';
import { migrateToLatest, openDatabase } from '../db/index.js';
import { createLogger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { seedInventoryIfEmpty } from '../vehicle-lookup/seed-inventory.js';
import { buildApp } from './app.js';

/**
 * How long in-flight requests get to finish on SIGTERM/SIGINT before the process exits 1.
 * docker-compose gives the API a longer stop_grace_period so this runs to its end.
 */
const CLOSE_GRACE_MS = 10_000;

/**
 * Process wiring for the API: config, logger, database + migrations, listen, graceful close.
 * On SIGTERM: stop listening (new connections are refused), let in-flight requests finish, then
 * the onClose hooks close the database and storage clients; exit 0 (1 past the grace period).
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config, { name: 'api' });
  const database = openDatabase(config.database, { logger });
  await migrateToLatest(database.db, database.dialect);
  if (config.seedInventory) await seedInventoryIfEmpty(database.db, logger);
  await ensureFirstAdmin(database.db, config, logger);
  const metrics = createMetrics();
  const app = await buildApp({ config, database, logger, metrics, ownsDatabase: true });

  closeWithGrace({ delay: CLOSE_GRACE_MS, logger }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'closing after an uncaught error');
    else logger.info({ signal }, 'shutting down');
    await app.close();
    logger.info('closed');
  });

  await app.listen({ host: config.api.host, port: config.api.port });
  logger.info(
    {
      database: database.dialect,
      recordings: config.recording.store.kind,
      livekit: config.livekit.configured,
    },
    'API ready',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `API failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
