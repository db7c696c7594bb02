import type { Db } from '../db/index.js';

/** Latency of one agent turn, by stage, in milliseconds (null when the stage did not run). */
export interface TurnMetrics {
  speechId: string;
  endOfUtteranceMs: number | null;
  transcriptionDelayMs: number | null;
  sttMs: number | null;
  llmTtftMs: number | null;
  llmDurationMs: number | null;
  ttsTtfbMs: number | null;
  totalMs: number | null;
}

const COLUMNS = {
  endOfUtteranceMs: 'end_of_utterance_ms',
  transcriptionDelayMs: 'transcription_delay_ms',
  sttMs: 'stt_ms',
  llmTtftMs: 'llm_ttft_ms',
  llmDurationMs: 'llm_duration_ms',
  ttsTtfbMs: 'tts_ttfb_ms',
  totalMs: 'total_ms',
} as const;

type Stage = keyof typeof COLUMNS;
type StageColumn = (typeof COLUMNS)[Stage];

/**
 * Writes the known stages of a turn. Metrics for one turn arrive as separate events (EOU, LLM,
 * TTS), so each write sets only the stages it carries and keeps the others.
 */
export async function upsertTurnMetrics(
  db: Db,
  callId: string,
  metrics: Partial<TurnMetrics> & { speechId: string },
  now = new Date().toISOString(),
): Promise<void> {
  const values: Partial<Record<StageColumn, number>> = {};
  for (const [stage, column] of Object.entries(COLUMNS) as [Stage, StageColumn][]) {
    const value = metrics[stage];
    if (typeof value === 'number' && Number.isFinite(value)) values[column] = value;
  }
  const insert = db
    .insertInto('turn_metrics')
    .values({ call_id: callId, speech_id: metrics.speechId, created_at: now, ...values });
  await (
    Object.keys(values).length === 0
      ? insert.onConflict((oc) => oc.columns(['call_id', 'speech_id']).doNothing())
      : insert.onConflict((oc) => oc.columns(['call_id', 'speech_id']).doUpdateSet(values))
  ).execute();
}

/** The call's turn metrics, oldest first. */
export async function listTurnMetrics(db: Db, callId: string): Promise<TurnMetrics[]> {
  const rows = await db
    .selectFrom('turn_metrics')
    .selectAll()
    .where('call_id', '=', callId)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    speechId: row.speech_id,
    endOfUtteranceMs: row.end_of_utterance_ms,
    transcriptionDelayMs: row.transcription_delay_ms,
    sttMs: row.stt_ms,
    llmTtftMs: row.llm_ttft_ms,
    llmDurationMs: row.llm_duration_ms,
    ttsTtfbMs: row.tts_ttfb_ms,
    totalMs: row.total_ms,
  }));
}
