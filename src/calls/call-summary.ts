import { llm as lkllm } from '@livekit/agents';
import { z } from 'zod';
import type { Db } from '../db/index.js';
import type { Logger } from '../observability/logger.js';
import { CALL_OUTCOMES, type Call } from './call.js';
import { getCall, updateCall } from './call-repository.js';
import { listToolCalls } from './tool-call-repository.js';
import { listTranscript, type TranscriptItem } from './transcript-repository.js';

export const CALL_INTENTS = [
  'buy_vehicle',
  'test_drive',
  'service',
  'trade_in',
  'financing',
  'vehicle_information',
  'dealership_information',
  'speak_to_person',
  'other',
] as const;

/** What the summarizing model must return for a call. */
export const callSummarySchema = z.object({
  summary: z.string().min(1).max(2000),
  intent: z.enum(CALL_INTENTS),
  outcome: z.enum(CALL_OUTCOMES),
  vin: z.string().length(17).nullable(),
  vehicle: z.string().max(120).nullable(),
  appointment: z.string().max(200).nullable(),
  followUpNeeded: z.boolean(),
  sentiment: z.enum(['positive', 'neutral', 'negative']),
  tags: z.array(z.string().min(1).max(40)).max(10),
});
export type CallSummaryResult = z.infer<typeof callSummarySchema>;

const SUMMARY_INSTRUCTIONS = `You summarize phone calls to a car dealership for the staff who follow up.
Reply with one JSON object and nothing else, with exactly these keys:
summary (2-4 sentences), intent (one of ${CALL_INTENTS.join(', ')}),
outcome (one of ${CALL_OUTCOMES.join(', ')}), vin (17 characters or null), vehicle (e.g. "2019 Honda Civic" or null),
appointment (what was booked and when, or null), followUpNeeded (true/false), sentiment (positive, neutral or negative),
tags (up to 10 short lowercase words). Use only facts from the call.`;

function transcriptText(lines: readonly TranscriptItem[]): string {
  return lines
    .filter((l) => l.role !== 'system')
    .map(
      (l) =>
        `${l.role === 'user' ? 'Caller' : 'Agent'}: ${l.text}${l.interrupted ? ' [interrupted]' : ''}`,
    )
    .join('\n');
}

/** The user message the summarizer sends for a call (exported so tests can script the model). */
export async function summaryRequest(db: Db, call: Call): Promise<string> {
  const [lines, tools] = await Promise.all([
    listTranscript(db, call.id),
    listToolCalls(db, call.id),
  ]);
  const facts = {
    recordedOutcome: call.outcome,
    customerName: call.customerName,
    vin: call.vin,
    vehicle: call.vehicle,
    appointmentId: call.appointmentId,
    tools: tools.map((t) => `${t.name}${t.error ? ' (failed)' : ''}`),
  };
  return `Call facts: ${JSON.stringify(facts)}\n\nTranscript:\n${transcriptText(lines) || '(nothing was said)'}`;
}

/** The JSON object in a model's answer (tolerates code fences and text around it). */
export function parseSummaryAnswer(text: string): CallSummaryResult {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) throw new Error('the summary answer contains no JSON object');
  let value: unknown;
  try {
    value = JSON.parse(text.slice(start, end + 1));
  } catch {
    throw new Error('the summary answer is not valid JSON');
  }
  const parsed = callSummarySchema.safeParse(value);
  if (!parsed.success) {
    throw new Error(
      `the summary answer does not match the schema: ${parsed.error.issues
        .map((i) => `${i.path.join('.') || '(root)'} ${i.message}`)
        .join('; ')}`,
    );
  }
  return parsed.data;
}

/**
 * Asks the model for the structured summary of a finished call and stores it on the call. A model
 * or parse failure marks the call `summary_status = 'failed'` with the error (retry with
 * `npm run calls -- summarize`). Returns whether it succeeded.
 */
export async function summarizeCall(
  db: Db,
  callId: string,
  model: lkllm.LLM,
  options: { logger: Logger },
): Promise<boolean> {
  const call = await getCall(db, callId);
  if (!call) throw new Error(`no call ${callId}`);
  await updateCall(db, callId, { summary: { status: 'pending', error: null } });
  try {
    const chatCtx = lkllm.ChatContext.empty();
    chatCtx.addMessage({ role: 'system', content: SUMMARY_INSTRUCTIONS });
    chatCtx.addMessage({ role: 'user', content: await summaryRequest(db, call) });
    const answer = await model.chat({ chatCtx }).collect();
    const summary = parseSummaryAnswer(answer.text);
    await updateCall(db, callId, {
      summary: {
        status: 'done',
        text: summary.summary,
        intent: summary.intent,
        sentiment: summary.sentiment,
        followUpNeeded: summary.followUpNeeded,
        tags: summary.tags,
        details: summary,
        error: null,
      },
    });
    return true;
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    await updateCall(db, callId, { summary: { status: 'failed', error: message } });
    options.logger.warn({ callId, err: message }, 'call summary failed');
    return false;
  }
}

/** Ids of calls whose summary failed, oldest first (for the retry command). */
export async function listFailedSummaries(db: Db, limit = 500): Promise<string[]> {
  const rows = await db
    .selectFrom('calls')
    .select('id')
    .where('summary_status', '=', 'failed')
    .orderBy('started_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
