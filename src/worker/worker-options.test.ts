import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { tempDir, testConfig } from '../../test/helpers/app.js';
import { captureLogs } from '../../test/helpers/log-capture.js';
import { openDatabase } from '../db/index.js';
import { prepareWorkerDatabase } from './worker-setup.js';
import { missingWorkerSettings } from './worker-options.js';

describe('worker settings', () => {
  it('names only what the configured mode is missing', () => {
    const livekit = {
      LIVEKIT_URL: 'ws://livekit:7880',
      LIVEKIT_API_KEY: 'key',
      LIVEKIT_API_SECRET: 'secret',
    };
    expect(missingWorkerSettings(testConfig({ ...livekit, AGENT_MODE: 'realtime' }))).toEqual([
      'OPENAI_API_KEY',
    ]);
    expect(
      missingWorkerSettings(
        testConfig({
          ...livekit,
          OPENAI_BASE_URL: 'http://ollama:11434/v1',
          DEEPGRAM_API_KEY: 'd',
          TTS_PROVIDER: 'openai',
        }),
      ),
    ).toEqual([]);
  });
});

describe('worker database preparation', () => {
  it('migrates the configured database and indexes the FAQ once, before job processes start', async () => {
    const dir = tempDir();
    const config = testConfig({ DATABASE_URL: path.join(dir, 'worker.db') });
    await prepareWorkerDatabase(config, captureLogs().logger);
    await prepareWorkerDatabase(config, captureLogs().logger); // idempotent
    const handle = openDatabase(config.database);
    const sections = await handle.db
      .selectFrom('knowledge_sections')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(sections.n)).toBeGreaterThan(20);
    await handle.destroy();
  });
});
