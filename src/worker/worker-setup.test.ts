import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it, onTestFinished } from 'vitest';
import { tempDir, testConfig } from '../../test/helpers/app.js';
import { captureLogs } from '../../test/helpers/log-capture.js';
import {
  openWorkerDatabase,
  startWalCheckpoints,
  WORKER_SQLITE_BUSY_TIMEOUT_MS,
} from './worker-setup.js';

describe('worker database in job processes', () => {
  it('waits briefly on locks and never checkpoints the WAL itself; the main process does', async () => {
    const config = testConfig({ DATABASE_URL: path.join(tempDir(), 'worker.db') });
    const job = await openWorkerDatabase(config);
    onTestFinished(() => job.destroy());
    const read = async (name: string) =>
      Object.values((await sql.raw(`PRAGMA ${name}`).execute(job.db)).rows[0] as object)[0];
    expect(await read('busy_timeout')).toBe(WORKER_SQLITE_BUSY_TIMEOUT_MS);
    expect(await read('wal_autocheckpoint')).toBe(0);

    // Each commit appends WAL frames; past 1000 pages SQLite would checkpoint inside a commit.
    await sql`CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)`.execute(job.db);
    for (let i = 0; i < 1200; i++) {
      await sql`INSERT INTO t (body) VALUES (${'x'.repeat(200)})`.execute(job.db);
    }
    const checkpoints = startWalCheckpoints(config, captureLogs().logger);
    if (!checkpoints) throw new Error('expected WAL checkpoints for a SQLite file');
    onTestFinished(() => checkpoints.stop());
    const first = await checkpoints.checkpoint();
    expect(first.log).toBeGreaterThan(1000);
    expect(first.checkpointed).toBe(first.log);
  });

  it('has nothing to checkpoint for PostgreSQL or an in-memory database', () => {
    const { logger } = captureLogs();
    expect(startWalCheckpoints(testConfig({ DATABASE_URL: ':memory:' }), logger)).toBeNull();
    expect(
      startWalCheckpoints(testConfig({ DATABASE_URL: 'postgres://u@127.0.0.1:5432/x' }), logger),
    ).toBeNull();
  });
});
