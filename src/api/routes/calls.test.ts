import { describe, expect, it } from 'vitest';
import { createCall, transitionCall, updateCall } from '../../calls/index.js';
import type { Db } from '../../db/index.js';
import { buildTestApp } from '../../../test/helpers/app.js';
import { bearerHeaders } from '../../../test/helpers/auth.js';
import {
  FIXTURE_LINES,
  seedFixtureCall,
  seedFixtureRecording,
} from '../../../test/helpers/console-seed.js';
import { LocalRecordingStore } from '../../egress/index.js';
import { tempDir } from '../../../test/helpers/app.js';

const VIN = '1HGCM82633A004352';

async function seedCalls(db: Db) {
  const a = await createCall(db, {
    roomName: 'call-_+15551234567_a',
    channel: 'sip',
    callerNumber: '+15551234567',
    startedAt: '2026-11-20T15:00:00.000Z',
  });
  await transitionCall(db, a.id, 'greeting', {
    reason: 'answered',
    at: '2026-11-20T15:00:01.000Z',
  });
  await transitionCall(db, a.id, 'ended', {
    reason: 'caller hung up',
    at: '2026-11-20T15:03:00.000Z',
    patch: {
      outcome: 'appointment_booked',
      vin: VIN,
      customerName: 'Dana Reyes',
      callbackNumber: '+15559876543',
      vehicle: { vin: VIN, year: 2003, make: 'Honda', model: 'Accord', inInventory: true },
      summary: {
        status: 'done',
        text: 'Booked a test drive; call back on 555 987 6543.',
        tags: ['test-drive'],
        details: { callback_phone: '+15559876543' },
      },
    },
  });
  const b = await createCall(db, {
    roomName: 'web-b',
    channel: 'web',
    startedAt: '2026-11-21T09:00:00.000Z',
  });
  await transitionCall(db, b.id, 'failed', {
    reason: 'provider outage',
    at: '2026-11-21T09:00:05.000Z',
  });
  await updateCall(db, b.id, {
    outcome: 'failed',
    summary: { text: 'Agent could not answer', tags: [] },
  });
  return { a, b };
}

