import { z } from 'zod';
import { parseOpeningHours } from './opening-hours.js';

/**
 * The environment, as the product reads it. Every variable is listed in `.env.example`.
 * Only `src/config/` reads `process.env`; everything else gets the parsed, frozen `Config`.
 */

const emptyToUndefined = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const optionalString = z.preprocess(emptyToUndefined, z.string().optional());

/**
 * Strings checked on their own (so their problems are listed with every other field's, not only
 * once the rest of the environment is valid). `check` returns the problem, or null.
 */
type Check = (value: string) => string | null;

const refineWith = (check: Check) => (value: string, ctx: z.RefinementCtx) => {
  const problem = check(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
};

const checkedString = (fallback: string, check: Check) =>
  z.preprocess(emptyToUndefined, z.string().default(fallback).superRefine(refineWith(check)));

const checkedOptionalString = (check: Check) =>
  z.preprocess(emptyToUndefined, z.string().superRefine(refineWith(check)).optional());

function timeZoneProblem(zone: string): string | null {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return null;
  } catch {
    return `unknown IANA time zone "${zone}"`;
  }
}

function openingHoursProblem(text: string): string | null {
  try {
    parseOpeningHours(text);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

function databaseUrlProblem(raw: string): string | null {
  if (/^postgres(ql)?:\/\//.test(raw))
    return URL.canParse(raw) ? null : 'not a valid postgres:// URL';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) && !/^(sqlite|file):/.test(raw)) {
    return 'use a SQLite path, sqlite:<path>, file:<path> or postgres://';
  }
  return raw.replace(/^(sqlite|file):(\/\/)?/, '') === '' ? 'the SQLite path is empty' : null;
}

const bool = (fallback: boolean) =>
  z.preprocess(
    emptyToUndefined,
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], {
        error: 'expected true or false',
      })
      .optional()
      .transform((value) =>
        value === undefined ? fallback : ['true', '1', 'yes', 'on'].includes(value),
      ),
  );

const int = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).max(max).default(fallback));

const optionalInt = (min = 0) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).optional());

const url = (protocols: RegExp, hint: string) =>
  z.preprocess(
    emptyToUndefined,
    z.url({ protocol: protocols, error: `expected a URL (${hint})` }).optional(),
  );

const csv = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .optional()
    .transform((value) =>
      value === undefined
        ? []
        : value
            .split(',')
            .map((part) => part.trim())
            .filter(Boolean),
    ),
);

