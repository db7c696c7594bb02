import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/app.js';

describe('API process with an invalid configuration', () => {
  it('prints every problem, exits 1 and starts nothing', () => {
    const dataDir = tempDir();
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/api/server.ts'], {
      env: { ...process.env, PORT: 'not-a-port', LOG_LEVEL: 'shouty', DATA_DIR: dataDir },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid configuration:');
    expect(result.stderr).toMatch(/PORT/);
    expect(result.stderr).toMatch(/LOG_LEVEL/);
    expect(result.stdout).not.toContain('listening');
  });
});
