import { existsSync } from 'node:fs';
import { ConfigError, parseConfig, type Config } from './config.js';

export * from './config.js';
export * from './opening-hours.js';
export * from './paths.js';

/**
 * Reads the process environment (and `./.env` when present, without overriding real variables)
 * into the frozen `Config`. The only place in the product that reads `process.env`.
 */
export function loadConfig(envFile = '.env'): Config {
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return parseConfig(process.env);
}

/**
 * A copy of the process environment (after `./.env`, so call `loadConfig` first) for files that
 * reference variables by name, such as `${SIP_INBOUND_PASSWORD}` in config/sip.yaml.
 */
export function processEnvironment(): Readonly<Record<string, string | undefined>> {
  return Object.freeze({ ...process.env });
}

/** For entry points: the config, or one clear message listing every problem and exit code 1. */
export function loadConfigOrExit(envFile?: string): Config {
  try {
    return loadConfig(envFile);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
