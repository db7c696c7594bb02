import { initializeLogger } from '@livekit/agents';
import { listFailedSummaries, summarizeCall } from '../calls/call-summary.js';
import { loadConfigOrExit, missingProviderKeys } from '../config/index.js';
import { migrateToLatest, openDatabase } from '../db/index.js';
import { createLogger } from '../observability/logger.js';
import { createChatLlm } from './session-factory.js';

const USAGE = 'usage: npm run calls -- summarize <call-id> | summarize --failed\n';

/** `npm run calls -- summarize <id|--failed>`: (re)runs post-call summaries with the configured LLM. */
async function main(argv: string[]): Promise<number> {
  const [command, target] = argv;
  if (command !== 'summarize' || !target) {
    process.stderr.write(USAGE);
    return 2;
  }
  const config = loadConfigOrExit();
  if (missingProviderKeys(config).includes('OPENAI_API_KEY')) {
    process.stderr.write(
      'Summaries need an LLM: set OPENAI_API_KEY (or OPENAI_BASE_URL for an OpenAI-compatible server).\n',
    );
    return 1;
  }
  initializeLogger({ pretty: false, level: 'warn' });
  const logger = createLogger(config, { name: 'calls-cli' });
  const handle = openDatabase(config.database);
  try {
    await migrateToLatest(handle.db, handle.dialect);
    const ids = target === '--failed' ? await listFailedSummaries(handle.db) : [target];
    const model = createChatLlm(config, config.agent.summaryModel);
    let failed = 0;
    for (const id of ids) {
      const ok = await summarizeCall(handle.db, id, model, { logger });
      if (!ok) failed++;
      process.stdout.write(`${ok ? 'summarized' : 'FAILED    '} ${id}\n`);
    }
    process.stdout.write(`${ids.length - failed} of ${ids.length} call(s) summarized.\n`);
    return failed === 0 ? 0 : 1;
  } finally {
    await handle.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`calls: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
