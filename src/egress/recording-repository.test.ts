import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/helpers/databases.js';
import { insertTestCall } from '../../test/helpers/recording-fixtures.js';
import { findCallByRoom } from './call-lookup.js';
import {
  getRecordingWithCall,
  listActiveEgressRecordings,
  listRecordings,
  listRecordingsStartedBefore,
} from './recording-queries.js';
import {
  countRecordingsWithStatus,
  createRecording,
  deleteRecording,
  findRecordingByEgressId,
  updateRecording,
  type NewRecording,
} from './recording-repository.js';
import { claimUpload, completeUpload, releaseUpload } from './upload-lease-repository.js';

const T0 = new Date('2026-11-21T12:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

function agentRecording(callId: string, startedAt: string, extra: Partial<NewRecording> = {}) {
  return {
    id: randomUUID(),
    callId,
    mode: 'agent' as const,
    status: 'pending' as const,
    storageKey: `recordings/x/${callId}.ogg`,
    contentType: 'audio/ogg',
    startedAt,
    ...extra,
  };
}

describeEachDialect('recording repository', (database) => {
  it('creates one recording per call and mode, and says when it already existed', async () => {
    const { db } = database();
    const call = await insertTestCall(db);
    const first = await createRecording(db, agentRecording(call.id, call.startedAt), T0);
    expect(first.created).toBe(true);
    expect(first.recording).toMatchObject({
      callId: call.id,
      mode: 'agent',
      status: 'pending',
      attempts: 0,
      startedAt: '2026-11-21T10:00:00.000Z',
      createdAt: T0.toISOString(),
    });
    const again = await createRecording(db, agentRecording(call.id, call.startedAt), at(1000));
    expect(again).toEqual({ created: false, recording: first.recording });
    const egress = await createRecording(
      db,
      {
        ...agentRecording(call.id, call.startedAt),
        mode: 'egress',
        status: 'recording',
        egressId: 'EG_1',
      },
      T0,
    );
    expect(egress.created).toBe(true);
    expect(await findRecordingByEgressId(db, 'EG_1')).toMatchObject({ id: egress.recording.id });
    expect((await listActiveEgressRecordings(db)).map((r) => r.id)).toContain(egress.recording.id);
  });

  it('refuses a recording for a call that does not exist', async () => {
    const { db } = database();
    await expect(
      createRecording(db, agentRecording('no-such-call', T0.toISOString()), T0),
    ).rejects.toThrow();
  });

  it('updates only from the statuses allowed', async () => {
    const { db } = database();
    const call = await insertTestCall(db);
    const { recording } = await createRecording(
      db,
      { ...agentRecording(call.id, call.startedAt), mode: 'egress', status: 'recording' },
      T0,
    );
    expect(
      await updateRecording(db, recording.id, { status: 'uploaded', sizeBytes: 10 }, at(1), [
        'recording',
      ]),
    ).toBe(true);
    expect(
      await updateRecording(db, recording.id, { status: 'failed', error: 'late' }, at(2), [
        'recording',
      ]),
    ).toBe(false);
    const row = await getRecordingWithCall(db, recording.id);
    expect(row).toMatchObject({
      status: 'uploaded',
      sizeBytes: 10,
      error: null,
      updatedAt: at(1).toISOString(),
      call: { roomName: call.roomName, callerNumber: '+15551230000' },
    });
  });

  it('lets exactly one of two owners take the upload lease, until it expires', async () => {
    const { db } = database();
    const call = await insertTestCall(db);
    const { recording } = await createRecording(db, agentRecording(call.id, call.startedAt), T0);
    const [a, b] = await Promise.all([
      claimUpload(db, recording.id, 'worker-a', T0, 60_000),
      claimUpload(db, recording.id, 'worker-b', T0, 60_000),
    ]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    const winner = a ? 'worker-a' : 'worker-b';
    const loser = a ? 'worker-b' : 'worker-a';
    expect(await claimUpload(db, recording.id, loser, at(59_999), 60_000)).toBeNull();
    // The winner crashed: its lease runs out and the other takes over.
    expect(await claimUpload(db, recording.id, loser, at(60_000), 60_000)).not.toBeNull();
    // The old owner can no longer complete or release.
    expect(
      await completeUpload(
        db,
        recording.id,
        winner,
        { sizeBytes: 1, sha256: 'x', location: 'l' },
        at(60_001),
      ),
    ).toBe(false);
    await releaseUpload(
      db,
      recording.id,
      winner,
      { nextAttemptAt: at(999_999), countAttempt: true },
      T0,
    );
    expect(await getRecordingWithCall(db, recording.id)).toMatchObject({
      attempts: 0,
      status: 'pending',
    });
  });

  it('backs off after a failed attempt and completes under the lease', async () => {
    const { db } = database();
    const call = await insertTestCall(db);
    const { recording } = await createRecording(db, agentRecording(call.id, call.startedAt), T0);
    await claimUpload(db, recording.id, 'w', T0, 60_000);
    await releaseUpload(
      db,
      recording.id,
      'w',
      { nextAttemptAt: at(5000), error: 'connect ECONNREFUSED', countAttempt: true },
      at(10),
    );
    expect(await getRecordingWithCall(db, recording.id)).toMatchObject({
      attempts: 1,
      error: 'connect ECONNREFUSED',
      nextAttemptAt: at(5000).toISOString(),
    });
    expect(await claimUpload(db, recording.id, 'w', at(4999), 60_000)).toBeNull();
    expect(await claimUpload(db, recording.id, 'w', at(5000), 60_000)).not.toBeNull();
    expect(await countRecordingsWithStatus(db, 'pending')).toBeGreaterThanOrEqual(1);
    expect(
      await completeUpload(
        db,
        recording.id,
        'w',
        { sizeBytes: 42, sha256: 'ab', location: 'loc' },
        at(6000),
      ),
    ).toBe(true);
    expect(await getRecordingWithCall(db, recording.id)).toMatchObject({
      status: 'uploaded',
      sizeBytes: 42,
      sha256: 'ab',
      location: 'loc',
      error: null,
      nextAttemptAt: null,
      uploadedAt: at(6000).toISOString(),
    });
    expect(await claimUpload(db, recording.id, 'w', at(10_000_000), 60_000)).toBeNull();
  });

  it('lists newest first with keyset pagination and call filters', async () => {
    const { db } = database();
    const prefix = randomUUID().slice(0, 8);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const startedAt = new Date(Date.UTC(2025, 0, 1 + i, 9)).toISOString();
      const call = await insertTestCall(db, {
        id: `${prefix}-${i}`,
        started_at: startedAt,
        caller_number: i % 2 === 0 ? '+15550000001' : '+15550000002',
        vin: i === 3 ? '1HGCM82633A004352' : null,
        outcome: i < 2 ? 'transferred' : 'completed',
      });
      const { recording } = await createRecording(db, agentRecording(call.id, startedAt), T0);
      ids.push(recording.id);
    }
    // Two recordings at the same instant order by id.
    const sameTime = await insertTestCall(db, {
      id: `${prefix}-same`,
      started_at: '2025-01-07T09:00:00.000Z',
    });
    const { recording: twin } = await createRecording(
      db,
      agentRecording(sameTime.id, sameTime.startedAt),
      T0,
    );

    const range = { from: '2025-01-01T00:00:00Z', to: '2025-01-08T00:00:00Z' };
    const seen: string[] = [];
    let after;
    for (let pageNo = 0; pageNo < 10; pageNo++) {
      const page = await listRecordings(db, range, { limit: 3, after });
      seen.push(...page.items.map((r) => r.id));
      if (!page.next) break;
      after = page.next;
    }
    const expected = [
      ...[ids[6] as string, twin.id].sort().reverse(),
      ...ids.slice(0, 6).reverse(),
    ];
    expect(seen).toEqual(expected);

    const byCaller = await listRecordings(
      db,
      { ...range, caller: '(555) 000-0002' },
      { limit: 50 },
    );
    expect(byCaller.items.map((r) => r.callId)).toEqual([
      `${prefix}-5`,
      `${prefix}-3`,
      `${prefix}-1`,
    ]);
    const byVin = await listRecordings(db, { ...range, vin: '1hgcm82633a004352' }, { limit: 50 });
    expect(byVin.items.map((r) => r.call.vin)).toEqual(['1HGCM82633A004352']);
    const byOutcome = await listRecordings(db, { ...range, outcome: 'transferred' }, { limit: 50 });
    expect(byOutcome.items.map((r) => r.callId)).toEqual([`${prefix}-1`, `${prefix}-0`]);
    const narrow = await listRecordings(
      db,
      { from: '2025-01-02T09:00:00.000Z', to: '2025-01-03T09:00:00.000Z' },
      { limit: 50 },
    );
    expect(narrow.items.map((r) => r.callId)).toEqual([`${prefix}-1`]);
  });

  it('walks recordings older than a cutoff oldest first, and deletes them', async () => {
    const { db } = database();
    const old = await insertTestCall(db, { started_at: '2001-01-01T00:00:00.000Z' });
    const older = await insertTestCall(db, { started_at: '2000-06-01T00:00:00.000Z' });
    const a = await createRecording(db, agentRecording(old.id, old.startedAt), T0);
    const b = await createRecording(db, agentRecording(older.id, older.startedAt), T0);
    const cutoff = new Date('2002-01-01T00:00:00Z');
    const first = await listRecordingsStartedBefore(db, cutoff, null, 1);
    expect(first.map((r) => r.id)).toEqual([b.recording.id]);
    const second = await listRecordingsStartedBefore(db, cutoff, first[0] ?? null, 10);
    expect(second.map((r) => r.id)).toEqual([a.recording.id]);
    expect(await deleteRecording(db, a.recording.id)).toBe(true);
    expect(await deleteRecording(db, a.recording.id)).toBe(false);
  });

  it('finds the call of a room', async () => {
    const { db } = database();
    const call = await insertTestCall(db);
    expect(await findCallByRoom(db, call.roomName)).toMatchObject({
      id: call.id,
      callerIdentity: 'sip_+15551230000',
      callerNumber: '+15551230000',
      startedAt: call.startedAt,
    });
    expect(await findCallByRoom(db, 'nope')).toBeNull();
  });
});
