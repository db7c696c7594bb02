import { fileURLToPath } from 'node:url';
import { cli, defineAgent, ServerOptions } from '@livekit/agents';
import { loadConfigOrExit } from '../config/index.js';
import { createLogger } from '../observability/logger.js';
import { entry, prewarm } from './entry.js';
import { CONNECTING_COMMANDS, missingWorkerSettings, serverOptionsFrom } from './worker-options.js';
import { prepareWorkerDatabase } from './worker-setup.js';

/** The voice worker: `npm run worker -- start|dev|connect --room <name>`. */
export default defineAgent({ prewarm, entry });

const agentFile = fileURLToPath(import.meta.url);

// Job processes import this file for its default export; only the command line runs the CLI.
if (process.argv[1] === agentFile) {
  const config = loadConfigOrExit();
  if (CONNECTING_COMMANDS.has(process.argv[2] ?? '')) {
    const missing = missingWorkerSettings(config);
    if (missing.length > 0) {
      process.stderr.write(
        `The voice worker cannot start. Missing settings: ${missing.join(', ')}\n` +
          'Set them in the environment or .env (see .env.example).\n',
      );
      process.exit(1);
    }
    await prepareWorkerDatabase(config, createLogger(config, { name: 'worker' }));
  }
  cli.runApp(new ServerOptions(serverOptionsFrom(config, agentFile)));
}
