import type { Db } from '../db/index.js';

/** The call fields recording needs (read only: the calls module owns writes). */
export interface CallForRecording {
  id: string;
  roomName: string;
  callerIdentity: string | null;
  callerNumber: string | null;
  startedAt: string;
}

function toCallForRecording(row: {
  id: string;
  room_name: string;
  caller_identity: string | null;
  caller_number: string | null;
  started_at: string;
}): CallForRecording {
  return {
    id: row.id,
    roomName: row.room_name,
    callerIdentity: row.caller_identity,
    callerNumber: row.caller_number,
    startedAt: row.started_at,
  };
}

const CALL_FIELDS = ['id', 'room_name', 'caller_identity', 'caller_number', 'started_at'] as const;

export async function findCallByRoom(db: Db, roomName: string): Promise<CallForRecording | null> {
  const row = await db
    .selectFrom('calls')
    .select(CALL_FIELDS)
    .where('room_name', '=', roomName)
    .executeTakeFirst();
  return row ? toCallForRecording(row) : null;
}

export async function findCallById(db: Db, callId: string): Promise<CallForRecording | null> {
  const row = await db
    .selectFrom('calls')
    .select(CALL_FIELDS)
    .where('id', '=', callId)
    .executeTakeFirst();
  return row ? toCallForRecording(row) : null;
}