export const envSchema = z.object({
  NODE_ENV: z.preprocess(
    emptyToUndefined,
    z.enum(['development', 'production', 'test']).default('development'),
  ),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  LOG_FORMAT: z.preprocess(emptyToUndefined, z.enum(['auto', 'json', 'pretty']).default('auto')),
  /** Whether values under `pii` keys reach the logs; default: yes outside production. */
  LOG_PII: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).optional()),

  // API process
  HOST: z.preprocess(emptyToUndefined, z.string().default('0.0.0.0')),
  PORT: int(3000, 0, 65535),
  PUBLIC_URL: url(/^https?$/, 'http(s)://host[:port], how LiveKit and browsers reach the API'),
  TRUST_PROXY: bool(false),
  /** When set, /metrics (API and worker) requires `Authorization: Bearer <token>`. */
  METRICS_TOKEN: optionalString,
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),

  // Database: a SQLite path or sqlite: URL (embedded default) or postgres://
  DATABASE_URL: checkedOptionalString(databaseUrlProblem),
  DATABASE_POOL_SIZE: int(10, 1, 200),
  /** PostgreSQL: how long to wait for a connection, and for one query, before failing it. */
  DATABASE_CONNECT_TIMEOUT_MS: int(5_000, 100, 600_000),
  DATABASE_QUERY_TIMEOUT_MS: int(30_000, 100, 3_600_000),
  SEED_INVENTORY: bool(true),

  // LiveKit
  LIVEKIT_URL: url(/^(wss?|https?)$/, 'ws(s):// or http(s)://'),
  LIVEKIT_PUBLIC_URL: url(/^(wss?|https?)$/, 'ws(s):// as browsers reach LiveKit'),
  LIVEKIT_API_KEY: optionalString,
  LIVEKIT_API_SECRET: optionalString,
  AGENT_NAME: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[\w.-]+$/)
      .default('callcenter-agent'),
  ),
  WORKER_HTTP_PORT: int(8081, 0, 65535),
  WORKER_METRICS_PORT: int(9464, 0, 65535),
  WORKER_DRAIN_TIMEOUT_SECONDS: int(300, 0),
  /** Warm job processes kept ready for the next call (unset: the framework's default). */
  WORKER_IDLE_PROCESSES: optionalInt(1),
  /** How long a new job process may take to load its models before the worker kills it. */
  WORKER_PROCESS_INIT_TIMEOUT_SECONDS: int(30, 1, 600),

  // Providers
  AGENT_MODE: z.preprocess(emptyToUndefined, z.enum(['pipeline', 'realtime']).default('pipeline')),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: url(/^https?$/, 'an OpenAI-compatible http(s) base URL'),
  LLM_MODEL: z.preprocess(emptyToUndefined, z.string().default('gpt-4.1-mini')),
  SUMMARY_MODEL: optionalString,
  REALTIME_MODEL: z.preprocess(emptyToUndefined, z.string().default('gpt-realtime')),
  REALTIME_VOICE: z.preprocess(emptyToUndefined, z.string().default('marin')),
  DEEPGRAM_API_KEY: optionalString,
  STT_MODEL: z.preprocess(emptyToUndefined, z.string().default('nova-3')),
  STT_LANGUAGE: z.preprocess(emptyToUndefined, z.string().default('en-US')),
  TTS_PROVIDER: z.preprocess(emptyToUndefined, z.enum(['cartesia', 'openai']).default('cartesia')),
  CARTESIA_API_KEY: optionalString,
  TTS_MODEL: optionalString,
  TTS_VOICE: optionalString,

  // Dealership
  DEALERSHIP_NAME: z.preprocess(emptyToUndefined, z.string().default('Riverside Motors')),
  DEALERSHIP_TIMEZONE: checkedString('America/New_York', timeZoneProblem),
  OPENING_HOURS: checkedString('mon-fri 09:00-19:00; sat 09:00-17:00', openingHoursProblem),
  APPOINTMENT_SLOT_MINUTES: int(30, 5, 480),
  KNOWLEDGE_DIR: z.preprocess(emptyToUndefined, z.string().default('./config/knowledge')),

  // Telephony
  SIP_CONFIG_FILE: z.preprocess(emptyToUndefined, z.string().default('./config/sip.yaml')),
  SILENCE_PROMPT_SECONDS: int(12, 1),
  SILENCE_HANGUP_SECONDS: int(30, 1),
  MAX_CALL_DURATION_SECONDS: int(1200, 30),
  MAX_CALL_WARNING_SECONDS: int(60, 0),
  DTMF_INTERDIGIT_TIMEOUT_MS: int(3000, 100),
  WEB_CALL_ALLOWED_ORIGINS: csv,

  // Recording
  RECORDING_MODE: z.preprocess(
    emptyToUndefined,
    z.enum(['agent', 'egress', 'off']).default('agent'),
  ),
  RECORDINGS_STORE: z.preprocess(emptyToUndefined, z.enum(['local', 's3']).default('local')),
  RECORDINGS_DIR: optionalString,
  RECORDINGS_SPOOL_DIR: optionalString,
  S3_ENDPOINT: url(/^https?$/, 'http(s)://host:port of MinIO or S3'),
  S3_EGRESS_ENDPOINT: url(/^https?$/, 'the S3 endpoint as the egress service reaches it'),
  S3_REGION: z.preprocess(emptyToUndefined, z.string().default('us-east-1')),
  S3_ACCESS_KEY: optionalString,
  S3_SECRET_KEY: optionalString,
  S3_BUCKET: z.preprocess(emptyToUndefined, z.string().default('recordings')),
  S3_FORCE_PATH_STYLE: bool(true),
  S3_PRESIGN_TTL_SECONDS: int(300, 1, 604800),
  RETENTION_DAYS: optionalInt(1),
  RETENTION_CHECK_INTERVAL_MINUTES: int(60, 1),

  // Staff console and access control
  ADMIN_EMAIL: optionalString,
  ADMIN_PASSWORD: optionalString,
  MASK_PHONE_NUMBERS_FOR_VIEWER: bool(true),
  SESSION_TTL_HOURS: int(12, 1),
  COOKIE_SECURE: z.preprocess(emptyToUndefined, z.enum(['auto', 'true', 'false']).default('auto')),
  LOGIN_MAX_ATTEMPTS: int(5, 1),
  LOGIN_LOCKOUT_MINUTES: int(15, 1),
  PUBLIC_RATE_LIMIT_PER_MINUTE: int(600, 1),
});

export type Env = z.input<typeof envSchema>;
export type ParsedEnv = z.output<typeof envSchema>;
