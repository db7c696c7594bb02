import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it, onTestFinished } from 'vitest';
import { tempDir } from '../helpers/app.js';

const API_KEY = 'APIshutdowntest';
const API_SECRET = 'shutdown-test-secret-long-enough-for-hs256';

/**
 * A LiveKit API stand-in whose ListRooms answer the test releases by hand: the readiness request
 * that waits on it is a real in-flight request of the real server process.
 */
async function startHeldLiveKit() {
  let arrived!: () => void;
  const arrival = new Promise<void>((resolve) => (arrived = resolve));
  const held: ServerResponse[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    if (!req.url?.endsWith('/livekit.RoomService/ListRooms')) {
      res.writeHead(404).end();
      return;
    }
    held.push(res);
    arrived();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => {
    server.closeAllConnections();
    server.close();
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrival,
    release() {
      for (const res of held.splice(0)) {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"rooms":[]}');
      }
    },
  };
}

/** Reads the child's JSON log lines; resolves when one matches. */
function logWatcher(child: ChildProcess) {
  const lines: Record<string, unknown>[] = [];
  const waiters: {
    match: (l: Record<string, unknown>) => boolean;
    resolve: (l: unknown) => void;
  }[] = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    lines.push(line);
    for (const waiter of waiters.filter((w) => w.match(line))) waiter.resolve(line);
  });
  return {
    lines,
    waitFor(match: (l: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
      const found = lines.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ match, resolve: resolve as never }));
    },
  };
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

/**
 * Polls until the listening socket is gone. A connection that races the close may still be reset
 * or answered 503 (Fastify's answer while closing); it must never be served.
 */
async function waitUntilRefused(url: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    try {
      const { status } = await get(url);
      expect(status).toBe(503);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ECONNREFUSED') return;
      expect(code).toBe('ECONNRESET');
    }
  }
  throw new Error('the API kept accepting connections after SIGTERM');
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('API process on SIGTERM', () => {
  it('refuses new connections, finishes the in-flight request, closes the database, exits 0', async () => {
    const livekit = await startHeldLiveKit();
    const dataDir = tempDir();
    const dbFile = path.join(dataDir, 'callcenter.db');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/api/server.ts'], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        LOG_FORMAT: 'json',
        HOST: '127.0.0.1',
        PORT: '0',
        DATA_DIR: dataDir,
        DATABASE_URL: dbFile,
        SEED_INVENTORY: 'false',
        LIVEKIT_URL: livekit.url,
        LIVEKIT_API_KEY: API_KEY,
        LIVEKIT_API_SECRET: API_SECRET,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    onTestFinished(() => void child.kill('SIGKILL'));
    const exited = exitOf(child);
    const logs = logWatcher(child);

    const listening = await logs.waitFor((l) => /Server listening at/.test(String(l.msg)));
    const base = /http:\/\/127\.0\.0\.1:\d+/.exec(String(listening.msg))?.[0];
    expect(base).toBeDefined();
    await logs.waitFor((l) => l.msg === 'API ready');
    expect(existsSync(`${dbFile}-wal`)).toBe(true);

    const inFlight = get(`${base}/health/ready`);
    await livekit.arrival;
    child.kill('SIGTERM');
    await logs.waitFor((l) => l.msg === 'shutting down');

    await waitUntilRefused(`${base}/health`);
    livekit.release();

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({
      status: 'ok',
      checks: { livekit: { status: 'ok' }, database: { status: 'ok' } },
    });
    expect(await exited).toBe(0);
    expect(logs.lines.some((l) => l.msg === 'closed')).toBe(true);
    // SQLite removes the write-ahead log only when the last connection closes cleanly.
    expect(existsSync(`${dbFile}-wal`)).toBe(false);
  });
});
