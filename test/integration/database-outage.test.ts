import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCall, listTransitions } from '../../src/calls/call-repository.js';
import { listToolCalls } from '../../src/calls/tool-call-repository.js';
import { listTranscript } from '../../src/calls/transcript-repository.js';
import {
  type DatabaseHandle,
  type Dialect,
  migrateToLatest,
  openDatabase,
} from '../../src/db/index.js';
import { upsertVehicles } from '../../src/vehicle-lookup/vehicle-repository.js';
import { DATABASE_UNAVAILABLE } from '../../src/worker/agents/tools/define-tool.js';
import { tempDir } from '../helpers/app.js';
import { createTestDatabase, DIALECTS, postgresUrl } from '../helpers/databases.js';
import { STOCK_CRV, STOCK_CRV_VIN_SPOKEN } from '../helpers/vehicles.js';
import {
  type CallCenter,
  events,
  type PhoneCall,
  sipCaller,
  startCallCenter,
  startPhoneCall,
} from './call-center.js';
import { summaryJson } from '../helpers/summary-answer.js';
import { startTcpProxy } from './tcp-proxy.js';

/**
 * One database seen two ways: `direct` (the API, and the test's view) and `worker` (the call's
 * connection), which `cut()` takes away and `restore()` gives back.
 */
interface OutageRig {
  direct: DatabaseHandle;
  worker: DatabaseHandle;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

/**
 * SQLite: another process (a backup, a migration, an admin's shell) holds the write lock. The
 * worker's connection fails fast on it (busy_timeout 50 ms, as in the worker's prewarm); reads
 * still work (WAL).
 */
async function sqliteRig(): Promise<OutageRig> {
  const file = path.join(tempDir(), 'calls.db');
  const direct = openDatabase({ kind: 'sqlite', path: file });
  await migrateToLatest(direct.db, 'sqlite');
  const worker = openDatabase({ kind: 'sqlite', path: file });
  await sql`PRAGMA busy_timeout = 50`.execute(worker.db);
  let locker: SqliteDatabase.Database | null = null;
  const restore = async () => {
    locker?.exec('COMMIT');
    locker?.close();
    locker = null;
  };
  return {
    direct,
    worker,
    async cut() {
      locker = new SqliteDatabase(file);
      locker.exec('BEGIN EXCLUSIVE');
    },
    restore,
    async close() {
      await restore();
      await worker.destroy();
      await direct.destroy();
    },
  };
}

/** PostgreSQL: the server goes away (connections dropped, new ones refused), then comes back. */
async function postgresRig(): Promise<OutageRig> {
  const direct = await createTestDatabase('postgres');
  const { name } = (
    await sql<{ name: string }>`select current_database() as name`.execute(direct.db)
  ).rows[0]!;
  const server = new URL(postgresUrl()!);
  const proxy = await startTcpProxy(Number(server.port || 5432), server.hostname);
  const url = new URL(server);
  url.host = `127.0.0.1:${proxy.port}`;
  url.pathname = `/${name}`;
  const worker = openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 5 });
  return {
    direct,
    worker,
    cut: proxy.cut,
    restore: proxy.restore,
    async close() {
      await proxy.close();
      await worker.destroy();
      await direct.destroy();
    },
  };
}

async function callerGivesNameAndVin(call: PhoneCall, cut: () => Promise<void>) {
  const named = await call.say("Hi, I'm Dana Reyes.", [
    { tool_calls: [{ name: 'record_customer_name', args: { name: 'Dana Reyes' } }] },
    { content: 'Hi Dana, how can I help?' },
  ]);
  named.expect.at(-1).isMessage({ role: 'assistant' });
  await call.data.queue.flush();
  await cut();

  const read = await call.say(`I'm calling about a car. The VIN is ${STOCK_CRV_VIN_SPOKEN}.`, [
    { tool_calls: [{ name: 'capture_vin', args: { heard: STOCK_CRV_VIN_SPOKEN } }] },
    { content: 'I have seven F A, R W two, H five two, N E eight, seven seven five, four one.' },
  ]);
  read.expect.at(-1).isMessage({ role: 'assistant' });
  const confirmed = await call.say('Yes, is it still on the lot?', [
    { tool_calls: [{ name: 'confirm_vin', args: { caller_confirmed: true } }] },
    { content: 'Let me see what I can tell you about that one.' },
  ]);
  confirmed.expect.at(-1).isMessage({ role: 'assistant' });
  return confirmed;
}

