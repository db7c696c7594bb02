import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config/index.js';
import { tempDir } from '../helpers/app.js';

describe('npm run simulate -- --all', () => {
  it('runs every scenario through the real agent session into a SQLite database and exits 0 when all pass', () => {
    const dir = tempDir();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_DIR: dir,
      DATABASE_URL: path.join(dir, 'sim.db'),
    };
    delete env.OPENAI_API_KEY;
    delete env.OPENAI_BASE_URL;
    const result = spawnSync(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), 'src/worker/simulator/simulate-cli.ts', '--all'],
      { cwd: PROJECT_ROOT, env, encoding: 'utf8', timeout: 120_000 },
    );
    expect(result.stdout).toContain('with scripted replies');
    expect(result.stdout).not.toContain('FAIL');
    expect(result.stdout).toMatch(/^(\d+)\/\1 scenarios passed$/m);
    expect(result.stdout).toContain('States: initializing > greeting');
    expect(result.status, result.stdout + result.stderr).toBe(0);
  }, 150_000);
});
