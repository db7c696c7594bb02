import type { Db } from '../db/index.js';

/** A LiveKit webhook event we are about to handle. */
export interface WebhookEventClaim {
  id: string;
  event: string;
  roomName: string | null;
}

/**
 * Records the event id; true when this is the first delivery (the caller handles it), false when
 * it was already recorded (a redelivery: the caller ignores it). Safe under concurrent deliveries:
 * the primary key lets exactly one insert through.
 */
export async function claimWebhookEvent(
  db: Db,
  claim: WebhookEventClaim,
  now = new Date().toISOString(),
): Promise<boolean> {
  const result = await db
    .insertInto('webhook_events')
    .values({ id: claim.id, event: claim.event, room_name: claim.roomName, received_at: now })
    .onConflict((conflict) => conflict.column('id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Forgets a claim whose handling failed, so LiveKit's next delivery is handled again. */
export async function releaseWebhookEvent(db: Db, id: string): Promise<void> {
  await db.deleteFrom('webhook_events').where('id', '=', id).execute();
}

/** Deletes claims received before `before` (ISO time); returns how many. */
export async function pruneWebhookEvents(db: Db, before: string): Promise<number> {
  const result = await db
    .deleteFrom('webhook_events')
    .where('received_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
