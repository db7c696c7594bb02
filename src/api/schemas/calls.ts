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
