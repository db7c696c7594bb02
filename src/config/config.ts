import path from 'node:path';
import type { z } from 'zod';
import { type OpeningHours, parseOpeningHours } from './opening-hours.js';
import { envSchema, type ParsedEnv } from './schema.js';

export type DatabaseConfig =
  | { kind: 'sqlite'; /** Absolute file path or ':memory:'. */ path: string }
  | {
      kind: 'postgres';
      url: string;
      poolSize: number;
      /** Defaults in openDatabase: 5 s to connect, 30 s per query. */
      connectTimeoutMs?: number;
      queryTimeoutMs?: number;
    };

export type RecordingStoreConfig =
  | { kind: 'local'; dir: string }
  | {
      kind: 's3';
      endpoint: string;
      /** The endpoint as the LiveKit egress service reaches it (inside compose: http://minio:9000). */
      egressEndpoint: string;
      region: string;
      accessKey: string;
      secretKey: string;
      bucket: string;
      forcePathStyle: boolean;
      presignTtlSeconds: number;
    };

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly log: {
    level: ParsedEnv['LOG_LEVEL'];
    format: ParsedEnv['LOG_FORMAT'];
    /** When false, everything under `pii` keys is replaced before it is written. */
    pii: boolean;
  };
  readonly api: { host: string; port: number; publicUrl: string | undefined; trustProxy: boolean };
  /** Prometheus endpoints; without a token they are open (firewall them). */
  readonly metrics: { token: string | undefined };
  readonly dataDir: string;
  readonly database: DatabaseConfig;
  readonly seedInventory: boolean;
  readonly livekit: {
    url: string | undefined;
    /** The LiveKit URL handed to browsers (web calls); defaults to `url`. */
    publicUrl: string | undefined;
    apiKey: string | undefined;
    apiSecret: string | undefined;
    agentName: string;
    /** True when URL, key and secret are all set. */
    configured: boolean;
  };
  readonly worker: {
    httpPort: number;
    metricsPort: number;
    drainTimeoutMs: number;
    idleProcesses: number | undefined;
    processInitTimeoutMs: number;
  };
  readonly agent: {
    mode: 'pipeline' | 'realtime';
    llmModel: string;
    summaryModel: string;
    realtimeModel: string;
    realtimeVoice: string;
    sttModel: string;
    sttLanguage: string;
    ttsProvider: 'cartesia' | 'openai';
    ttsModel: string | undefined;
    ttsVoice: string | undefined;
  };
  readonly providers: {
    openaiApiKey: string | undefined;
    openaiBaseUrl: string | undefined;
    deepgramApiKey: string | undefined;
    cartesiaApiKey: string | undefined;
  };
  readonly dealership: {
    name: string;
    timezone: string;
    openingHours: OpeningHours;
    openingHoursText: string;
    appointmentSlotMinutes: number;
    knowledgeDir: string;
  };
  readonly telephony: {
    sipConfigFile: string;
    silencePromptMs: number;
    silenceHangupMs: number;
    maxCallDurationMs: number;
    /** How long before the maximum duration the caller is warned (at most half of it; 0: never). */
    maxCallWarningMs: number;
    dtmfInterDigitTimeoutMs: number;
    webCallAllowedOrigins: readonly string[];
  };
  readonly recording: {
    mode: 'agent' | 'egress' | 'off';
    store: RecordingStoreConfig;
    spoolDir: string;
    retentionDays: number | undefined;
    retentionCheckIntervalMs: number;
  };
  readonly console: {
    adminEmail: string | undefined;
    adminPassword: string | undefined;
    maskPhoneNumbersForViewer: boolean;
    sessionTtlMs: number;
    cookieSecure: boolean;
    loginMaxAttempts: number;
    loginLockoutMs: number;
    publicRateLimitPerMinute: number;
  };
}

/** Thrown when the environment does not describe a valid configuration; lists every problem. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Ctx = z.RefinementCtx;

function problem(ctx: Ctx, pathKey: string, message: string): void {
  ctx.addIssue({ code: 'custom', path: [pathKey], message });
}

/** DATABASE_URL was checked field by field (schema.ts); here it only becomes a typed choice. */
function resolveDatabase(env: ParsedEnv, dataDir: string): DatabaseConfig {
  const raw = env.DATABASE_URL ?? path.join(dataDir, 'callcenter.db');
  if (/^postgres(ql)?:\/\//.test(raw)) {
    return {
      kind: 'postgres',
      url: raw,
      poolSize: env.DATABASE_POOL_SIZE,
      connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
      queryTimeoutMs: env.DATABASE_QUERY_TIMEOUT_MS,
    };
  }
  const file = raw.replace(/^(sqlite|file):(\/\/)?/, '');
  return { kind: 'sqlite', path: file === ':memory:' ? file : path.resolve(file) };
}

