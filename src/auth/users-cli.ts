import { loadConfigOrExit } from '../config/index.js';
import { migrateToLatest, openDatabase } from '../db/index.js';
import { runUsersCommand } from './users-commands.js';

/** `npm run users -- <command>`: console users and API tokens (see USAGE in users-commands.ts). */
async function main(): Promise<number> {
  const config = loadConfigOrExit();
  const handle = openDatabase(config.database);
  try {
    await migrateToLatest(handle.db, handle.dialect);
    return await runUsersCommand(handle.db, process, process.argv.slice(2));
  } finally {
    await handle.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `users failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
