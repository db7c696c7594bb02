import type { Db } from '../db/index.js';

/** One tool the agent ran during a call, with what the model saw as its result. */
export interface ToolCallRecord {
  toolCallId: string;
  name: string;
  /** The arguments as the model sent them (parsed JSON, or the raw text when not JSON). */
  arguments: unknown;
  /** The output as the model received it (parsed JSON), null on error. */
  output: unknown;
  /** The error text the model received, null on success. */
  error: string | null;
  startedAt: string;
  durationMs: number | null;
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Stores a tool call; a second write of the same tool call id is ignored. */
export async function recordToolCall(db: Db, callId: string, call: ToolCallRecord): Promise<void> {
  await db
    .insertInto('tool_calls')
    .values({
      call_id: callId,
      tool_call_id: call.toolCallId,
      name: call.name,
      arguments_json: JSON.stringify(call.arguments ?? {}),
      output_json: call.error === null ? JSON.stringify(call.output ?? null) : null,
      error: call.error,
      is_error: call.error === null ? 0 : 1,
      started_at: call.startedAt,
      duration_ms: call.durationMs === null ? null : Math.round(call.durationMs),
    })
    .onConflict((oc) => oc.columns(['call_id', 'tool_call_id']).doNothing())
    .execute();
}

/** The call's tool calls in the order they ran. */
export async function listToolCalls(db: Db, callId: string): Promise<ToolCallRecord[]> {
  const rows = await db
    .selectFrom('tool_calls')
    .selectAll()
    .where('call_id', '=', callId)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    toolCallId: row.tool_call_id,
    name: row.name,
    arguments: parseJson(row.arguments_json),
    output: row.is_error === 1 ? null : parseJson(row.output_json),
    error: row.error,
    startedAt: row.started_at,
    durationMs: row.duration_ms,
  }));
}
