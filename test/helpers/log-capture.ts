import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/observability/logger.js';

/** A JSON logger that keeps every line in memory, for tests that assert on what gets logged. */
export function captureLogs(options: { pii?: boolean; level?: 'debug' | 'info' | 'warn' } = {}): {
  logger: Logger;
  lines: () => Record<string, unknown>[];
  raw: () => string;
} {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = createLogger(
    { log: { level: options.level ?? 'debug', format: 'json', pii: options.pii ?? true } },
    { destination },
  );
  const raw = () => chunks.join('');
  return {
    logger,
    raw,
    lines: () =>
      raw()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
