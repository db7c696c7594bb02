import type { Db } from '../db/index.js';

/** Who said a transcript line. */
export type TranscriptRole = 'user' | 'assistant' | 'system';

/** One line of a call's conversation. */
export interface TranscriptItem {
  /** The framework's chat item id; unique per call, so a replayed write is a no-op. */
  itemId: string;
  role: TranscriptRole;
  text: string;
  startedAt: string | null;
  endedAt: string | null;
  interrupted: boolean;
  createdAt: string;
}

/** Stores a transcript line; a second write of the same item id is ignored. */
export async function appendTranscriptItem(
  db: Db,
  callId: string,
  item: TranscriptItem,
): Promise<void> {
  await db
    .insertInto('transcript_items')
    .values({
      call_id: callId,
      item_id: item.itemId,
      role: item.role,
      text: item.text,
      started_at: item.startedAt,
      ended_at: item.endedAt,
      interrupted: item.interrupted ? 1 : 0,
      created_at: item.createdAt,
    })
    .onConflict((oc) => oc.columns(['call_id', 'item_id']).doNothing())
    .execute();
}

/** The call's transcript in the order it was spoken. */
export async function listTranscript(db: Db, callId: string): Promise<TranscriptItem[]> {
  const rows = await db
    .selectFrom('transcript_items')
    .selectAll()
    .where('call_id', '=', callId)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    itemId: row.item_id,
    role: row.role,
    text: row.text,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    interrupted: row.interrupted === 1,
    createdAt: row.created_at,
  }));
}
