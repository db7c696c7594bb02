import { describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/helpers/databases.js';
import { InvalidCursorError } from '../db/cursor.js';
import {
  changeCallState,
  createCall,
  finalizeCallByRoom,
  findRecentCallsByNumber,
  getCall,
  getCallByRoom,
  listCalls,
  listTransitions,
  patchCall,
  transitionCall,
  updateCall,
} from './call-repository.js';

let roomSeq = 0;
const room = () => `call_+15550100_${++roomSeq}_${Math.random().toString(36).slice(2, 8)}`;

describeEachDialect('call repository', (database) => {
  it('creates a call and reads it back by id and room', async () => {
    const { db } = database();
    const roomName = room();
    const call = await createCall(
      db,
      { roomName, channel: 'sip', callerNumber: '+15550100', dialedNumber: '+15550199' },
      '2026-11-21T10:00:00.000Z',
    );
    expect(call).toMatchObject({
      roomName,
      state: 'initializing',
      callerNumber: '+15550100',
      startedAt: '2026-11-21T10:00:00.000Z',
      endedAt: null,
      durationMs: null,
      collected: {},
      vehicle: null,
      summary: { status: null, tags: [], followUpNeeded: null },
    });
    expect(await getCall(db, call.id)).toEqual(call);
    expect(await getCallByRoom(db, roomName)).toEqual(call);
    expect(await getCall(db, 'missing')).toBeNull();
  });

  it('stores JSON fields and flags as domain values', async () => {
    const { db } = database();
    const call = await createCall(db, { roomName: room(), channel: 'web' });
    const updated = await updateCall(db, call.id, {
      customerName: 'Dana Reyes',
      vin: '1HGCM82633A004352',
      vehicle: {
        vin: '1HGCM82633A004352',
        year: 2003,
        make: 'Honda',
        model: 'Accord',
        inInventory: false,
      },
      collected: { vinCapture: { chars: '1HG' } },
      summary: {
        status: 'done',
        text: 'Asked about an Accord',
        followUpNeeded: true,
        tags: ['vin', 'sales'],
        details: { a: 1 },
      },
    });
    expect(updated).toMatchObject({
      customerName: 'Dana Reyes',
      vehicle: { make: 'Honda', inInventory: false },
      collected: { vinCapture: { chars: '1HG' } },
      summary: { status: 'done', followUpNeeded: true, tags: ['vin', 'sales'], details: { a: 1 } },
    });
  });

  it('applies allowed transitions with their patch and records each one', async () => {
    const { db } = database();
    const call = await createCall(db, {
      roomName: room(),
      channel: 'sip',
      startedAt: '2026-11-21T10:00:00.000Z',
    });
    const greeted = await transitionCall(db, call.id, 'greeting', {
      reason: 'session started',
      at: '2026-11-21T10:00:01.000Z',
    });
    expect(greeted).toMatchObject({ applied: true, from: 'initializing', to: 'greeting' });
    const gathering = await transitionCall(db, call.id, 'information_gathering', {
      reason: 'caller spoke',
      patch: { customerName: 'Sam' },
      at: '2026-11-21T10:00:05.000Z',
    });
    expect(gathering.applied && gathering.call.customerName).toBe('Sam');
    const ended = await transitionCall(db, call.id, 'ended', {
      reason: 'end_call tool',
      patch: { outcome: 'resolved' },
      at: '2026-11-21T10:03:05.000Z',
    });
    expect(ended).toMatchObject({
      applied: true,
      call: { state: 'ended', outcome: 'resolved', endedAt: '2026-11-21T10:03:05.000Z' },
    });
    expect(ended.applied && ended.call.durationMs).toBe(185_000);
    expect(await listTransitions(db, call.id)).toEqual([
      {
        from: 'initializing',
        to: 'greeting',
        reason: 'session started',
        at: '2026-11-21T10:00:01.000Z',
      },
      {
        from: 'greeting',
        to: 'information_gathering',
        reason: 'caller spoke',
        at: '2026-11-21T10:00:05.000Z',
      },
      {
        from: 'information_gathering',
        to: 'ended',
        reason: 'end_call tool',
        at: '2026-11-21T10:03:05.000Z',
      },
    ]);
  });

  it('changes state and data without reading the call back (the worker tracker)', async () => {
    const { db } = database();
    const call = await createCall(db, { roomName: room(), channel: 'sip' });
    expect(await patchCall(db, call.id, { customerName: 'Sam' }, '2026-11-21T10:00:02.000Z')).toBe(
      undefined,
    );
    expect(
      await changeCallState(db, call.id, 'greeting', {
        reason: 'session started',
        patch: { callbackNumber: '+15550100777' },
        at: '2026-11-21T10:00:03.000Z',
      }),
    ).toEqual({ applied: true, from: 'initializing', to: 'greeting' });
    expect(await changeCallState(db, call.id, 'initializing', { reason: 'x' })).toEqual({
      applied: false,
      from: 'greeting',
      to: 'initializing',
      reason: 'invalid_transition',
    });
    expect(await getCall(db, call.id)).toMatchObject({
      state: 'greeting',
      customerName: 'Sam',
      callbackNumber: '+15550100777',
      updatedAt: '2026-11-21T10:00:03.000Z',
    });
    expect((await listTransitions(db, call.id)).map((t) => t.reason)).toEqual(['session started']);
  });

  it('rejects invalid transitions without changing anything', async () => {
    const { db } = database();
    const call = await createCall(db, { roomName: room(), channel: 'sip' });
    const skipped = await transitionCall(db, call.id, 'providing_details', {
      reason: 'x',
      patch: { customerName: 'X' },
    });
    expect(skipped).toEqual({
      applied: false,
      from: 'initializing',
      to: 'providing_details',
      reason: 'invalid_transition',
    });
    await transitionCall(db, call.id, 'failed', { reason: 'provider outage' });
    const afterEnd = await transitionCall(db, call.id, 'greeting', { reason: 'x' });
    expect(afterEnd).toMatchObject({
      applied: false,
      reason: 'invalid_transition',
      from: 'failed',
    });
    expect(await transitionCall(db, 'nope', 'greeting', { reason: 'x' })).toMatchObject({
      applied: false,
      reason: 'not_found',
    });
    expect(await transitionCall(db, call.id, 'failed', { reason: 'x' })).toMatchObject({
      applied: false,
      reason: 'unchanged',
    });
    const stored = await getCall(db, call.id);
    expect(stored?.customerName).toBeNull();
    expect(await listTransitions(db, call.id)).toHaveLength(1);
  });

  it('detects a concurrent state change as a conflict', async () => {
    const { db } = database();
    const call = await createCall(db, { roomName: room(), channel: 'sip' });
    await transitionCall(db, call.id, 'greeting', { reason: 'start' });
    const [a, b] = await Promise.all([
      transitionCall(db, call.id, 'transferred', { reason: 'dtmf 0' }),
      transitionCall(db, call.id, 'ended', { reason: 'caller left' }),
    ]);
    expect([a.applied, b.applied].filter(Boolean)).toHaveLength(1);
    const loser = a.applied ? b : a;
    expect(loser.applied).toBe(false);
    expect(['conflict', 'invalid_transition']).toContain(!loser.applied && loser.reason);
  });

  it('finalizes an abandoned call by room, once', async () => {
    const { db } = database();
    const roomName = room();
    const call = await createCall(db, { roomName, channel: 'sip' });
    await transitionCall(db, call.id, 'greeting', { reason: 'start' });
    const finalized = await finalizeCallByRoom(db, roomName, {
      endReason: 'participant_left',
      at: '2030-01-01T00:00:00.000Z',
    });
    expect(finalized).toMatchObject({
      state: 'ended',
      outcome: 'hung_up',
      endReason: 'participant_left',
      endedAt: '2030-01-01T00:00:00.000Z',
    });
    const again = await finalizeCallByRoom(db, roomName, { endReason: 'room_finished' });
    expect(again).toMatchObject({
      endReason: 'participant_left',
      endedAt: '2030-01-01T00:00:00.000Z',
    });
    expect(await finalizeCallByRoom(db, 'unknown-room', { endReason: 'x' })).toBeNull();
  });

  it('lists newest first with filters and keyset pages', async () => {
    const { db } = database();
    const number = `+1555${Math.floor(Math.random() * 1e6)}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const c = await createCall(db, {
        roomName: room(),
        channel: 'sip',
        callerNumber: number,
        startedAt: `2026-01-0${i + 1}T10:00:00.000Z`,
      });
      ids.push(c.id);
    }
    await updateCall(db, ids[1]!, {
      outcome: 'appointment_booked',
      summary: { text: 'Booked a Test Drive for the CR-V' },
    });
    const first = await listCalls(db, { callerNumber: number }, { limit: 2 });
    expect(first.items.map((c) => c.id)).toEqual([ids[4], ids[3]]);
    const second = await listCalls(
      db,
      { callerNumber: number },
      { limit: 2, cursor: first.nextCursor! },
    );
    expect(second.items.map((c) => c.id)).toEqual([ids[2], ids[1]]);
    const third = await listCalls(
      db,
      { callerNumber: number },
      { limit: 2, cursor: second.nextCursor! },
    );
    expect(third).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
    expect(
      (await listCalls(db, { callerNumber: number, text: 'test drive' })).items.map((c) => c.id),
    ).toEqual([ids[1]]);
    expect((await listCalls(db, { callerNumber: number, text: '100%' })).items).toEqual([]);
    expect(
      (await listCalls(db, { callerNumber: number, outcome: 'appointment_booked' })).items,
    ).toHaveLength(1);
    expect(
      (
        await listCalls(db, {
          callerNumber: number,
          from: '2026-01-03T00:00:00.000Z',
          to: '2026-01-05T00:00:00.000Z',
        })
      ).items,
    ).toHaveLength(2);
    await expect(listCalls(db, {}, { cursor: 'garbage' })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
  });

  it('finds a returning caller by number', async () => {
    const { db } = database();
    const number = `+1555${Math.floor(Math.random() * 1e6)}`;
    const older = await createCall(db, {
      roomName: room(),
      channel: 'sip',
      callerNumber: number,
      startedAt: '2026-02-01T10:00:00.000Z',
    });
    await updateCall(db, older.id, { customerName: 'Ana', outcome: 'resolved' });
    const current = await createCall(db, {
      roomName: room(),
      channel: 'sip',
      callerNumber: number,
    });
    const recent = await findRecentCallsByNumber(db, number, { excludeCallId: current.id });
    expect(recent.map((c) => [c.id, c.customerName])).toEqual([[older.id, 'Ana']]);
  });
});

describe('cursor', () => {
  it('rejects a cursor of the wrong shape', async () => {
    const { decodeCursor, encodeCursor } = await import('../db/cursor.js');
    expect(decodeCursor(encodeCursor(['a', 'b']), ['string', 'string'] as const)).toEqual([
      'a',
      'b',
    ]);
    expect(() => decodeCursor(encodeCursor([1, 'b']), ['string', 'string'] as const)).toThrow(
      InvalidCursorError,
    );
  });
});
