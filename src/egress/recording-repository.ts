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

const iso = (value: string | Date): string => new Date(value).toISOString();

/** The domain recording for a `recordings` row. */
export function rowToRecording(row: RecordingRow): Recording {
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
  return row ? rowToRecording(row) : null;
}

export async function findRecordingByEgressId(db: Db, egressId: string): Promise<Recording | null> {
  const row = await db
    .selectFrom('recordings')
    .selectAll()
    .where('egress_id', '=', egressId)
    .executeTakeFirst();
  return row ? rowToRecording(row) : null;
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
  return row ? rowToRecording(row) : null;
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

export async function countRecordingsWithStatus(db: Db, status: RecordingStatus): Promise<number> {
  const row = await db
    .selectFrom('recordings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', status)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
