import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/helpers/databases.js';
import { createCall } from './call-repository.js';
import { listToolCalls, recordToolCall } from './tool-call-repository.js';
import { appendTranscriptItem, listTranscript } from './transcript-repository.js';
import { listTurnMetrics, upsertTurnMetrics } from './turn-metrics-repository.js';

let seq = 0;
const newCall = (db: Parameters<typeof createCall>[0]) =>
  createCall(db, { roomName: `records_${++seq}_${Date.now()}`, channel: 'simulator' });

describeEachDialect('call records (transcripts, tool calls, turn metrics)', (database) => {
  it('stores transcript lines in order and ignores a replayed item', async () => {
    const { db } = database();
    const call = await newCall(db);
    const line = {
      itemId: 'item_1',
      role: 'user' as const,
      text: 'My VIN is one H G',
      startedAt: '2026-11-21T10:00:00.000Z',
      endedAt: '2026-11-21T10:00:02.000Z',
      interrupted: false,
      createdAt: '2026-11-21T10:00:02.000Z',
    };
    await appendTranscriptItem(db, call.id, line);
    await appendTranscriptItem(db, call.id, line);
    await appendTranscriptItem(db, call.id, {
      ...line,
      itemId: 'item_2',
      role: 'assistant',
      text: 'Thanks.',
      interrupted: true,
    });
    expect(await listTranscript(db, call.id)).toEqual([
      line,
      { ...line, itemId: 'item_2', role: 'assistant', text: 'Thanks.', interrupted: true },
    ]);
  });

  it('stores tool calls with output or error and duration', async () => {
    const { db } = database();
    const call = await newCall(db);
    await recordToolCall(db, call.id, {
      toolCallId: 'c1',
      name: 'lookup_vehicle',
      arguments: { vin: '1HGCM82633A004352' },
      output: { found: true },
      error: null,
      startedAt: '2026-11-21T10:00:00.000Z',
      durationMs: 12.6,
    });
    await recordToolCall(db, call.id, {
      toolCallId: 'c2',
      name: 'book_appointment',
      arguments: { slot: 'x' },
      output: null,
      error: 'That slot was just taken.',
      startedAt: '2026-11-21T10:00:01.000Z',
      durationMs: null,
    });
    expect(await listToolCalls(db, call.id)).toEqual([
      expect.objectContaining({ name: 'lookup_vehicle', output: { found: true }, durationMs: 13 }),
      expect.objectContaining({ name: 'book_appointment', error: 'That slot was just taken.' }),
    ]);
  });

  it('merges the stages of one turn that arrive separately', async () => {
    const { db } = database();
    const call = await newCall(db);
    await upsertTurnMetrics(db, call.id, { speechId: 's1', endOfUtteranceMs: 310.5 });
    await upsertTurnMetrics(db, call.id, { speechId: 's1', llmTtftMs: 420, llmDurationMs: 900 });
    await upsertTurnMetrics(db, call.id, { speechId: 's1', ttsTtfbMs: 150, totalMs: 880.5 });
    await upsertTurnMetrics(db, call.id, { speechId: 's2' });
    expect(await listTurnMetrics(db, call.id)).toEqual([
      {
        speechId: 's1',
        endOfUtteranceMs: 310.5,
        transcriptionDelayMs: null,
        sttMs: null,
        llmTtftMs: 420,
        llmDurationMs: 900,
        ttsTtfbMs: 150,
        totalMs: 880.5,
      },
      expect.objectContaining({ speechId: 's2', llmTtftMs: null }),
    ]);
  });
});
