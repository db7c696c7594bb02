import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, missingProviderKeys, parseConfig } from './config.js';
import { parseOpeningHours } from './opening-hours.js';

describe('parseConfig', () => {
  it('starts on embedded defaults with an empty environment', () => {
    const config = parseConfig({});
    expect(config.api.port).toBe(3000);
    expect(config.database).toEqual({ kind: 'sqlite', path: path.resolve('data/callcenter.db') });
    expect(config.recording.store).toEqual({ kind: 'local', dir: path.resolve('data/recordings') });
    expect(config.livekit).toMatchObject({ configured: false, agentName: 'callcenter-agent' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.database)).toBe(true);
  });

  it('selects PostgreSQL or SQLite from DATABASE_URL', () => {
    expect(parseConfig({ DATABASE_URL: 'postgres://u@db:5432/app' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://u@db:5432/app',
      poolSize: 10,
      connectTimeoutMs: 5_000,
      queryTimeoutMs: 30_000,
    });
    expect(parseConfig({ DATABASE_URL: 'sqlite:./x/y.db' }).database).toEqual({
      kind: 'sqlite',
      path: path.resolve('x/y.db'),
    });
    expect(parseConfig({ DATABASE_URL: ':memory:' }).database).toEqual({
      kind: 'sqlite',
      path: ':memory:',
    });
  });

  it('lists every field problem at once', () => {
    let error: unknown;
    try {
      parseConfig({
        PORT: 'abc',
        LOG_LEVEL: 'loud',
        DATABASE_URL: 'mysql://x',
        OPENING_HOURS: 'mon-fri 9-5',
        DEALERSHIP_TIMEZONE: 'Mars/Base',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    for (const key of [
      'PORT',
      'LOG_LEVEL',
      'DATABASE_URL',
      'OPENING_HOURS',
      'DEALERSHIP_TIMEZONE',
    ]) {
      expect(
        problems.some((p) => p.startsWith(`${key}: `)),
        key,
      ).toBe(true);
    }
    expect((error as ConfigError).message).toMatch(/^Invalid configuration:\n {2}- /);
  });

  it('checks cross-field rules once the fields parse, all of them together', () => {
    expect(() =>
      parseConfig({
        RECORDINGS_STORE: 's3',
        SILENCE_PROMPT_SECONDS: '30',
        SILENCE_HANGUP_SECONDS: '10',
        LIVEKIT_API_KEY: 'k',
        ADMIN_EMAIL: 'a@b.example',
      }),
    ).toThrowError(
      expect.objectContaining({
        problems: expect.arrayContaining([
          expect.stringContaining('S3_ENDPOINT'),
          expect.stringContaining('SILENCE_HANGUP_SECONDS'),
          expect.stringContaining('LIVEKIT_API_SECRET'),
          expect.stringContaining('ADMIN_PASSWORD'),
        ]),
      }),
    );
  });

  it('reads the optional metrics token', () => {
    expect(parseConfig({}).metrics.token).toBeUndefined();
    expect(parseConfig({ METRICS_TOKEN: ' ' }).metrics.token).toBeUndefined();
    expect(parseConfig({ METRICS_TOKEN: 'scrape-me' }).metrics.token).toBe('scrape-me');
  });

  it('reads the call timers in milliseconds, the warning at most half the maximum', () => {
    expect(parseConfig({}).telephony).toMatchObject({
      silencePromptMs: 12_000,
      silenceHangupMs: 30_000,
      maxCallDurationMs: 1_200_000,
      maxCallWarningMs: 60_000,
    });
    expect(
      parseConfig({ MAX_CALL_DURATION_SECONDS: '60', MAX_CALL_WARNING_SECONDS: '45' }).telephony
        .maxCallWarningMs,
    ).toBe(30_000);
    expect(parseConfig({ MAX_CALL_WARNING_SECONDS: '0' }).telephony.maxCallWarningMs).toBe(0);
  });

  it('names the provider keys the worker would miss', () => {
    expect(missingProviderKeys(parseConfig({}))).toEqual([
      'OPENAI_API_KEY',
      'DEEPGRAM_API_KEY',
      'CARTESIA_API_KEY',
    ]);
    expect(
      missingProviderKeys(parseConfig({ AGENT_MODE: 'realtime', OPENAI_API_KEY: 'sk' })),
    ).toEqual([]);
    expect(
      missingProviderKeys(
        parseConfig({ OPENAI_API_KEY: 'sk', DEEPGRAM_API_KEY: 'd', TTS_PROVIDER: 'openai' }),
      ),
    ).toEqual([]);
  });
});

describe('parseOpeningHours', () => {
  it('expands day ranges and keeps several intervals per day', () => {
    const week = parseOpeningHours('mon-fri 09:00-12:00,13:00-19:00; sat 09:00-17:00');
    expect(week[0]).toEqual([]);
    expect(week[1]).toEqual([
      { openMinute: 540, closeMinute: 720 },
      { openMinute: 780, closeMinute: 1140 },
    ]);
    expect(week[6]).toEqual([{ openMinute: 540, closeMinute: 1020 }]);
  });

  it('wraps ranges across the week end and rejects nonsense', () => {
    expect(parseOpeningHours('sat-sun 10:00-14:00').filter((d) => d.length).length).toBe(2);
    expect(() => parseOpeningHours('mon 18:00-09:00')).toThrow(/before closing/);
    expect(() => parseOpeningHours('funday 09:00-10:00')).toThrow(/bad day range|unknown day/);
  });
});

describe('.env.example', () => {
  it('documents every variable the schema reads', async () => {
    const { readFileSync } = await import('node:fs');
    const { envSchema } = await import('./schema.js');
    const { PROJECT_ROOT } = await import('./paths.js');
    const example = readFileSync(path.join(PROJECT_ROOT, '.env.example'), 'utf8');
    const undocumented = Object.keys(envSchema.shape).filter(
      (key) => !new RegExp(`^${key}=`, 'm').test(example),
    );
    expect(undocumented).toEqual([]);
  });
});