function resolveRecordingStore(env: ParsedEnv, dataDir: string, ctx: Ctx): RecordingStoreConfig {
  if (env.RECORDINGS_STORE === 'local') {
    return {
      kind: 'local',
      dir: path.resolve(env.RECORDINGS_DIR ?? path.join(dataDir, 'recordings')),
    };
  }
  for (const key of ['S3_ENDPOINT', 'S3_ACCESS_KEY', 'S3_SECRET_KEY'] as const) {
    if (!env[key]) problem(ctx, key, 'required when RECORDINGS_STORE=s3');
  }
  const endpoint = env.S3_ENDPOINT ?? '';
  return {
    kind: 's3',
    endpoint,
    egressEndpoint: env.S3_EGRESS_ENDPOINT ?? endpoint,
    region: env.S3_REGION,
    accessKey: env.S3_ACCESS_KEY ?? '',
    secretKey: env.S3_SECRET_KEY ?? '',
    bucket: env.S3_BUCKET,
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
    presignTtlSeconds: env.S3_PRESIGN_TTL_SECONDS,
  };
}

function checkCrossFields(env: ParsedEnv, ctx: Ctx): void {
  if (Boolean(env.LIVEKIT_API_KEY) !== Boolean(env.LIVEKIT_API_SECRET)) {
    problem(ctx, 'LIVEKIT_API_SECRET', 'LIVEKIT_API_KEY and LIVEKIT_API_SECRET go together');
  }
  if (env.SILENCE_HANGUP_SECONDS <= env.SILENCE_PROMPT_SECONDS) {
    problem(ctx, 'SILENCE_HANGUP_SECONDS', 'must be greater than SILENCE_PROMPT_SECONDS');
  }
  if (env.RECORDING_MODE === 'egress') {
    if (env.RECORDINGS_STORE !== 's3') {
      problem(ctx, 'RECORDING_MODE', 'egress recording needs RECORDINGS_STORE=s3');
    }
    if (!env.LIVEKIT_URL || !env.LIVEKIT_API_KEY) {
      problem(
        ctx,
        'RECORDING_MODE',
        'egress recording needs LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET',
      );
    }
  }
  if (Boolean(env.ADMIN_EMAIL) !== Boolean(env.ADMIN_PASSWORD)) {
    problem(ctx, 'ADMIN_PASSWORD', 'ADMIN_EMAIL and ADMIN_PASSWORD go together');
  }
  if (env.ADMIN_PASSWORD && env.ADMIN_PASSWORD.length < 12) {
    problem(ctx, 'ADMIN_PASSWORD', 'must be at least 12 characters');
  }
  if (env.NODE_ENV === 'production' && env.COOKIE_SECURE === 'false' && !env.TRUST_PROXY) {
    problem(ctx, 'COOKIE_SECURE', 'refusing insecure cookies in production');
  }
}

