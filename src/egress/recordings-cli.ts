import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../config/index.js';
import { migrateToLatest, openDatabase } from '../db/index.js';
import { createLogger } from '../observability/logger.js';
import {
  countRecordingsStartedBefore,
  createRecordingStore,
  parseAge,
  purgeRecordings,
} from './index.js';

const USAGE = `Usage: npm run recordings -- purge --older-than <age> [--dry-run] [--batch-size <n>]

  purge   delete recordings (stored object and row) whose call started longer ago than <age>
          <age>: a number with h, d or w, e.g. 90d; --dry-run lists what would go and deletes nothing
`;

class UsageError extends Error {}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'older-than': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'batch-size': { type: 'string', default: '200' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return null;
  if (positionals[0] !== 'purge' || positionals.length !== 1)
    throw new UsageError('unknown command');
  if (!values['older-than']) throw new UsageError('--older-than is required');
  const batchSize = Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new UsageError('--batch-size must be a positive integer');
  let ageMs: number;
  try {
    ageMs = parseAge(values['older-than']);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return { ageMs, dryRun: values['dry-run'], batchSize };
}

/** `npm run recordings -- purge --older-than 90d [--dry-run]`: the retention purge, by hand. */
async function main(): Promise<number> {
  let args;
  try {
    args = parse(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (!args) {
    process.stdout.write(USAGE);
    return 0;
  }
  const config = loadConfigOrExit();
  const logger = createLogger(config, { name: 'recordings-cli', destination: process.stderr });
  const handle = openDatabase(config.database);
  try {
    await migrateToLatest(handle.db, handle.dialect);
    const cutoff = new Date(Date.now() - args.ageMs);
    const total = await countRecordingsStartedBefore(handle.db, cutoff);
    const verb = args.dryRun ? 'would delete' : 'deleting';
    process.stdout.write(
      `${total} recording(s) started before ${cutoff.toISOString()}; ${verb}:\n`,
    );
    const result = await purgeRecordings({
      db: handle.db,
      store: createRecordingStore(config.recording.store),
      cutoff,
      dryRun: args.dryRun,
      batchSize: args.batchSize,
      logger,
      onItem(recording, action) {
        if (!args.dryRun && action === 'delete') return;
        const label =
          action === 'delete' ? 'would delete' : action === 'skip' ? 'skip (in flight)' : 'FAILED';
        process.stdout.write(
          `${label.padEnd(17)} ${recording.startedAt}  ${recording.id}  ${recording.storageKey}  ${recording.sizeBytes ?? 0} bytes\n`,
        );
      },
      onProgress(progress) {
        const percent = total ? Math.floor((progress.examined / total) * 100) : 100;
        process.stderr.write(`progress: ${progress.examined}/${total} (${percent}%)\n`);
      },
    });
    const done = args.dryRun ? 'would delete' : 'deleted';
    process.stdout.write(
      `${done} ${result.deleted}, skipped ${result.skipped} in flight, failed ${result.failed}; ${result.bytes} bytes\n`,
    );
    return result.failed > 0 ? 1 : 0;
  } finally {
    await handle.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `recordings failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
