import type { Db, RecordingRow, RecordingRowUpdate } from '../db/index.js';

export type RecordingMode = 'egress' | 'agent';
export type RecordingStatus = 'recording' | 'pending' | 'uploaded' | 'failed';

/** A call recording as the rest of the product sees it. */
export interface Recording {
  id: string;
  callId: string;
  mode: RecordingMode;
  status: RecordingStatus;
  egressId: string | null;
  storageKey: string;
  location: string | null;
  contentType: string;
  sizeBytes: number | null;
  durationMs: number | null;
  sha256: string | null;
  startedAt: string;
  endedAt: string | null;
  uploadedAt: string | null;
  error: string | null;
  attempts: number;
  nextAttemptAt: string | null;
  createdAt: string;
  updatedAt: string;
}

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

export interface NewRecording {
  id: string;
  callId: string;
  mode: RecordingMode;
  status: RecordingStatus;
  storageKey: string;
  contentType: string;
  startedAt: string;
  egressId?: string | null;
  endedAt?: string | null;
  sizeBytes?: number | null;
  durationMs?: number | null;
  sha256?: string | null;
}

export type RecordingPatch = Partial<
  Pick<
    Recording,
    | 'status'
    | 'egressId'
    | 'storageKey'
    | 'location'
    | 'sizeBytes'
    | 'durationMs'
    | 'sha256'
    | 'endedAt'
    | 'uploadedAt'
    | 'error'
    | 'nextAttemptAt'
  >
>;

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

const iso = (value: string | Date): string => new Date(value).toISOString();

function toRecording(row: RecordingRow): Recording {
  return {
    id: row.id,
    callId: row.call_id,
    mode: row.mode,
    status: row.status,
    egressId: row.egress_id,
    storageKey: row.storage_key,
    location: row.location,
    contentType: row.content_type,
    sizeBytes: row.size_bytes,
    durationMs: row.duration_ms,
    sha256: row.sha256,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    uploadedAt: row.uploaded_at,
    error: row.error,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toRow(patch: RecordingPatch): RecordingRowUpdate {
  const row: RecordingRowUpdate = {};
  if (patch.status !== undefined) row.status = patch.status;
  if (patch.egressId !== undefined) row.egress_id = patch.egressId;
  if (patch.storageKey !== undefined) row.storage_key = patch.storageKey;
  if (patch.location !== undefined) row.location = patch.location;
  if (patch.sizeBytes !== undefined) row.size_bytes = patch.sizeBytes;
  if (patch.durationMs !== undefined) row.duration_ms = patch.durationMs;
  if (patch.sha256 !== undefined) row.sha256 = patch.sha256;
  if (patch.endedAt !== undefined) row.ended_at = patch.endedAt && iso(patch.endedAt);
  if (patch.uploadedAt !== undefined) row.uploaded_at = patch.uploadedAt && iso(patch.uploadedAt);
  if (patch.error !== undefined) row.error = patch.error;
  if (patch.nextAttemptAt !== undefined) {
    row.next_attempt_at = patch.nextAttemptAt && iso(patch.nextAttemptAt);
  }
  return row;
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
    ...toRecording(row),
    call: {
      roomName: row.call_room_name,
      callerNumber: row.call_caller_number,
      vin: row.call_vin,
      outcome: row.call_outcome,
      startedAt: row.call_started_at,
    },
  };
}

/**
 * Inserts the recording unless the call already has one of that mode (one per call and mode);
 * returns the row that is there afterwards and whether this call created it.
 */
export async function createRecording(
  db: Db,
  input: NewRecording,
  now: Date,
): Promise<{ recording: Recording; created: boolean }> {
  const result = await db
    .insertInto('recordings')
    .values({
      id: input.id,
      call_id: input.callId,
      mode: input.mode,
      status: input.status,
      egress_id: input.egressId ?? null,
      storage_key: input.storageKey,
      location: null,
      content_type: input.contentType,
      size_bytes: input.sizeBytes ?? null,
      duration_ms: input.durationMs ?? null,
      sha256: input.sha256 ?? null,
      started_at: iso(input.startedAt),
      ended_at: input.endedAt ? iso(input.endedAt) : null,
      uploaded_at: null,
      error: null,
      next_attempt_at: null,
      lease_owner: null,
      lease_expires_at: null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .onConflict((oc) => oc.columns(['call_id', 'mode']).doNothing())
    .executeTakeFirst();
  const recording = await findRecordingForCall(db, input.callId, input.mode);
  if (!recording) throw new Error(`recording for call ${input.callId} vanished after insert`);
  return { recording, created: Number(result.numInsertedOrUpdatedRows ?? 0) > 0 };
}

export async function getRecording(db: Db, id: string): Promise<Recording | null> {
  const row = await db.selectFrom('recordings').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toRecording(row) : null;
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

export async function findRecordingByEgressId(db: Db, egressId: string): Promise<Recording | null> {
  const row = await db
    .selectFrom('recordings')
    .selectAll()
    .where('egress_id', '=', egressId)
    .executeTakeFirst();
  return row ? toRecording(row) : null;
}

export async function findRecordingForCall(
  db: Db,
  callId: string,
  mode: RecordingMode,
): Promise<Recording | null> {
  const row = await db
    .selectFrom('recordings')
    .selectAll()
    .where('call_id', '=', callId)
    .where('mode', '=', mode)
    .executeTakeFirst();
  return row ? toRecording(row) : null;
}

/**
 * Applies `patch`; with `onlyIf` the update happens only while the row is in one of those statuses
 * (so a late or duplicate event cannot undo a final state). Returns whether a row changed.
 */
export async function updateRecording(
  db: Db,
  id: string,
  patch: RecordingPatch,
  now: Date,
  onlyIf?: readonly RecordingStatus[],
): Promise<boolean> {
  let query = db
    .updateTable('recordings')
    .set({ ...toRow(patch), updated_at: now.toISOString() })
    .where('id', '=', id);
  if (onlyIf) query = query.where('status', 'in', onlyIf);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteRecording(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('recordings').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
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
  return rows.map(toRecording);
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
  return rows.map(toRecording);
}

export async function countRecordingsWithStatus(db: Db, status: RecordingStatus): Promise<number> {
  const row = await db
    .selectFrom('recordings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', status)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

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

export async function countRecordingsStartedBefore(db: Db, cutoff: Date): Promise<number> {
  const row = await db
    .selectFrom('recordings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('started_at', '<', cutoff.toISOString())
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
