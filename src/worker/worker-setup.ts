import type { Config } from '../config/index.js';
import { migrateToLatest, openDatabase } from '../db/index.js';
import { indexKnowledgeDir } from '../dealership/knowledge-base.js';
import type { Logger } from '../observability/logger.js';
import { errorText } from './call-data.js';

/**
 * Once per worker, in the main process before job processes start: brings the database schema up
 * to date and indexes the FAQ. Job processes only open the database (several processes migrating
 * one SQLite file at once would race).
 */
export async function prepareWorkerDatabase(config: Config, logger: Logger): Promise<void> {
  const handle = openDatabase(config.database);
  try {
    await migrateToLatest(handle.db, handle.dialect);
    try {
      const indexed = await indexKnowledgeDir(handle.db, config.dealership.knowledgeDir);
      logger.info(indexed, 'knowledge base indexed');
    } catch (error) {
      logger.warn({ err: errorText(error) }, 'knowledge base not indexed');
    }
  } finally {
    await handle.destroy();
  }
}
