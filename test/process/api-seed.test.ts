import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/app.js';

let server: ChildProcess | undefined;
afterEach(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await once(server, 'exit');
  }
});

/** Starts `src/api/server.ts` and resolves with its URL once it listens; collects its log lines. */
async function startApi(env: Record<string, string>, logs: Record<string, unknown>[]) {
  server = spawn(process.execPath, ['--import', 'tsx', 'src/api/server.ts'], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  for await (const line of createInterface({ input: server.stdout as NodeJS.ReadableStream })) {
    const entry = JSON.parse(line) as Record<string, unknown>;
    logs.push(entry);
    const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(String(entry.msg));
    if (match?.[1]) return match[1];
  }
  throw new Error('the API exited before listening');
}

describe('API process on a clean data directory', () => {
  it('seeds the inventory on first start and serves it', async () => {
    const logs: Record<string, unknown>[] = [];
    const dataDir = tempDir('api-seed-');
    const env = {
      DATA_DIR: dataDir,
      DATABASE_URL: path.join(dataDir, 'callcenter.db'),
      SEED_INVENTORY: 'true',
    };
    const url = await startApi(env, logs);
    expect(logs.find((l) => l.msg === 'inventory seeded')).toMatchObject({
      rows: 300,
      inserted: 300,
    });
    const response = await fetch(`${url}/api/vehicles?make=honda&limit=5`);
    expect(response.status).toBe(200);
    const page = (await response.json()) as {
      items: { make: string }[];
      nextCursor: string | null;
    };
    expect(page.items).toHaveLength(5);
    expect(page.items.every((v) => v.make === 'Honda')).toBe(true);
    expect(page.nextCursor).toEqual(expect.any(String));
  });
});