function toConfig(env: ParsedEnv, ctx: Ctx): Config {
  checkCrossFields(env, ctx);
  const dataDir = path.resolve(env.DATA_DIR);
  const cookieSecure =
    env.COOKIE_SECURE === 'auto' ? env.NODE_ENV === 'production' : env.COOKIE_SECURE === 'true';
  return {
    env: env.NODE_ENV,
    log: {
      level: env.LOG_LEVEL,
      format: env.LOG_FORMAT,
      pii: env.LOG_PII ? env.LOG_PII === 'true' : env.NODE_ENV !== 'production',
    },
    api: { host: env.HOST, port: env.PORT, publicUrl: env.PUBLIC_URL, trustProxy: env.TRUST_PROXY },
    metrics: { token: env.METRICS_TOKEN },
    dataDir,
    database: resolveDatabase(env, dataDir),
    seedInventory: env.SEED_INVENTORY,
    livekit: {
      url: env.LIVEKIT_URL,
      publicUrl: env.LIVEKIT_PUBLIC_URL ?? env.LIVEKIT_URL,
      apiKey: env.LIVEKIT_API_KEY,
      apiSecret: env.LIVEKIT_API_SECRET,
      agentName: env.AGENT_NAME,
      configured: Boolean(env.LIVEKIT_URL && env.LIVEKIT_API_KEY && env.LIVEKIT_API_SECRET),
    },
    worker: {
      httpPort: env.WORKER_HTTP_PORT,
      metricsPort: env.WORKER_METRICS_PORT,
      drainTimeoutMs: env.WORKER_DRAIN_TIMEOUT_SECONDS * 1000,
      idleProcesses: env.WORKER_IDLE_PROCESSES,
      processInitTimeoutMs: env.WORKER_PROCESS_INIT_TIMEOUT_SECONDS * 1000,
    },
    agent: {
      mode: env.AGENT_MODE,
      llmModel: env.LLM_MODEL,
      summaryModel: env.SUMMARY_MODEL ?? env.LLM_MODEL,
      realtimeModel: env.REALTIME_MODEL,
      realtimeVoice: env.REALTIME_VOICE,
      sttModel: env.STT_MODEL,
      sttLanguage: env.STT_LANGUAGE,
      ttsProvider: env.TTS_PROVIDER,
      ttsModel: env.TTS_MODEL,
      ttsVoice: env.TTS_VOICE,
    },
    providers: {
      openaiApiKey: env.OPENAI_API_KEY,
      openaiBaseUrl: env.OPENAI_BASE_URL,
      deepgramApiKey: env.DEEPGRAM_API_KEY,
      cartesiaApiKey: env.CARTESIA_API_KEY,
    },
    dealership: {
      name: env.DEALERSHIP_NAME,
      timezone: env.DEALERSHIP_TIMEZONE,
      openingHours: parseOpeningHours(env.OPENING_HOURS),
      openingHoursText: env.OPENING_HOURS,
      appointmentSlotMinutes: env.APPOINTMENT_SLOT_MINUTES,
      knowledgeDir: path.resolve(env.KNOWLEDGE_DIR),
    },
    telephony: {
      sipConfigFile: path.resolve(env.SIP_CONFIG_FILE),
      silencePromptMs: env.SILENCE_PROMPT_SECONDS * 1000,
      silenceHangupMs: env.SILENCE_HANGUP_SECONDS * 1000,
      maxCallDurationMs: env.MAX_CALL_DURATION_SECONDS * 1000,
      maxCallWarningMs:
        Math.min(env.MAX_CALL_WARNING_SECONDS, env.MAX_CALL_DURATION_SECONDS / 2) * 1000,
      dtmfInterDigitTimeoutMs: env.DTMF_INTERDIGIT_TIMEOUT_MS,
      webCallAllowedOrigins: env.WEB_CALL_ALLOWED_ORIGINS,
    },
    recording: {
      mode: env.RECORDING_MODE,
      store: resolveRecordingStore(env, dataDir, ctx),
      spoolDir: path.resolve(env.RECORDINGS_SPOOL_DIR ?? path.join(dataDir, 'spool')),
      retentionDays: env.RETENTION_DAYS,
      retentionCheckIntervalMs: env.RETENTION_CHECK_INTERVAL_MINUTES * 60_000,
    },
    console: {
      adminEmail: env.ADMIN_EMAIL,
      adminPassword: env.ADMIN_PASSWORD,
      maskPhoneNumbersForViewer: env.MASK_PHONE_NUMBERS_FOR_VIEWER,
      sessionTtlMs: env.SESSION_TTL_HOURS * 3_600_000,
      cookieSecure,
      loginMaxAttempts: env.LOGIN_MAX_ATTEMPTS,
      loginLockoutMs: env.LOGIN_LOCKOUT_MINUTES * 60_000,
      publicRateLimitPerMinute: env.PUBLIC_RATE_LIMIT_PER_MINUTE,
    },
  };
}

const configSchema = envSchema.transform(toConfig);

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const key = issue.path.map(String).join('.') || '(environment)';
  return `${key}: ${issue.message}`;
}

/** Parses the environment into a frozen `Config`; throws `ConfigError` listing every problem. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) throw new ConfigError(result.error.issues.map(describeIssue));
  return deepFreeze(result.data);
}

/** The provider keys the voice worker needs for the configured mode, with the variables that are missing. */
export function missingProviderKeys(config: Config): string[] {
  const missing: string[] = [];
  if (!config.providers.openaiApiKey && !config.providers.openaiBaseUrl)
    missing.push('OPENAI_API_KEY');
  if (config.agent.mode === 'pipeline') {
    if (!config.providers.deepgramApiKey) missing.push('DEEPGRAM_API_KEY');
    if (config.agent.ttsProvider === 'cartesia' && !config.providers.cartesiaApiKey) {
      missing.push('CARTESIA_API_KEY');
    }
  }
  return missing;
}

/** The LiveKit settings the worker and the telephony features need, with what is missing. */
export function missingLiveKitSettings(config: Config): string[] {
  const missing: string[] = [];
  if (!config.livekit.url) missing.push('LIVEKIT_URL');
  if (!config.livekit.apiKey) missing.push('LIVEKIT_API_KEY');
  if (!config.livekit.apiSecret) missing.push('LIVEKIT_API_SECRET');
  return missing;
}
