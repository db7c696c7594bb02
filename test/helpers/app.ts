import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { parseConfig, type Config } from '../../src/config/index.js';
import type { DatabaseHandle } from '../../src/db/index.js';
import { createTestDatabase } from './databases.js';

/** A fresh temporary directory, removed by the OS; handy for DATA_DIR and stores. */
export function tempDir(prefix = 'callcenter-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** A parsed config for tests: embedded defaults in a temp data dir, plus overrides. */
export function testConfig(env: Record<string, string> = {}): Config {
  return parseConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: tempDir(),
    DATABASE_URL: ':memory:',
    SEED_INVENTORY: 'false',
    ...env,
  });
}

/** Builds the API on a migrated database (SQLite in memory unless given); closed after the test. */
export async function buildTestApp(
  options: { env?: Record<string, string>; database?: DatabaseHandle; config?: Config } = {},
) {
  const config = options.config ?? testConfig(options.env);
  const database = options.database ?? (await createTestDatabase('sqlite'));
  const app = await buildApp({ config, database, ownsDatabase: !options.database });
  onTestFinished(() => app.close());
  await app.ready();
  return app;
}
