import { z } from 'zod';
import { CALL_OUTCOMES, CALL_STATES } from '../../calls/index.js';

export const callVehicleSchema = z.object({
  vin: z.string(),
  year: z.number().nullable(),
  make: z.string().nullable(),
  model: z.string().nullable(),
  trim: z.string().nullable().optional(),
  inInventory: z.boolean(),
  price: z.number().nullable().optional(),
  status: z.string().nullable().optional(),
});

/** One row of the calls list. Phone numbers are masked for viewers when configured. */
export const callListItemSchema = z.object({
  id: z.string(),
  channel: z.enum(['sip', 'web', 'simulator']),
  state: z.enum(CALL_STATES),
  outcome: z.enum(CALL_OUTCOMES).nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  callerNumber: z.string().nullable(),
  customerName: z.string().nullable(),
  vin: z.string().nullable(),
  vehicle: callVehicleSchema.nullable(),
  summary: z.string().nullable(),
  tags: z.array(z.string()),
});

export const callSummarySchema = z.object({
  status: z.enum(['pending', 'done', 'failed']).nullable(),
  text: z.string().nullable(),
  intent: z.string().nullable(),
  sentiment: z.string().nullable(),
  followUpNeeded: z.boolean().nullable(),
  tags: z.array(z.string()),
  details: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
});

export const callTransitionSchema = z.object({
  from: z.enum(CALL_STATES),
  to: z.enum(CALL_STATES),
  reason: z.string(),
  at: z.string(),
});

/** One transcript line; `offsetMs` is where it starts in the recording (null when unknown). */
export const transcriptLineSchema = z.object({
  itemId: z.string(),
  role: z.enum(['user', 'assistant', 'system']),
  text: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  offsetMs: z.number().nullable(),
  interrupted: z.boolean(),
});

export const toolCallSchema = z.object({
  toolCallId: z.string(),
  name: z.string(),
  arguments: z.unknown(),
  output: z.unknown(),
  error: z.string().nullable(),
  startedAt: z.string(),
  offsetMs: z.number().nullable(),
  durationMs: z.number().nullable(),
});

/** Latency of one agent turn by stage, in milliseconds. */
export const turnMetricsSchema = z.object({
  speechId: z.string(),
  endOfUtteranceMs: z.number().nullable(),
  transcriptionDelayMs: z.number().nullable(),
  sttMs: z.number().nullable(),
  llmTtftMs: z.number().nullable(),
  llmDurationMs: z.number().nullable(),
  ttsTtfbMs: z.number().nullable(),
  totalMs: z.number().nullable(),
});

/** The call's recording as the console plays it; `downloadUrl` is null for roles that may not download. */
export const callRecordingSchema = z.object({
  id: z.string(),
  mode: z.enum(['egress', 'agent']),
  status: z.enum(['recording', 'pending', 'uploaded', 'failed']),
  contentType: z.string(),
  durationMs: z.number().nullable(),
  startedAt: z.string(),
  audioUrl: z.string(),
  downloadUrl: z.string().nullable(),
});
