import { createReadStream, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createCall, transitionCall } from '../../src/calls/index.js';
import { recordToolCall } from '../../src/calls/tool-call-repository.js';
import {
  appendTranscriptItem,
  type TranscriptRole,
} from '../../src/calls/transcript-repository.js';
import { upsertTurnMetrics } from '../../src/calls/turn-metrics-repository.js';
import type { Db } from '../../src/db/index.js';
import {
  RECORDING_CONTENT_TYPE,
  recordingKey,
  type RecordingStore,
} from '../../src/egress/index.js';
import { insertTestRecording } from './recording-fixtures.js';

export const FIXTURE_AUDIO_DIR = path.resolve(import.meta.dirname, '../fixtures/audio');

/** The call fixture's lines: who speaks, what, and where in call-fixture.ogg (ms). */
export interface FixtureLine {
  role: TranscriptRole;
  text: string;
  startMs: number;
  endMs: number;
}

export const FIXTURE_LINES: FixtureLine[] = JSON.parse(
  readFileSync(path.join(FIXTURE_AUDIO_DIR, 'call-fixture.json'), 'utf8'),
) as FixtureLine[];

export const FIXTURE_VIN = '1HGCM82633A004352';

const iso = (base: number, ms: number) => new Date(base + ms).toISOString();

/**
 * A finished call as the worker stores it, matching call-fixture.ogg: transcript lines timed like
 * the audio, a VIN lookup and a booking, per-turn latency, transitions and a summary.
 */
export async function seedFixtureCall(db: Db, startedAt = '2026-11-20T15:00:00.000Z') {
  const t0 = Date.parse(startedAt);
  const call = await createCall(db, {
    roomName: 'call-_+15551234567_fixture',
    channel: 'sip',
    callerNumber: '+15551234567',
    dialedNumber: '+15557654321',
    startedAt,
  });
  await transitionCall(db, call.id, 'greeting', { reason: 'agent answered', at: iso(t0, 200) });
  await transitionCall(db, call.id, 'information_gathering', {
    reason: 'caller asked about a car',
    at: iso(t0, 7_900),
  });
  await transitionCall(db, call.id, 'vehicle_lookup', {
    reason: 'VIN captured',
    at: iso(t0, 14_600),
  });
  await transitionCall(db, call.id, 'providing_details', {
    reason: 'vehicle found',
    at: iso(t0, 14_900),
  });
  for (const [i, line] of FIXTURE_LINES.entries()) {
    await appendTranscriptItem(db, call.id, {
      itemId: `item-${i}`,
      role: line.role,
      text: line.text,
      startedAt: iso(t0, line.startMs),
      endedAt: iso(t0, line.endMs),
      interrupted: false,
      createdAt: iso(t0, line.endMs),
    });
  }
  await recordToolCall(db, call.id, {
    toolCallId: 'tool-1',
    name: 'lookup_vehicle',
    arguments: { vin_suffix: '004352' },
    output: {
      found: true,
      vin: FIXTURE_VIN,
      year: 2003,
      make: 'Honda',
      model: 'Accord',
      price: 6900,
    },
    error: null,
    startedAt: iso(t0, 14_650),
    durationMs: 84,
  });
  await recordToolCall(db, call.id, {
    toolCallId: 'tool-2',
    name: 'book_appointment',
    arguments: {
      kind: 'test_drive',
      starts_at: '2026-11-21T15:00:00.000Z',
      callback_number: '+15559876543',
    },
    output: { appointmentId: 17, startsAt: '2026-11-21T15:00:00.000Z' },
    error: null,
    startedAt: iso(t0, 19_000),
    durationMs: 31,
  });
  const turns = [
    [310, 420, 180],
    [520, 610, 210],
    [290, 880, 190],
  ];
  for (const [i, [eou, llm, tts]] of turns.entries()) {
    await upsertTurnMetrics(db, call.id, {
      speechId: `speech-${i}`,
      endOfUtteranceMs: eou,
      llmTtftMs: llm,
      ttsTtfbMs: tts,
      totalMs: (eou ?? 0) + (llm ?? 0) + (tts ?? 0),
    });
  }
  const ended = await transitionCall(db, call.id, 'ended', {
    reason: 'caller said goodbye',
    at: iso(t0, 20_500),
    patch: {
      outcome: 'appointment_booked',
      endReason: 'caller hung up',
      customerName: 'Dana Reyes',
      callbackNumber: '+15559876543',
      vin: FIXTURE_VIN,
      vehicle: {
        vin: FIXTURE_VIN,
        year: 2003,
        make: 'Honda',
        model: 'Accord',
        trim: 'EX',
        inInventory: true,
        price: 6900,
        status: 'available',
      },
      summary: {
        status: 'done',
        text: 'Caller asked about the silver 2003 Accord; booked a test drive tomorrow at 10.',
        intent: 'test_drive',
        sentiment: 'positive',
        followUpNeeded: false,
        tags: ['test-drive', 'used'],
        details: { callback_number: '+15559876543' },
      },
    },
  });
  if (!ended.applied) throw new Error(`seed: could not end the call (${ended.reason})`);
  return ended.call;
}

/** A few more calls for the list (different outcomes, days and vehicles). */
export async function seedOtherCalls(db: Db) {
  const others = [
    {
      at: '2026-11-21T09:12:00.000Z',
      outcome: 'transferred',
      text: 'Wanted a person about financing; transferred to sales.',
      tags: ['financing'],
      caller: '+15550001111',
    },
    {
      at: '2026-11-20T11:40:00.000Z',
      outcome: 'resolved',
      text: 'Asked for Saturday opening hours.',
      tags: ['hours'],
      caller: '+15550002222',
    },
    {
      at: '2026-11-19T17:05:00.000Z',
      outcome: 'hung_up',
      text: 'Caller hung up during the greeting.',
      tags: [],
      caller: '+15550003333',
    },
  ] as const;
  for (const [i, o] of others.entries()) {
    const call = await createCall(db, {
      roomName: `other-${i}`,
      channel: 'sip',
      callerNumber: o.caller,
      startedAt: o.at,
    });
    await transitionCall(db, call.id, 'ended', {
      reason: 'done',
      at: new Date(Date.parse(o.at) + 95_000 + i * 30_000).toISOString(),
      patch: { outcome: o.outcome, summary: { status: 'done', text: o.text, tags: [...o.tags] } },
    });
  }
}

export const FIXTURE_AUDIO = path.join(FIXTURE_AUDIO_DIR, 'call-fixture.ogg');

/** Stores call-fixture.ogg as the call's uploaded (agent-mode) recording, started with the call. */
export async function seedFixtureRecording(
  db: Db,
  store: RecordingStore,
  call: { id: string; startedAt: string },
) {
  const key = recordingKey(call.id, call.startedAt);
  const sizeBytes = statSync(FIXTURE_AUDIO).size;
  await store.put(key, createReadStream(FIXTURE_AUDIO), {
    contentType: RECORDING_CONTENT_TYPE,
    sizeBytes,
    metadata: { callId: call.id },
  });
  const lastLine = FIXTURE_LINES.at(-1);
  return insertTestRecording(db, call, {
    id: `rec-${call.id}`,
    mode: 'agent',
    status: 'uploaded',
    storageKey: key,
    contentType: RECORDING_CONTENT_TYPE,
    sizeBytes,
    durationMs: (lastLine?.endMs ?? 0) + 400,
  });
}
