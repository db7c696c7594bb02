import { fileURLToPath } from 'node:url';
import { cli, defineAgent } from '@livekit/agents';
import { loadConfigOrExit } from '../config/index.js';
import { createLogger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { entry, prewarm } from './entry.js';
import { startWorkerMetricsServer } from './metrics-server.js';
import { workerServerOptions } from './server-options.js';
import { CONNECTING_COMMANDS, missingWorkerSettings } from './worker-options.js';
import { prepareWorkerDatabase, startWalCheckpoints } from './worker-setup.js';

/** The voice worker: `npm run worker -- start|dev|connect --room <name>`. */
export default defineAgent({ prewarm, entry });

const agentFile = fileURLToPath(import.meta.url);

// Job processes import this file for its default export; only the command line runs the worker.
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
    const logger = createLogger(config, { name: 'worker' });
    await prepareWorkerDatabase(config, logger);
    // Job processes do not checkpoint the SQLite WAL (it would stall a turn); this process does.
    startWalCheckpoints(config, logger);
    // The main process serves /metrics; job processes report to it (metrics-reporter.ts).
    await startWorkerMetricsServer({
      metrics: createMetrics(),
      port: config.worker.metricsPort,
      token: config.metrics.token,
      logger,
    });
  }
  cli.runApp(workerServerOptions(config, agentFile));
}
