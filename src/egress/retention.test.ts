import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { tempDir, testConfig } from '../../test/helpers/app.js';
import { describeEachDialect } from '../../test/helpers/databases.js';
import { insertTestCall, insertTestRecording } from '../../test/helpers/recording-fixtures.js';
import type { Config } from '../config/index.js';
import { migrateToLatest, openDatabase, type Db } from '../db/index.js';
import { createMetrics } from '../observability/metrics.js';
import { LocalRecordingStore } from './local-recording-store.js';
import { getRecording, type RecordingStatus } from './recording-repository.js';
import type { RecordingStore } from './recording-store.js';
import { runRecordingsCommand } from './recordings-command.js';
import { parseAge, purgeRecordings, RetentionJob } from './retention.js';

async function storedRecording(
  db: Db,
  store: RecordingStore,
  startedAt: string,
  status: RecordingStatus = 'uploaded',
) {
  const call = await insertTestCall(db, { started_at: startedAt });
  const key = `recordings/${call.id}.ogg`;
  await store.put(key, Readable.from([Buffer.from('ogg bytes')]), {
    contentType: 'audio/ogg',
    sizeBytes: 9,
    metadata: { callId: call.id },
  });
  return insertTestRecording(
    db,
    call,
    { mode: 'agent', status, storageKey: key, sizeBytes: 9 },
    new Date(),
  );
}

describe('parseAge', () => {
  it('reads hours, days and weeks and refuses the rest', () => {
    expect(parseAge('90d')).toBe(90 * 86_400_000);
    expect(parseAge('12h')).toBe(12 * 3_600_000);
    expect(parseAge('2w')).toBe(14 * 86_400_000);
    for (const bad of ['90', 'd', '0d', '-1d', '1.5d', '90 days', '']) {
      expect(() => parseAge(bad), bad).toThrow(/invalid age/);
    }
  });
});

describeEachDialect('recording retention', (database) => {
  it('lists in a dry run, then deletes objects and rows older than the cutoff in batches', async () => {
    const { db } = database();
    const store = new LocalRecordingStore(tempDir());
    const old = await Promise.all(
      ['2020-01-01', '2020-01-02', '2020-01-03', '2020-01-04', '2020-01-05'].map((d) =>
        storedRecording(db, store, `${d}T10:00:00.000Z`),
      ),
    );
    const inFlight = await storedRecording(db, store, '2020-01-06T10:00:00.000Z', 'pending');
    const recent = await storedRecording(db, store, '2020-03-01T10:00:00.000Z');
    const cutoff = new Date('2020-02-01T00:00:00Z');

    const seen: string[] = [];
    const dry = await purgeRecordings({
      db,
      store,
      cutoff,
      dryRun: true,
      onItem: (r, action) => seen.push(`${action}:${r.id}`),
    });
    expect(dry).toMatchObject({ examined: 6, deleted: 5, skipped: 1, failed: 0, bytes: 45 });
    expect(seen).toEqual([...old.map((r) => `delete:${r.id}`), `skip:${inFlight.id}`]);
    for (const r of old) expect(await store.stat(r.storageKey)).not.toBeNull();

    const progress: number[] = [];
    const result = await purgeRecordings({
      db,
      store,
      cutoff,
      batchSize: 2,
      onProgress: (p) => progress.push(p.examined),
    });
    expect(result).toMatchObject({ deleted: 5, skipped: 1, failed: 0 });
    expect(progress).toEqual([2, 4, 6]);
    for (const r of old) {
      expect(await getRecording(db, r.id)).toBeNull();
      expect(await store.stat(r.storageKey)).toBeNull();
    }
    expect(await getRecording(db, inFlight.id)).not.toBeNull();
    expect(await getRecording(db, recent.id)).not.toBeNull();
    expect(await store.stat(recent.storageKey)).not.toBeNull();
  });

  it('keeps the row when storage refuses the delete, so a later purge retries', async () => {
    const { db } = database();
    const store = new LocalRecordingStore(tempDir());
    const recording = await storedRecording(db, store, '2019-05-01T10:00:00.000Z');
    // Fault injection: the store is real except that deletes fail.
    const broken = Object.assign(Object.create(store) as RecordingStore, {
      remove: () => Promise.reject(new Error('storage unreachable')),
    });
    const metrics = createMetrics({ defaultMetrics: false });
    const result = await purgeRecordings({
      db,
      store: broken,
      cutoff: new Date('2019-06-01T00:00:00Z'),
      metrics,
    });
    expect(result).toMatchObject({ deleted: 0, failed: 1 });
    expect(await getRecording(db, recording.id)).not.toBeNull();
    expect((await metrics.storageErrors.get()).values[0]).toMatchObject({
      value: 1,
      labels: { operation: 'delete' },
    });
  });

  it('runs as a scheduled job with the configured retention', async () => {
    const { db } = database();
    const store = new LocalRecordingStore(tempDir());
    const now = new Date('2030-01-01T00:00:00.000Z');
    const expired = await storedRecording(db, store, '2029-09-01T00:00:00.000Z');
    const kept = await storedRecording(db, store, '2029-11-01T00:00:00.000Z');
    const job = new RetentionJob({
      db,
      store,
      retentionDays: 90,
      intervalMs: 3_600_000,
      now: () => now,
    });
    await job.runOnce();
    expect(await getRecording(db, expired.id)).toBeNull();
    expect(await getRecording(db, kept.id)).not.toBeNull();
    job.start();
    await job.stop();
  });
});

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

