import { initializeLogger } from '@livekit/agents';
import { loadConfigOrExit } from '../config/index.js';
import { migrateToLatest, openDatabase } from '../db/index.js';
import { createLogger } from '../observability/logger.js';
import { runCallsCommand } from './calls-command.js';
import { createChatLlm } from './session-factory.js';

/** `npm run calls -- summarize <id|--failed>`: (re)runs post-call summaries with the configured LLM. */
async function main(): Promise<number> {
  const config = loadConfigOrExit();
  initializeLogger({ pretty: false, level: 'warn' });
  return runCallsCommand(process.argv.slice(2), {
    config,
    logger: createLogger(config, { name: 'calls-cli' }),
    model: () => createChatLlm(config, config.agent.summaryModel),
    openDb: async () => {
      const handle = openDatabase(config.database);
      await migrateToLatest(handle.db, handle.dialect);
      return { db: handle.db, close: () => handle.destroy() };
    },
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`calls: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
