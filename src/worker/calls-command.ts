import type { llm } from '@livekit/agents';
import { listFailedSummaries, summarizeCall } from '../calls/call-summary.js';
import { type Config, missingProviderKeys } from '../config/index.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../observability/logger.js';

export const CALLS_USAGE = 'usage: npm run calls -- summarize <call-id> | summarize --failed';

export interface CallsCommandDeps {
  config: Config;
  /** Opens the database only once the arguments and settings are known to be good. */
  openDb: () => Promise<{ db: Db; close: () => Promise<void> }>;
  /** The summary model (built from config by the CLI; scripted in tests). */
  model: () => llm.LLM;
  logger: Logger;
  out: (line: string) => void;
  err: (line: string) => void;
}

/** `calls summarize <id|--failed>`: (re)runs post-call summaries. Returns the exit code. */
export async function runCallsCommand(args: readonly string[], deps: CallsCommandDeps) {
  const [command, target] = args;
  if (command !== 'summarize' || !target) {
    deps.err(CALLS_USAGE);
    return 2;
  }
  if (missingProviderKeys(deps.config).includes('OPENAI_API_KEY')) {
    deps.err(
      'Summaries need an LLM: set OPENAI_API_KEY (or OPENAI_BASE_URL for an OpenAI-compatible server).',
    );
    return 1;
  }
  const { db, close } = await deps.openDb();
  try {
    const ids = target === '--failed' ? await listFailedSummaries(db) : [target];
    const model = deps.model();
    let failed = 0;
    for (const id of ids) {
      const ok = await summarizeCall(db, id, model, { logger: deps.logger }).catch(
        (error: unknown) => {
          deps.err(`${id}: ${error instanceof Error ? error.message : String(error)}`);
          return false;
        },
      );
      if (!ok) failed++;
      deps.out(`${ok ? 'summarized' : 'FAILED    '} ${id}`);
    }
    deps.out(`${ids.length - failed} of ${ids.length} call(s) summarized.`);
    return failed === 0 ? 0 : 1;
  } finally {
    await close();
  }
}
