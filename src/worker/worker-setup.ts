import { sql } from 'kysely';
import type { Config } from '../config/index.js';
import { type DatabaseHandle, migrateToLatest, openDatabase } from '../db/index.js';
import { indexKnowledgeDir } from '../dealership/knowledge-base.js';
import { PeriodicJob } from '../egress/periodic-job.js';
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

/** How long a SQLite write may block the event loop on a lock before the write queue retries. */
export const WORKER_SQLITE_BUSY_TIMEOUT_MS = 50;

/**
 * How often the worker's main process checkpoints the SQLite WAL for its job processes: often
 * enough that the WAL stays short (readers search it page by page), and a checkpoint with nothing
 * new to copy costs nothing.
 */
export const WAL_CHECKPOINT_INTERVAL_MS = 1_000;

/**
 * Opens the database in a job process (once, in prewarm). The schema is already migrated by the
 * main process (`prepareWorkerDatabase`).
 */
export async function openWorkerDatabase(
  config: Config,
  options: { logger?: Logger } = {},
): Promise<DatabaseHandle> {
  const database = openDatabase(config.database, options);
  if (database.dialect === 'sqlite') {
    // better-sqlite3 waits for a lock synchronously; keep that short on the audio process.
    await sql.raw(`PRAGMA busy_timeout = ${WORKER_SQLITE_BUSY_TIMEOUT_MS}`).execute(database.db);
    // The commit that takes the WAL past 1000 pages would copy it into the database file and
    // fsync, several ms inside whichever turn made that write (bench:turn saw one every ~40
    // turns). Job processes leave that to the main process (startWalCheckpoints).
    await sql.raw('PRAGMA wal_autocheckpoint = 0').execute(database.db);
  }
  return database;
}

/** What one WAL checkpoint did, in pages (SQLite's `wal_checkpoint` row). */
export interface WalCheckpoint {
  busy: number;
  log: number;
  checkpointed: number;
}

export interface WalCheckpoints {
  /** Checkpoints now (PASSIVE: never waits for the job processes' readers or writers). */
  checkpoint(): Promise<WalCheckpoint>;
  stop(): Promise<void>;
}

/**
 * In the worker's main process, which carries no audio: checkpoints the SQLite WAL every
 * `intervalMs` on its own connection, since job processes do not (`openWorkerDatabase`). Null for
 * PostgreSQL.
 */
export function startWalCheckpoints(
  config: Config,
  logger: Logger,
  intervalMs = WAL_CHECKPOINT_INTERVAL_MS,
): WalCheckpoints | null {
  if (config.database.kind !== 'sqlite' || config.database.path === ':memory:') return null;
  const database = openDatabase(config.database, { logger });
  let warned = false;
  const job = new PeriodicJob(
    async () => {
      const { rows } = await sql<WalCheckpoint>`PRAGMA wal_checkpoint(PASSIVE)`.execute(
        database.db,
      );
      warned = false;
      return rows[0] ?? { busy: 0, log: 0, checkpointed: 0 };
    },
    {
      intervalMs,
      // Once per outage: a locked or missing file would otherwise warn every second.
      onError: (error) => {
        if (!warned) logger.warn({ err: errorText(error) }, 'SQLite WAL checkpoint failed');
        warned = true;
      },
    },
  );
  job.start();
  return {
    checkpoint: () => job.runOnce(),
    async stop() {
      await job.stop();
      await database.destroy();
    },
  };
}
