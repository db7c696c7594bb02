import { parseArgs } from 'node:util';
import type { Config } from '../config/index.js';
import { migrateToLatest, openDatabase, type Db } from '../db/index.js';
import type { Logger } from '../observability/logger.js';
import { createRecordingStore } from './create-recording-store.js';
import { countRecordingsStartedBefore } from './recording-queries.js';
import type { RecordingStore } from './recording-store.js';
import { parseAge, purgeRecordings } from './retention.js';

export const USAGE = `Usage: npm run recordings -- purge --older-than <age> [--dry-run] [--batch-size <n>]

  purge   delete recordings (stored object and row) whose call started longer ago than <age>
          <age>: a number with h, d or w, e.g. 90d; --dry-run lists what would go and deletes nothing
`;

class UsageError extends Error {}

interface PurgeArgs {
  ageMs: number;
  dryRun: boolean;
  batchSize: number;
}

function parse(argv: string[]): PurgeArgs | null {
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
  if (positionals[0] !== 'purge' || positionals.length !== 1) {
    throw new UsageError('unknown command');
  }
  if (!values['older-than']) throw new UsageError('--older-than is required');
  const batchSize = Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new UsageError('--batch-size must be a positive integer');
  }
  try {
    return { ageMs: parseAge(values['older-than']), dryRun: values['dry-run'], batchSize };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export interface CommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Loads the configuration (and a logger) once the command line is known to be valid. */
  load: () => { config: Config; logger?: Logger | undefined };
  now?: () => Date;
}

/**
 * `recordings purge --older-than <age> [--dry-run]`: lists or deletes old recordings with progress
 * on stderr. Returns the exit code (0 done, 1 some deletes failed, 2 usage).
 */
export async function runRecordingsCommand(argv: string[], io: CommandIo): Promise<number> {
  let args: PurgeArgs | null;
  try {
    args = parse(argv);
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (!args) {
    io.stdout.write(USAGE);
    return 0;
  }
  const { config, logger } = io.load();
  const handle = openDatabase(config.database);
  try {
    await migrateToLatest(handle.db, handle.dialect);
    const store = createRecordingStore(config.recording.store);
    return await purge(args, io, { db: handle.db, store, logger });
  } finally {
    await handle.destroy();
  }
}

async function purge(
  args: PurgeArgs,
  io: CommandIo,
  deps: { db: Db; store: RecordingStore; logger: Logger | undefined },
): Promise<number> {
  const now = io.now?.() ?? new Date();
  const cutoff = new Date(now.getTime() - args.ageMs);
  const total = await countRecordingsStartedBefore(deps.db, cutoff);
  const verb = args.dryRun ? 'would delete' : 'deleting';
  io.stdout.write(`${total} recording(s) started before ${cutoff.toISOString()}; ${verb}:\n`);
  const result = await purgeRecordings({
    ...deps,
    cutoff,
    dryRun: args.dryRun,
    batchSize: args.batchSize,
    onItem(recording, action) {
      if (!args.dryRun && action === 'delete') return;
      const label = { delete: 'would delete', skip: 'skip (in flight)', failed: 'FAILED' }[action];
      io.stdout.write(
        `${label.padEnd(17)} ${recording.startedAt}  ${recording.id}  ${recording.storageKey}  ${recording.sizeBytes ?? 0} bytes\n`,
      );
    },
    onProgress(progress) {
      const percent = total ? Math.floor((progress.examined / total) * 100) : 100;
      io.stderr.write(`progress: ${progress.examined}/${total} (${percent}%)\n`);
    },
  });
  io.stdout.write(
    `${args.dryRun ? 'would delete' : 'deleted'} ${result.deleted}, skipped ${result.skipped} in flight, failed ${result.failed}; ${result.bytes} bytes\n`,
  );
  return result.failed > 0 ? 1 : 0;
}
