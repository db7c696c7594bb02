import type { Db } from '../db/index.js';
import { getRecording, type Recording } from './recording-repository.js';

/*
 * The upload lease on `recordings` rows: which process uploads a spooled recording. Every change
 * is one conditional UPDATE, so concurrent upload workers (worker and API process, several worker
 * replicas on one spool) never upload the same recording at once.
 */

/**
 * Takes the upload lease on a pending recording when nobody holds a live one and its backoff has
 * passed. A single conditional UPDATE, so two processes can never both win.
 */
export async function claimUpload(
  db: Db,
  id: string,
  owner: string,
  now: Date,
  leaseMs: number,
): Promise<Recording | null> {
  const nowIso = now.toISOString();
  const result = await db
    .updateTable('recordings')
    .set({
      lease_owner: owner,
      lease_expires_at: new Date(now.getTime() + leaseMs).toISOString(),
      updated_at: nowIso,
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where((eb) =>
      eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', nowIso)]),
    )
    .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', nowIso)]))
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return null;
  return getRecording(db, id);
}

/** Marks the upload done, if `owner` still holds the lease. */
export async function completeUpload(
  db: Db,
  id: string,
  owner: string,
  result: { sizeBytes: number; sha256: string; location: string },
  now: Date,
): Promise<boolean> {
  const update = await db
    .updateTable('recordings')
    .set({
      status: 'uploaded',
      size_bytes: result.sizeBytes,
      sha256: result.sha256,
      location: result.location,
      uploaded_at: now.toISOString(),
      error: null,
      next_attempt_at: null,
      lease_owner: null,
      lease_expires_at: null,
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(update.numUpdatedRows) > 0;
}

/** Gives the lease back after a failed or deferred attempt, with when to try again. */
export async function releaseUpload(
  db: Db,
  id: string,
  owner: string,
  outcome: { nextAttemptAt: Date; error?: string | null; countAttempt: boolean; failed?: boolean },
  now: Date,
): Promise<void> {
  await db
    .updateTable('recordings')
    .set((eb) => ({
      lease_owner: null,
      lease_expires_at: null,
      next_attempt_at: outcome.nextAttemptAt.toISOString(),
      attempts: outcome.countAttempt ? eb('attempts', '+', 1) : eb.ref('attempts'),
      ...(outcome.error !== undefined ? { error: outcome.error } : {}),
      ...(outcome.failed ? { status: 'failed' as const } : {}),
      updated_at: now.toISOString(),
    }))
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .execute();
}
