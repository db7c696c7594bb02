import { loadConfigOrExit } from '../config/index.js';
import { migrateToLatest, openDatabase } from './index.js';

/** `npm run db:migrate`: applies pending migrations from sql/ to the configured database. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const handle = openDatabase(config.database);
  try {
    const { results = [] } = await migrateToLatest(handle.db, handle.dialect);
    for (const r of results) process.stdout.write(`${r.status.padEnd(11)} ${r.migrationName}\n`);
    process.stdout.write(
      results.length === 0
        ? 'Database is up to date.\n'
        : `Applied ${results.length} migration(s).\n`,
    );
  } finally {
    await handle.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `db:migrate failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
