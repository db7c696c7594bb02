import { loadConfigOrExit } from '../config/index.js';
import { createLogger } from '../observability/logger.js';
import { runRecordingsCommand } from './recordings-command.js';

/** `npm run recordings -- purge --older-than 90d [--dry-run]`: the retention purge, by hand. */
runRecordingsCommand(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  load() {
    const config = loadConfigOrExit();
    return {
      config,
      logger: createLogger(config, { name: 'recordings-cli', destination: process.stderr }),
    };
  },
}).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `recordings failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
