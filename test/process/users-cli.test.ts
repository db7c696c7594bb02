import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/app.js';

function usersCli(dataDir: string, args: string[], input?: string, databaseUrl = '') {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/auth/users-cli.ts', ...args], {
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl },
    input,
    encoding: 'utf8',
    timeout: 50_000,
  });
}

describe('npm run users (process)', () => {
  // Each process start costs seconds here (tsx); the commands themselves are covered by
  // users-commands.test.ts, so this only proves the wiring: config, migrations, exit code.
  it('migrates a fresh database and adds a user with the password from stdin', () => {
    const add = usersCli(
      tempDir(),
      ['add', 'boss@dealer.test', '--role', 'admin', '--password-stdin'],
      'the boss password\n',
    );
    expect(add.stderr).toBe('');
    expect(add.status).toBe(0);
    expect(add.stdout).toContain('Created admin boss@dealer.test');
  }, 60_000);

  it('the API creates the first admin from ADMIN_EMAIL on first start', async () => {
    const dataDir = tempDir();
    const server = spawn(process.execPath, ['--import', 'tsx', 'src/api/server.ts'], {
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        DATABASE_URL: path.join(dataDir, 'db.sqlite'),
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        LOG_FORMAT: 'json',
        ADMIN_EMAIL: 'first@dealer.test',
        ADMIN_PASSWORD: 'first admin password',
      },
    });
    let output = '';
    const ready = new Promise<void>((resolve, reject) => {
      server.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('API ready')) resolve();
      });
      server.on('exit', (code) => reject(new Error(`server exited ${code}: ${output}`)));
    });
    try {
      await ready;
      expect(output).toContain('created the first admin from ADMIN_EMAIL');
    } finally {
      server.kill('SIGTERM');
    }
    const list = usersCli(dataDir, ['list'], undefined, path.join(dataDir, 'db.sqlite'));
    expect(list.stdout).toMatch(/first@dealer\.test\s+admin/);
  }, 60_000);
});