describe('recordings command', () => {
  async function seed() {
    const dataDir = tempDir();
    const config = testConfig({ DATA_DIR: dataDir, DATABASE_URL: path.join(dataDir, 'cli.db') });
    const handle = openDatabase(config.database);
    await migrateToLatest(handle.db, 'sqlite');
    const store = new LocalRecordingStore(path.join(dataDir, 'recordings'));
    const old = await storedRecording(handle.db, store, '2001-01-01T00:00:00.000Z');
    const fresh = await storedRecording(handle.db, store, '2030-12-01T00:00:00.000Z');
    await handle.destroy();
    return { config, store, old, fresh };
  }

  async function run(argv: string[], config: Config) {
    const stdout = capture();
    const stderr = capture();
    const code = await runRecordingsCommand(argv, {
      stdout: stdout.stream,
      stderr: stderr.stream,
      load: () => ({ config }),
      now: () => new Date('2031-01-01T00:00:00.000Z'),
    });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  }

  it('lists with --dry-run, purges with --older-than and reports progress', async () => {
    const { config, store, old, fresh } = await seed();
    const dry = await run(['purge', '--older-than', '90d', '--dry-run'], config);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('1 recording(s) started before 2030-10-03T00:00:00.000Z');
    expect(dry.stdout).toMatch(new RegExp(`would delete\\s+2001-01-01T00:00:00.000Z  ${old.id}`));
    expect(dry.stdout).toContain('would delete 1, skipped 0 in flight, failed 0; 9 bytes');
    expect(dry.stderr).toContain('progress: 1/1 (100%)');
    expect(await store.stat(old.storageKey)).not.toBeNull();

    const real = await run(['purge', '--older-than', '90d'], config);
    expect(real.code).toBe(0);
    expect(real.stdout).toContain('deleted 1, skipped 0 in flight, failed 0');
    expect(await store.stat(old.storageKey)).toBeNull();
    expect(await store.stat(fresh.storageKey)).not.toBeNull();
  });

  it('explains its usage on a bad command line, before touching anything', async () => {
    const load = () => {
      throw new Error('must not load the configuration');
    };
    for (const argv of [['purge', '--older-than', 'ninety'], ['purge'], ['vacuum'], []]) {
      const stderr = capture();
      const code = await runRecordingsCommand(argv, {
        stdout: capture().stream,
        stderr: stderr.stream,
        load,
      });
      expect(code, argv.join(' ')).toBe(2);
      expect(stderr.text()).toContain('Usage: npm run recordings -- purge');
    }
  });
});

describe('npm run recordings', () => {
  it('runs the command as a process', { timeout: 60_000 }, () => {
    const result = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/egress/recordings-cli.ts',
        'purge',
        '--older-than',
        '1d',
        '--dry-run',
      ],
      {
        env: { ...process.env, LOG_LEVEL: 'warn', DATA_DIR: tempDir(), DATABASE_URL: ':memory:' },
        encoding: 'utf8',
        timeout: 50_000,
      },
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('0 recording(s) started before');
  });
});
