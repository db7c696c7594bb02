import { llm } from '@livekit/agents';
import dedent from 'dedent';
import { z } from 'zod';
import { VinCapture, type VinCaptureResult } from '../../../vehicle-lookup/vin-capture.js';
import { decodeVin } from '../../../vehicle-lookup/vin-decoder.js';
import { spellVinForSpeech } from '../../../vehicle-lookup/vin-speech.js';
import type { CallData } from '../../call-data.js';
import { noteGathering } from './customer-tools.js';
import { defineTool } from './define-tool.js';
import { lookUpAndRecord } from './vehicle-tools.js';

/** Resume state key in `calls.collected_json`. */
const CAPTURE_KEY = 'vinCapture';
/** A 17-character reading whose check digit fails, offered to the caller for confirmation. */
const UNCHECKED_KEY = 'uncheckedVin';

const captures = new WeakMap<CallData, VinCapture>();

/** The call's VIN capture: in memory, restored from the call record after a resume. */
export function vinCaptureFor(data: CallData): VinCapture {
  let capture = captures.get(data);
  if (!capture) {
    const saved = data.call.facts.collected[CAPTURE_KEY];
    try {
      capture = saved ? VinCapture.fromJSON(saved) : undefined;
    } catch {
      data.logger.warn('stored VIN capture could not be restored; starting over');
    }
    capture ??= new VinCapture({ currentYear: data.clock().getUTCFullYear() + 1 });
    captures.set(data, capture);
  }
  return capture;
}

function readBack(vin: string) {
  const decode = decodeVin(vin, {});
  return {
    vin,
    read_back: spellVinForSpeech(vin),
    decoded: { year: decode.modelYear, make: decode.make },
    structurally_valid: decode.valid,
    check_digit_ok: decode.checkDigit.ok,
  };
}

/** What capture_vin and confirm_vin tell the model, from where the capture stands. */
function describeCapture(data: CallData, result: VinCaptureResult) {
  const capture = vinCaptureFor(data);
  data.call.remember({ [CAPTURE_KEY]: capture.toJSON(), [UNCHECKED_KEY]: null });
  if (result.vin !== null) {
    return {
      status: 'complete',
      ...readBack(result.vin),
      say: 'Read the VIN back in groups of three with the decoded year and make, ask if that is right, then call confirm_vin.',
    };
  }
  if (result.status === 'ambiguous') {
    return {
      status: 'needs_answer',
      characters_heard: result.collected.length,
      ask: result.question ?? 'Ask the caller to read the VIN again, three characters at a time.',
    };
  }
  if (result.collected.length >= 17) {
    const reading = readBack(result.collected.slice(0, 17));
    if (reading.structurally_valid && !reading.check_digit_ok) {
      // Real vehicles carry wrong check digits; the caller decides, after hearing the vehicle.
      data.call.remember({ [UNCHECKED_KEY]: reading.vin });
      return {
        status: 'check_digit_warning',
        ...reading,
        say: 'The check digit does not add up. Read the VIN back with the decoded year and make; accept it (confirm_vin) only if the caller confirms both.',
      };
    }
    return {
      status: 'unclear',
      ask: result.question ?? 'Ask the caller to read the VIN again, three characters at a time.',
    };
  }
  return {
    status: result.collected.length === 0 ? 'nothing_yet' : 'incomplete',
    characters_heard: result.collected.length,
    characters_missing: result.missing,
    ask: result.question ?? 'Ask for the next characters.',
  };
}

export const captureVin = defineTool({
  name: 'capture_vin',
  description: dedent`
    Collect a VIN the caller reads out, over as many turns as it takes. Pass the caller's words about the VIN
    exactly as heard, including corrections ("the fifth one is M as in Mike", "scratch that").
    Call when: the caller is reading, correcting or continuing a VIN, or answering your question about one.
    Do not call when: the caller talks about something else. Ask the question it returns, word for word.`,
  parameters: z.object({
    heard: z.string().min(1).max(500).describe("The caller's words, verbatim"),
    start_over: z.boolean().optional().describe('True when the caller starts a different VIN'),
  }),
  execute: async ({ heard, start_over }, { ctx }) => {
    const data = ctx.userData;
    noteGathering(data, 'caller reading a VIN');
    const capture = vinCaptureFor(data);
    if (start_over) capture.reset();
    return describeCapture(data, capture.hear(heard));
  },
});

export const confirmVin = defineTool({
  name: 'confirm_vin',
  description: dedent`
    Record the caller's answer to your read-back of the VIN. When confirmed, it looks the vehicle up.
    Call when: you read back the VIN from capture_vin and the caller said yes, or said no (pass their correction).
    Do not call when: you have not read the VIN back yet.`,
  parameters: z.object({
    caller_confirmed: z.boolean(),
    correction: z.string().max(300).optional().describe('What the caller said is wrong, verbatim'),
  }),
  execute: async ({ caller_confirmed, correction }, { ctx }) => {
    const data = ctx.userData;
    const capture = vinCaptureFor(data);
    if (!caller_confirmed) {
      const heard = correction?.trim() ? `no, ${correction}` : 'no';
      const result = capture.hear(heard);
      if (result.vin !== null && result.action === 'ignored') {
        data.call.remember({ [CAPTURE_KEY]: capture.toJSON(), [UNCHECKED_KEY]: null });
        return { status: 'needs_correction', ask: result.question ?? 'Ask which part is wrong.' };
      }
      return describeCapture(data, result);
    }
    const unchecked = data.call.facts.collected[UNCHECKED_KEY];
    const result = capture.confirm();
    const vin = result.vin ?? (typeof unchecked === 'string' ? unchecked : null);
    if (!vin) {
      throw new llm.ToolError(
        'There is no complete VIN to confirm yet. Keep collecting it with capture_vin.',
      );
    }
    const lookup = await lookUpAndRecord(data, vin, 'VIN confirmed by the caller');
    data.call.remember({ [CAPTURE_KEY]: null, [UNCHECKED_KEY]: null });
    captures.delete(data);
    return lookup;
  },
});

export const enterVinOnKeypad = defineTool({
  name: 'enter_vin_on_keypad',
  description: dedent`
    Let the caller key in the last six digits of the VIN on the phone keypad instead of reading them.
    Call when: reading the VIN aloud keeps failing, or the caller prefers the keypad.
    Do not call when: the caller is reading the VIN without trouble.`,
  parameters: z.object({}),
  execute: async (_args, { ctx }) => {
    const keypad = ctx.userData.keypad;
    if (!keypad) {
      throw new llm.ToolError(
        'The keypad is not available on this call; ask the caller to read the VIN.',
      );
    }
    keypad.beginSerialEntry();
    return {
      status: 'listening',
      say: 'Ask the caller to key in the last six digits of the VIN, then press pound.',
    };
  },
});

export const vinTools = [captureVin, confirmVin, enterVinOnKeypad];
