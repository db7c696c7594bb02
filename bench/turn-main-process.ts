/**
 * The worker's main process for bench/turn.ts, as `npm run worker -- start` runs it beside its job
 * processes: the metrics server job processes report to, and the SQLite WAL checkpoints (job
 * processes leave those to it). Tells the parent `{ type: 'ready', port }`.
 *
 *   node --import tsx bench/turn-main-process.ts <DATA_DIR>
 */
import { createLogger } from '../src/observability/logger.js';
import { createMetrics } from '../src/observability/metrics.js';
import { startWorkerMetricsServer } from '../src/worker/metrics-server.js';
import { startWalCheckpoints } from '../src/worker/worker-setup.js';
import { failStart, serveParent } from './lib/child-process.js';
import { benchConfig } from './turn-script.js';

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: turn-main-process.ts <DATA_DIR>');
  const config = benchConfig(dataDir);
  const logger = createLogger({ log: { ...config.log, level: 'warn' } });
  const checkpoints = startWalCheckpoints(config, logger);
  const server = await startWorkerMetricsServer({
    metrics: createMetrics({ defaultMetrics: false }),
    port: 0,
    host: '127.0.0.1',
    logger,
  });
  serveParent(
    async (message) => {
      throw new Error(`unknown message ${message.type}`);
    },
    async () => {
      await server.close();
      await checkpoints?.stop();
    },
  );
  process.send?.({ type: 'ready', port: server.port });
}

main().catch(failStart);
