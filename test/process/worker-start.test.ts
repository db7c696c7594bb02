import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config/index.js';
import { tempDir } from '../helpers/app.js';

const PROVIDER_AND_LIVEKIT = [
  'LIVEKIT_URL',
  'LIVEKIT_API_KEY',
  'LIVEKIT_API_SECRET',
  'OPENAI_API_KEY',
  'OPENAI_BASE_URL',
  'DEEPGRAM_API_KEY',
  'CARTESIA_API_KEY',
  'AGENT_MODE',
  'TTS_PROVIDER',
];

function startWorker(env: Record<string, string>) {
  const clean = { ...process.env };
  for (const key of PROVIDER_AND_LIVEKIT) delete clean[key];
  const dir = tempDir();
  return spawnSync(
    process.execPath,
    [
      '--import',
      import.meta.resolve('tsx'),
      path.join(PROJECT_ROOT, 'src/worker/main.ts'),
      'start',
    ],
    {
      // A temporary cwd: no .env file of a developer's checkout leaks in.
      cwd: dir,
      env: { ...clean, DATA_DIR: dir, ...env },
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
}

describe('npm run worker -- start without the settings it needs', () => {
  it('names every missing variable and exits 1', () => {
    const result = startWorker({});
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'Missing settings: LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET, OPENAI_API_KEY, DEEPGRAM_API_KEY, CARTESIA_API_KEY',
    );
  });
});
