/**
 * Reads across many recordings: the API's filtered, paged listing (with call fields), and the
 * scans retention and egress reconciliation run.
 */
import type { Db, RecordingRow } from '../db/index.js';
import { rowToRecording, type Recording, type RecordingStatus } from './recording-repository.js';

const iso = (value: string | Date): string => new Date(value).toISOString();

/** The call fields the recordings API shows and filters on. */
export interface RecordingCall {
  roomName: string;
  callerNumber: string | null;
  vin: string | null;
  outcome: string | null;
  startedAt: string;
}

export interface RecordingWithCall extends Recording {
  call: RecordingCall;
}

export interface RecordingFilters {
  from?: string | undefined;
  to?: string | undefined;
  caller?: string | undefined;
  vin?: string | undefined;
  outcome?: string | undefined;
  status?: RecordingStatus | undefined;
}

/** Position in the newest-first listing: the last item of the previous page. */
export interface RecordingCursor {
  startedAt: string;
  id: string;
}

const CALL_COLUMNS = [
  'c.room_name as call_room_name',
  'c.caller_number as call_caller_number',
  'c.vin as call_vin',
  'c.outcome as call_outcome',
  'c.started_at as call_started_at',
] as const;

type CallColumns = {
  call_room_name: string;
  call_caller_number: string | null;
  call_vin: string | null;
  call_outcome: string | null;
  call_started_at: string;
};

function toRecordingWithCall(row: RecordingRow & CallColumns): RecordingWithCall {
  return {
    ...rowToRecording(row),
    call: {
      roomName: row.call_room_name,
      callerNumber: row.call_caller_number,
      vin: row.call_vin,
      outcome: row.call_outcome,
      startedAt: row.call_started_at,
    },
  };
}

/** The recording with the call fields the API shows. */
export async function getRecordingWithCall(db: Db, id: string): Promise<RecordingWithCall | null> {
  const row = await db
    .selectFrom('recordings as r')
    .innerJoin('calls as c', 'c.id', 'r.call_id')
    .selectAll('r')
    .select(CALL_COLUMNS)
    .where('r.id', '=', id)
    .executeTakeFirst();
  return row ? toRecordingWithCall(row) : null;
}

/** One page of recordings, newest call first, with keyset pagination on (started_at, id). */
export async function listRecordings(
  db: Db,
  filters: RecordingFilters,
  page: { limit: number; after?: RecordingCursor | undefined },
): Promise<{ items: RecordingWithCall[]; next: RecordingCursor | null }> {
  let query = db
    .selectFrom('recordings as r')
    .innerJoin('calls as c', 'c.id', 'r.call_id')
    .selectAll('r')
    .select(CALL_COLUMNS);
  if (filters.from) query = query.where('r.started_at', '>=', iso(filters.from));
  if (filters.to) query = query.where('r.started_at', '<', iso(filters.to));
  if (filters.status) query = query.where('r.status', '=', filters.status);
  if (filters.outcome) query = query.where('c.outcome', '=', filters.outcome);
  if (filters.vin) query = query.where('c.vin', '=', filters.vin.toUpperCase());
  const callerDigits = filters.caller?.replace(/[^\d+]/g, '');
  if (callerDigits) query = query.where('c.caller_number', 'like', `%${callerDigits}%`);
  const after = page.after;
  if (after) {
    const startedAt = iso(after.startedAt);
    query = query.where((eb) =>
      eb.or([
        eb('r.started_at', '<', startedAt),
        eb.and([eb('r.started_at', '=', startedAt), eb('r.id', '<', after.id)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('r.started_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(page.limit + 1)
    .execute();
  const items = rows.slice(0, page.limit).map(toRecordingWithCall);
  const last = items.at(-1);
  return {
    items,
    next: rows.length > page.limit && last ? { startedAt: last.startedAt, id: last.id } : null,
  };
}

/** Recordings whose call started before `cutoff`, oldest first, after the given position. */
export async function listRecordingsStartedBefore(
  db: Db,
  cutoff: Date,
  after: RecordingCursor | null,
  limit: number,
): Promise<Recording[]> {
  let query = db
    .selectFrom('recordings')
    .selectAll()
    .where('started_at', '<', cutoff.toISOString());
  if (after) {
    const startedAt = iso(after.startedAt);
    query = query.where((eb) =>
      eb.or([
        eb('started_at', '>', startedAt),
        eb.and([eb('started_at', '=', startedAt), eb('id', '>', after.id)]),
      ]),
    );
  }
  const rows = await query.orderBy('started_at').orderBy('id').limit(limit).execute();
  return rows.map(rowToRecording);
}

/** Egress recordings still waiting for their egress to end (for reconciliation). */
export async function listActiveEgressRecordings(db: Db): Promise<Recording[]> {
  const rows = await db
    .selectFrom('recordings')
    .selectAll()
    .where('mode', '=', 'egress')
    .where('status', '=', 'recording')
    .orderBy('started_at')
    .execute();
  return rows.map(rowToRecording);
}

export async function countRecordingsStartedBefore(db: Db, cutoff: Date): Promise<number> {
  const row = await db
    .selectFrom('recordings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('started_at', '<', cutoff.toISOString())
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