for (const dialect of DIALECTS) {
  const skip = dialect === 'postgres' && !postgresUrl();
  (skip ? describe.skip : describe)(`${dialect}: the database goes away during a call`, () => {
    let rig: OutageRig;
    let center: CallCenter;
    beforeAll(async () => {
      rig = await (dialect === 'sqlite' ? sqliteRig() : postgresRig());
      center = await startCallCenter(rig.direct);
      await upsertVehicles(rig.direct.db, [STOCK_CRV]);
    });
    afterAll(async () => {
      await center.close();
      await rig.close();
    });

    it('keeps answering the caller, holds the writes, and stores all of them once it is back', async () => {
      const caller = sipCaller('+15550100501');
      const call = await startPhoneCall(center, caller, {
        database: rig.worker,
        summary: summaryJson({ summary: 'Dana Reyes asked about a 2022 Honda CR-V.' }),
      });
      const callId = call.data.call.id;

      const confirmed = await callerGivesNameAndVin(call, () => rig.cut());
      expectLookupDuringOutage(dialect, confirmed);
      // Held in order in the worker, not written and not dropped.
      expect(call.data.queue.pending).toBeGreaterThan(0);
      expect(call.data.queue.lost).toBe(0);
      expect((await listTranscript(rig.direct.db, callId)).map((l) => l.text)).toEqual([
        expect.stringContaining('Thanks for calling'),
        "Hi, I'm Dana Reyes.",
        'Hi Dana, how can I help?',
      ]);

      await rig.restore();
      await call.data.queue.flush();
      call.hangUp();
      expect(await call.ended).toBe('hung_up');
      expect(call.data.queue.lost).toBe(0);

      const transcript = await listTranscript(rig.direct.db, callId);
      expect(transcript.map((l) => l.role)).toEqual([
        'assistant',
        'user',
        'assistant',
        'user',
        'assistant',
        'user',
        'assistant',
      ]);
      expect(transcript[3]?.text).toContain('The VIN is');
      expect(transcript[6]?.text).toBe('Let me see what I can tell you about that one.');
      expect((await listToolCalls(rig.direct.db, callId)).map((t) => t.name)).toEqual([
        'record_customer_name',
        'capture_vin',
        'confirm_vin',
      ]);
      expect((await listTransitions(rig.direct.db, callId)).map((t) => t.to)).toEqual(
        dialect === 'sqlite'
          ? ['greeting', 'information_gathering', 'vehicle_lookup', 'providing_details', 'ended']
          : ['greeting', 'information_gathering', 'ended'],
      );
      expect(await getCall(rig.direct.db, callId)).toMatchObject({
        state: 'ended',
        outcome: 'hung_up',
        customerName: 'Dana Reyes',
        summary: { status: 'done', text: 'Dana Reyes asked about a 2022 Honda CR-V.' },
      });
    });

    it('still ends the call in bounded time when the database stays away, and the webhook closes the row', async () => {
      const caller = sipCaller('+15550100502');
      const call = await startPhoneCall(center, caller, {
        database: rig.worker,
        writeFlushTimeoutMs: 300,
      });
      const callId = call.data.call.id;
      await callerGivesNameAndVin(call, () => rig.cut());
      const pending = call.data.queue.pending;
      expect(pending).toBeGreaterThan(0);

      call.hangUp();
      // Resolves although nothing can be written: the queue gave up after its bound.
      await call.ended;
      expect(call.data.queue.pending).toBe(0);
      expect(call.data.queue.lost).toBeGreaterThanOrEqual(pending);
      const lostLine = call.logs
        .lines()
        .find((l) => l.msg?.toString().startsWith('database writes lost'));
      expect(lostLine).toMatchObject({ callId, timeoutMs: 300 });

      await rig.restore();
      expect(await getCall(rig.direct.db, callId)).toMatchObject({
        state: 'information_gathering',
      });
      // LiveKit's caller-left webhook reaches the API, which closes the call the worker could not.
      expect((await center.webhook(events.participantLeft(caller))).statusCode).toBe(200);
      expect(await getCall(rig.direct.db, callId)).toMatchObject({
        state: 'ended',
        outcome: 'hung_up',
        endReason: 'caller_hung_up',
      });
    });
  });
}

function expectLookupDuringOutage(
  dialect: Dialect,
  confirmed: Awaited<ReturnType<PhoneCall['say']>>,
) {
  const output = confirmed.expect.containsFunctionCallOutput().event().item;
  if (dialect === 'sqlite') {
    // Only writes wait on the lock; the inventory is still readable.
    expect(output.isError).toBe(false);
    expect(JSON.parse(output.output)).toMatchObject({
      in_inventory: { title: '2022 Honda CR-V EX' },
    });
  } else {
    // The lookup needs the server: the model is told so, and says it to the caller.
    expect(output.isError).toBe(true);
    expect(output.output).toContain(DATABASE_UNAVAILABLE);
  }
}
