import { llm } from '@livekit/agents';
import dedent from 'dedent';
import { z } from 'zod';
import type { CallOutcome } from '../../../calls/call.js';
import { type CallData, runInBackground } from '../../call-data.js';
import { defineTool } from './define-tool.js';

/** The outcome of a call the agent ends itself, from what happened on it. */
export function outcomeOnAgentHangUp(data: CallData): CallOutcome {
  const { facts } = data.call;
  if (facts.outcome) return facts.outcome;
  if (facts.appointmentId !== null) return 'appointment_booked';
  if (facts.callbackNumber) return 'callback_requested';
  return 'resolved';
}

/** How long a transfer waits for its target to be stored before the REFER goes out anyway. */
const TRANSFER_TARGET_STORE_WAIT_MS = 1_000;

export const transferToHuman = defineTool({
  name: 'transfer_to_human',
  description: dedent`
    Transfer the caller to a person at the dealership.
    Call when: the caller asks for a person, or needs something you cannot do (negotiating a price, a complaint).
    First call it with caller_confirmed false and ask "Shall I transfer you to <department> now?"; call again with
    caller_confirmed true once they agree. After a successful transfer say one short line; the call then leaves you.
    Do not call when: you can answer yourself, or the caller has not agreed.`,
  parameters: z.object({
    department: z.string().min(1).max(40).describe('Who to transfer to, e.g. "sales" or "service"'),
    reason: z.string().max(200).describe('Why, in a few words, for the person taking the call'),
    caller_confirmed: z.boolean(),
  }),
  execute: async ({ department, caller_confirmed }, { ctx }) => {
    const data = ctx.userData;
    const names = Object.keys(data.transferTargets);
    const key = department.trim().toLowerCase();
    const target =
      data.transferTargets[key] ??
      (names.length === 1 ? data.transferTargets[names[0]!] : undefined);
    const targetName = data.transferTargets[key] ? key : names.length === 1 ? names[0]! : key;
    if (!target) {
      throw new llm.ToolError(
        names.length === 0
          ? 'Nobody can take a transfer right now. Apologize and offer to take a callback number.'
          : `There is no "${department}" line. Available: ${names.join(', ')}.`,
      );
    }
    if (!caller_confirmed) {
      return {
        status: 'needs_confirmation',
        say: `Ask whether to transfer them to ${targetName} now.`,
      };
    }
    // The caller's leg closes as soon as the carrier takes the REFER, so LiveKit's participant_left
    // webhook can reach the API before LiveKit answers us. A stored target without an error tells
    // the webhook handler a transfer is in flight (it then leaves the call to us); so it must be in
    // the database before the REFER goes out. A dead database only delays the transfer briefly.
    data.call.update({ transferTarget: target, transferError: null, transferSipStatus: null });
    if (!(await data.queue.flushWithin(TRANSFER_TARGET_STORE_WAIT_MS))) {
      data.logger.warn({ targetName }, 'transfer target not stored yet; transferring anyway');
    }
    const result = await data.telephony.transferToHuman({ target, targetName });
    if (!result.ok) {
      data.call.update({
        transferError: result.error,
        transferSipStatus: result.sipStatusCode ?? null,
      });
      data.logger.warn(
        { targetName, sipStatus: result.sipStatusCode ?? null, err: result.error },
        'transfer to a person failed',
      );
      throw new llm.ToolError(
        `The ${targetName} line did not pick up. Apologize and offer to take a callback number instead.`,
      );
    }
    data.call.transition('transferred', `transferred to ${targetName}`, { outcome: 'transferred' });
    // The caller has been handed over: the agent's part of the call ends after this reply.
    ctx.speechHandle.addDoneCallback(() => ctx.session.shutdown({ reason: 'transferred' }));
    return { status: 'transferred', say: 'Say one short line: they are being connected now.' };
  },
});

export const endCall = defineTool({
  name: 'end_call',
  description: dedent`
    End the call after saying goodbye.
    Call when: the caller is done ("that's all, thanks, bye") and nothing is left open.
    Do not call when: the caller asks to hold, to be transferred, or might still have a question.
    After calling it, say only a short goodbye.`,
  parameters: z.object({
    reason: z.string().max(100).optional().describe('Why the call ends, in a few words'),
  }),
  execute: async ({ reason }, { ctx }) => {
    const data = ctx.userData;
    const outcome = outcomeOnAgentHangUp(data);
    if (data.call.canMoveTo('closing')) data.call.transition('closing', 'end_call');
    // Hang up once the goodbye has played (the same moment the framework's own end_call uses).
    ctx.speechHandle.addDoneCallback(() => {
      runInBackground(data, 'hang_up', async () => {
        data.call.transition('ended', 'agent ended the call', {
          outcome,
          endReason: 'agent_hangup',
        });
        await data.telephony.hangUp(reason ?? 'agent ended the call');
        ctx.session.shutdown({ reason: 'agent_hangup' });
      });
    });
    return { status: 'ending', say: 'Say a short goodbye and nothing else.' };
  },
});