describe('calls API', () => {
  it('lists calls newest first with filters and keyset paging', async () => {
    const app = await buildTestApp();
    const { a, b } = await seedCalls(app.db);
    const headers = await bearerHeaders(app, 'supervisor');
    const get = async (query: string) =>
      app.inject({ method: 'GET', url: `/api/calls${query}`, headers });

    const all = (await get('')).json();
    expect(all.items.map((c: { id: string }) => c.id)).toEqual([b.id, a.id]);
    expect(all.items[1]).toMatchObject({
      callerNumber: '+15551234567',
      outcome: 'appointment_booked',
      durationMs: 180_000,
      vin: VIN,
      vehicle: { make: 'Honda', model: 'Accord' },
      summary: 'Booked a test drive; call back on 555 987 6543.',
      tags: ['test-drive'],
    });

    const ids = async (query: string) =>
      (await get(query)).json().items.map((c: { id: string }) => c.id);
    expect(await ids('?outcome=appointment_booked')).toEqual([a.id]);
    expect(await ids(`?vin=${VIN.toLowerCase()}`)).toEqual([a.id]);
    expect(await ids('?q=TEST%20DRIVE')).toEqual([a.id]);
    expect(await ids('?from=2026-11-21T00:00:00Z')).toEqual([b.id]);
    expect(await ids('?to=2026-11-21T00:00:00%2B00:00')).toEqual([a.id]);

    const first = (await get('?limit=1')).json();
    expect(first.items).toHaveLength(1);
    const second = (await get(`?limit=1&cursor=${first.nextCursor}`)).json();
    expect(second.items[0].id).toBe(a.id);
    expect(second.nextCursor).toBeNull();

    expect((await get('?cursor=garbage')).statusCode).toBe(400);
    const badVin = await get('?vin=123');
    expect(badVin.statusCode).toBe(400);
    expect(badVin.json().message).toContain('VIN');
  });

  it('shows one call with its state timeline, and 404 for an unknown id', async () => {
    const app = await buildTestApp();
    const { a } = await seedCalls(app.db);
    const headers = await bearerHeaders(app, 'admin');
    const detail = await app.inject({ method: 'GET', url: `/api/calls/${a.id}`, headers });
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({
      id: a.id,
      callbackNumber: '+15559876543',
      transitions: [
        { from: 'initializing', to: 'greeting', reason: 'answered' },
        { from: 'greeting', to: 'ended', reason: 'caller hung up' },
      ],
      summaryDetails: { status: 'done', details: { callback_phone: '+15559876543' } },
    });
    const missing = await app.inject({ method: 'GET', url: '/api/calls/nope', headers });
    expect(missing.statusCode).toBe(404);
  });

  it('masks phone numbers for viewers when MASK_PHONE_NUMBERS_FOR_VIEWER is on', async () => {
    const app = await buildTestApp();
    const { a } = await seedCalls(app.db);
    const viewer = await bearerHeaders(app, 'viewer');
    const list = (await app.inject({ method: 'GET', url: '/api/calls', headers: viewer })).json();
    expect(list.items[1]).toMatchObject({
      callerNumber: '+1 •••• ••• 4567',
      summary: 'Booked a test drive; call back on •••• 6543.',
    });
    const detail = (
      await app.inject({ method: 'GET', url: `/api/calls/${a.id}`, headers: viewer })
    ).json();
    expect(detail).toMatchObject({
      callerNumber: '+1 •••• ••• 4567',
      callbackNumber: '+1 •••• ••• 6543',
      roomName: 'call-_+1 •••• ••• 4567_a',
      summaryDetails: { details: { callback_phone: '+1 •••• ••• 6543' } },
    });
    expect(JSON.stringify(detail)).not.toContain('5551234567');

    const live = await createCall(app.db, {
      roomName: 'call-_+15550001234_live',
      channel: 'sip',
      callerNumber: '+15550001234',
    });
    const active = (
      await app.inject({ method: 'GET', url: '/api/calls/active', headers: viewer })
    ).json();
    expect(active.items).toContainEqual(
      expect.objectContaining({
        id: live.id,
        callerNumber: '+1 •••• ••• 1234',
        roomName: 'call-_+1 •••• ••• 1234_live',
      }),
    );

    const unmasked = await buildTestApp({ env: { MASK_PHONE_NUMBERS_FOR_VIEWER: 'false' } });
    await seedCalls(unmasked.db);
    const viewer2 = await bearerHeaders(unmasked, 'viewer');
    const plain = (
      await unmasked.inject({ method: 'GET', url: '/api/calls', headers: viewer2 })
    ).json();
    expect(plain.items[1].callerNumber).toBe('+15551234567');
  });

  it('gives the transcript with offsets into the recording, tool calls, latency and the recording links', async () => {
    const app = await buildTestApp();
    const call = await seedFixtureCall(app.db);
    await seedFixtureRecording(app.db, new LocalRecordingStore(tempDir()), call);
    const detail = async (role: 'viewer' | 'supervisor') =>
      (
        await app.inject({
          method: 'GET',
          url: `/api/calls/${call.id}`,
          headers: await bearerHeaders(app, role),
        })
      ).json();

    const supervisor = await detail('supervisor');
    expect(supervisor.transcript.map((l: { offsetMs: number }) => l.offsetMs)).toEqual(
      FIXTURE_LINES.map((l) => l.startMs),
    );
    expect(supervisor.transcript[1]).toMatchObject({ role: 'user', text: FIXTURE_LINES[1]!.text });
    expect(supervisor.toolCalls.map((t: { name: string }) => t.name)).toEqual([
      'lookup_vehicle',
      'book_appointment',
    ]);
    expect(supervisor.toolCalls[1].arguments.callback_number).toBe('+15559876543');
    expect(supervisor.turnMetrics).toHaveLength(3);
    expect(supervisor.turnMetrics[0]).toMatchObject({
      endOfUtteranceMs: 310,
      llmTtftMs: 420,
      ttsTtfbMs: 180,
    });
    expect(supervisor.recording).toMatchObject({
      id: `rec-${call.id}`,
      status: 'uploaded',
      audioUrl: `/api/recordings/rec-${call.id}/audio`,
      downloadUrl: `/api/recordings/rec-${call.id}/audio?download=1`,
    });

    const viewer = await detail('viewer');
    expect(viewer.recording.downloadUrl).toBeNull();
    expect(viewer.toolCalls[1].arguments.callback_number).toBe('+1 •••• ••• 6543');
    expect(JSON.stringify(viewer)).not.toMatch(/5559876543|5551234567/);
  });
});
