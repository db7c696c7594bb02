import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from '../config/index.js';

export type { Logger } from 'pino';

/**
 * Key under which phone numbers, names, transcripts, DTMF digits and tool arguments go.
 * Never put those in the message text: `log.info({ pii: { phone } }, 'caller identified')`.
 */
export const PII_KEY = 'pii';

const SECRET_PATHS = [
  'password',
  '*.password',
  'secret',
  '*.secret',
  '*.apiSecret',
  '*.secretKey',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

/** Creates the process logger: JSON in production or when piped, pretty in a terminal. */
export function createLogger(
  config: Pick<Config, 'log'>,
  options: { name?: string; destination?: NodeJS.WritableStream } = {},
): Logger {
  const usePretty =
    config.log.format === 'pretty' || (config.log.format === 'auto' && process.stdout.isTTY);
  const redactPaths = config.log.pii ? SECRET_PATHS : [...SECRET_PATHS, PII_KEY, `*.${PII_KEY}`];
  const destination =
    options.destination ??
    (usePretty ? pretty({ colorize: process.stdout.isTTY, sync: true }) : process.stdout);
  return pino(
    {
      name: options.name,
      level: config.log.level,
      redact: { paths: redactPaths, censor: '[redacted]' },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** A child logger that stamps every line with the call id. */
export function callLogger(logger: Logger, callId: string, bindings: object = {}): Logger {
  return logger.child({ callId, ...bindings });
}
