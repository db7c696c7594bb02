import { llm } from '@livekit/agents';
import dedent from 'dedent';
import { z } from 'zod';
import type { CallState } from '../../../calls/call-states.js';
import type { CallData } from '../../call-data.js';
import { defineTool } from './define-tool.js';

/** Moves a call that is still greeting into information gathering (the caller told us something). */
export function noteGathering(data: CallData, reason: string): void {
  const from: CallState = data.call.state;
  if (from === 'greeting' || from === 'providing_details' || from === 'closing') {
    data.call.transition('information_gathering', reason);
  }
}

/** A North American or international number as E.164, or null when it cannot be one. */
export function normalizePhoneNumber(input: string): string | null {
  const trimmed = input.trim();
  const digits = trimmed.replace(/\D/g, '');
  if (trimmed.startsWith('+'))
    return digits.length >= 8 && digits.length <= 15 ? `+${digits}` : null;
  if (digits.length === 10) return `+1${digits}`;
  if (digits.length === 11 && digits.startsWith('1')) return `+${digits}`;
  return null;
}

/** "5 5 5, 0 1 0, 0 1 2 3": a US number in the groups people say; others digit by digit. */
export function spokenPhoneNumber(e164: string): string {
  const digits = e164.replace(/\D/g, '');
  const local = digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
  const groups =
    local.length === 10 ? [local.slice(0, 3), local.slice(3, 6), local.slice(6)] : [local];
  return groups.map((g) => g.split('').join(' ')).join(', ');
}

export const recordCustomerName = defineTool({
  name: 'record_customer_name',
  description: dedent`
    Save the caller's name once they have said it (spelled if they spelled it).
    Call when: the caller tells you their name, or corrects it.
    Do not call when: you are only guessing a name, or the name is someone else's (a spouse, a salesperson).`,
  parameters: z.object({
    name: z.string().min(1).max(100).describe('The name as the caller gave it, e.g. "Dana Reyes"'),
  }),
  execute: async ({ name }, { ctx }) => {
    const data = ctx.userData;
    const clean = name.trim().replace(/\s+/g, ' ');
    if (!/\p{L}/u.test(clean))
      throw new llm.ToolError('That does not sound like a name; ask again.');
    noteGathering(data, 'caller gave their name');
    data.call.update({ customerName: clean });
    return { saved: true, name: clean };
  },
});

export const recordCallbackNumber = defineTool({
  name: 'record_callback_number',
  description: dedent`
    Save the number to call the caller back on. Without a number, saves the number they are calling from.
    Call when: the caller wants a callback, or you need a number for a booking; after they give or confirm a number.
    Do not call when: the caller has not agreed to be called back. Read the saved number back digit by digit.`,
  parameters: z.object({
    number: z
      .string()
      .max(40)
      .optional()
      .describe(
        'The number the caller said, digits as heard; omit to use the number they are calling from',
      ),
  }),
  execute: async ({ number }, { ctx }) => {
    const data = ctx.userData;
    const source = number?.trim() ? number : data.call.callerNumber;
    if (!source) {
      throw new llm.ToolError(
        'The number they are calling from is not known. Ask the caller for a callback number.',
      );
    }
    const e164 = normalizePhoneNumber(source);
    if (!e164) {
      throw new llm.ToolError(
        'That is not a complete phone number. Ask for the full number including the area code.',
      );
    }
    noteGathering(data, 'caller gave a callback number');
    data.call.update({ callbackNumber: e164 });
    return { saved: true, read_back: spokenPhoneNumber(e164), is_caller_number: !number?.trim() };
  },
});
