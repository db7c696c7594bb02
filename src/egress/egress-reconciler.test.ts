import { randomUUID } from 'node:crypto';
import { EgressClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/helpers/databases.js';
import { startFakeLiveKitApi, type FakeLiveKitApi } from '../../test/helpers/fake-livekit-api.js';
import { insertTestCall, insertTestRecording } from '../../test/helpers/recording-fixtures.js';
import { EgressReconciler } from './egress-reconciler.js';
import { getRecording } from './recording-repository.js';

describeEachDialect('egress reconciliation', (database) => {
  let api: FakeLiveKitApi;
  const egressInfos = new Map<string, Record<string, unknown>>();
  beforeAll(async () => {
    api = await startFakeLiveKitApi();
    api.on('Egress', 'ListEgress', (body) => {
      const info = egressInfos.get(String(body.egressId));
      return { items: info ? [info] : [] };
    });
  });
  afterAll(() => api.close());

  async function egressRow(egressId: string | null, createdAt: Date) {
    const { db } = database();
    const call = await insertTestCall(db);
    return insertTestRecording(
      db,
      call,
      { egressId, startedAt: createdAt.toISOString() },
      createdAt,
    );
  }

  it('settles rows whose webhook was missed and gives up on egresses LiveKit does not know', async () => {
    const { db } = database();
    const t = new Date('2026-11-21T12:00:00.000Z');
    const completed = await egressRow(`EG_${randomUUID()}`, t);
    const failed = await egressRow(`EG_${randomUUID()}`, t);
    const active = await egressRow(`EG_${randomUUID()}`, t);
    const unknown = await egressRow(`EG_${randomUUID()}`, t);
    const neverStarted = await egressRow(null, t);
    const young = await egressRow(`EG_${randomUUID()}`, new Date(t.getTime() + 9 * 60_000));
    egressInfos.set(completed.egressId ?? '', {
      egressId: completed.egressId,
      status: 'EGRESS_COMPLETE',
      fileResults: [
        {
          filename: completed.storageKey,
          location: 'http://minio:9000/x',
          size: '10',
          duration: '1000000',
        },
      ],
    });
    egressInfos.set(failed.egressId ?? '', {
      egressId: failed.egressId,
      status: 'EGRESS_ABORTED',
      error: 'room closed',
    });
    egressInfos.set(active.egressId ?? '', { egressId: active.egressId, status: 'EGRESS_ACTIVE' });

    const reconciler = new EgressReconciler({
      db,
      egress: new EgressClient(api.url, api.apiKey, api.apiSecret),
      now: () => new Date(t.getTime() + 10 * 60_000),
      staleAfterMs: 10 * 60_000,
    });
    const result = await reconciler.runOnce();
    expect(result.settled.sort()).toEqual([completed.id, failed.id].sort());
    expect(result.lost.sort()).toEqual([unknown.id, neverStarted.id].sort());
    expect(await getRecording(db, completed.id)).toMatchObject({
      status: 'uploaded',
      sizeBytes: 10,
      durationMs: 1,
    });
    expect(await getRecording(db, failed.id)).toMatchObject({
      status: 'failed',
      error: 'EGRESS_ABORTED: room closed',
    });
    expect(await getRecording(db, active.id)).toMatchObject({ status: 'recording' });
    expect(await getRecording(db, young.id)).toMatchObject({ status: 'recording' });
    expect(await getRecording(db, unknown.id)).toMatchObject({
      status: 'failed',
      error: 'egress unknown to LiveKit',
    });
    expect(await getRecording(db, neverStarted.id)).toMatchObject({
      status: 'failed',
      error: 'egress never started',
    });
    const lists = api.callsTo('Egress', 'ListEgress');
    expect(lists.map((c) => c.body.egressId)).toContain(completed.egressId);
    expect(lists[0]?.claims?.video?.roomRecord).toBe(true);
    expect((await reconciler.runOnce()).settled).toEqual([]);
  });
});
