import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { initializeLogger } from '@livekit/agents';
import { summarizeCall } from '../../calls/call-summary.js';
import { loadConfigOrExit, missingProviderKeys, PROJECT_ROOT } from '../../config/index.js';
import { migrateToLatest, openDatabase } from '../../db/index.js';
import { indexKnowledgeDir } from '../../dealership/knowledge-base.js';
import { createLogger } from '../../observability/logger.js';
import { createMetrics } from '../../observability/metrics.js';
import { directMetricsSink } from '../../observability/metrics-sink.js';
import { seedInventoryIfEmpty } from '../../vehicle-lookup/seed-inventory.js';
import { createChatLlm } from '../session-factory.js';
import { formatResult } from './report.js';
import { runScenario, type SimulatorEnv } from './run-scenario.js';
import { loadScenario } from './scenario.js';

const SCENARIO_DIR = path.join(PROJECT_ROOT, 'test', 'scenarios');
const USAGE = 'usage: npm run simulate -- <scenario.yaml>... | --all [--scripted]\n';

/** Transfer targets the simulated calls use (the recording telephony port never dials them). */
export const SIMULATED_TRANSFER_TARGETS = {
  sales: 'tel:+15555550111',
  service: 'tel:+15555550122',
};

async function scenarioFiles(args: string[]): Promise<string[]> {
  if (args.includes('--all')) {
    const names = (await readdir(SCENARIO_DIR)).filter((n) => /\.ya?ml$/.test(n)).sort();
    return names.map((n) => path.join(SCENARIO_DIR, n));
  }
  return args.filter((a) => !a.startsWith('--')).map((a) => path.resolve(a));
}

/**
 * `npm run simulate -- <scenario.yaml> | --all`: runs scripted calls through the real agent
 * session, writes them to the configured database, prints each call and PASS/FAIL. Uses the
 * configured LLM when a key is set (a real evaluation), else each scenario's scripted replies.
 */
async function main(args: string[]): Promise<number> {
  const files = await scenarioFiles(args);
  if (files.length === 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  const config = loadConfigOrExit();
  initializeLogger({ pretty: false, level: 'fatal' });
  const logger = createLogger(
    { log: { ...config.log, level: 'warn', format: 'json' } },
    { name: 'simulator', destination: process.stderr },
  );
  const handle = openDatabase(config.database);
  try {
    await migrateToLatest(handle.db, handle.dialect);
    await seedInventoryIfEmpty(handle.db, logger);
    await indexKnowledgeDir(handle.db, config.dealership.knowledgeDir);
    const live =
      !args.includes('--scripted') && !missingProviderKeys(config).includes('OPENAI_API_KEY');
    const liveLlm = live ? createChatLlm(config) : null;
    const summarizer = live ? createChatLlm(config, config.agent.summaryModel) : null;
    const env: SimulatorEnv = {
      config,
      db: handle.db,
      logger,
      metrics: directMetricsSink(createMetrics({ defaultMetrics: false })),
      liveLlm,
      transferTargets: SIMULATED_TRANSFER_TARGETS,
      afterCall: summarizer
        ? async (data) => {
            await summarizeCall(data.db, data.call.id, summarizer, { logger: data.logger });
          }
        : undefined,
    };
    process.stdout.write(
      `Simulating ${files.length} scenario(s) with ${live ? `the configured LLM (${config.agent.llmModel})` : 'scripted replies'}\n\n`,
    );
    let passed = 0;
    for (const file of files) {
      const scenario = await loadScenario(file);
      const result = await runScenario(env, scenario);
      if (result.passed) passed++;
      process.stdout.write(`${formatResult(result, path.relative(process.cwd(), file))}\n`);
    }
    process.stdout.write(`${passed}/${files.length} scenarios passed\n`);
    return passed === files.length ? 0 : 1;
  } finally {
    await handle.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`simulate: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
