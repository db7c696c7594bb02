import { randomUUID } from 'node:crypto';
import type { Db, NewCallRow } from '../../src/db/index.js';
import {
  createRecording,
  type NewRecording,
  type Recording,
} from '../../src/egress/recording-repository.js';

/**
 * Inserts a minimal `calls` row for recording tests. Test data only: the product writes calls
 * through the calls module.
 */
export async function insertTestCall(
  db: Db,
  overrides: Partial<NewCallRow> = {},
): Promise<{ id: string; roomName: string; startedAt: string }> {
  const id = overrides.id ?? randomUUID();
  const startedAt = overrides.started_at ?? '2026-11-21T10:00:00.000Z';
  const roomName = overrides.room_name ?? `call_${id}`;
  await db
    .insertInto('calls')
    .values({
      channel: 'sip',
      state: 'ended',
      caller_identity: 'sip_+15551230000',
      caller_number: '+15551230000',
      created_at: startedAt,
      updated_at: startedAt,
      ...overrides,
      id,
      room_name: roomName,
      started_at: startedAt,
    })
    .execute();
  return { id, roomName, startedAt };
}

/**
 * Inserts a recording of `call` through the repository: an egress recording in progress, stored
 * under `recordings/<call id>.ogg`, unless `fields` say otherwise.
 */
export async function insertTestRecording(
  db: Db,
  call: { id: string; startedAt: string },
  fields: Partial<NewRecording> = {},
  now = new Date(call.startedAt),
): Promise<Recording> {
  const { recording } = await createRecording(
    db,
    {
      id: randomUUID(),
      callId: call.id,
      mode: 'egress',
      status: 'recording',
      storageKey: `recordings/${call.id}.ogg`,
      contentType: 'audio/ogg',
      startedAt: call.startedAt,
      ...fields,
    },
    now,
  );
  return recording;
}
