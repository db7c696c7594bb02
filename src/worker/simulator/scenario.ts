import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import { CALL_STATES } from '../../calls/call-states.js';
import { CALL_OUTCOMES } from '../../calls/call.js';

const toolCall = z.strictObject({
  name: z.string().min(1),
  args: z.record(z.string(), z.unknown()).default({}),
});

/** One scripted model answer: tool calls, or what the agent says. */
const reply = z.strictObject({
  tool_calls: z.array(toolCall).optional(),
  content: z.string().optional(),
});

const turn = z.union([
  z.strictObject({
    user: z.string().min(1),
    /** What the scripted model answers in this turn, in order (ignored with a real LLM). */
    replies: z.array(reply).default([]),
  }),
  /** The worker dies here: the session is dropped without ending the call; a new one resumes it. */
  z.strictObject({ crash: z.literal(true) }),
  /** The caller hangs up here. */
  z.strictObject({ hangup: z.literal(true) }),
]);

const expectations = z.strictObject({
  /** Tool names that must have been called, in this order (others may come between). */
  tools: z.array(z.string()).default([]),
  /** Tools that must not have been called. */
  tools_not_called: z.array(z.string()).default([]),
  /** The full state path, from `initializing`. */
  states: z.array(z.enum(CALL_STATES)).optional(),
  final_state: z.enum(CALL_STATES).optional(),
  outcome: z.enum(CALL_OUTCOMES).optional(),
  /** Case-insensitive phrases the transcript must contain. */
  transcript_contains: z.array(z.string()).default([]),
  stored: z
    .strictObject({
      customer_name: z.string().optional(),
      callback_number: z.string().optional(),
      vin: z.string().optional(),
      vehicle: z.string().optional(),
      appointment_booked: z.boolean().optional(),
      transfer_target: z.string().optional(),
    })
    .default({}),
  telephony: z.array(z.enum(['transfer', 'hangup'])).optional(),
  resumed: z.boolean().optional(),
});

export const scenarioSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().default(''),
  caller: z
    .strictObject({
      number: z.string().nullable().default('+15550100199'),
      channel: z.enum(['sip', 'web', 'simulator']).default('simulator'),
    })
    .prefault({}),
  /** The clock the agent sees (ISO-8601); default: now. */
  now: z.iso.datetime({ offset: true }).optional(),
  /** Earlier calls from the same number, for returning-caller scenarios. */
  previous_calls: z
    .array(
      z.strictObject({
        customer_name: z.string().optional(),
        vin: z.string().optional(),
        outcome: z.enum(CALL_OUTCOMES).optional(),
        summary: z.string().optional(),
      }),
    )
    .default([]),
  transfer_result: z
    .strictObject({
      ok: z.boolean(),
      error: z.string().optional(),
      sip_status: z.number().optional(),
    })
    .optional(),
  turns: z.array(turn).min(1),
  expect: expectations.prefault({}),
});

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioTurn = Scenario['turns'][number];
export type ScriptedReply = z.output<typeof reply>;

/** Reads and validates a scenario file; errors name the file and every problem. */
export async function loadScenario(file: string): Promise<Scenario> {
  const text = await readFile(file, 'utf8');
  const result = scenarioSchema.safeParse(parse(text));
  if (!result.success) {
    const problems = result.error.issues.map(
      (i) => `${i.path.join('.') || '(root)'}: ${i.message}`,
    );
    throw new Error(`${file}: invalid scenario\n  ${problems.join('\n  ')}`);
  }
  return result.data;
}
