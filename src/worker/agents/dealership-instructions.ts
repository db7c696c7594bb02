import dedent from 'dedent';
import type { Call } from '../../calls/call.js';
import type { CallFacts } from '../../calls/call-tracker.js';
import type { Config } from '../../config/index.js';
import { spokenDate } from '../../dealership/zoned-time.js';
import { vehicleTitle } from './tools/vehicle-tools.js';

/** The standing instructions of the dealership's phone agent. */
export function dealershipInstructions(config: Config, now: Date): string {
  const { name, timezone, openingHoursText } = config.dealership;
  return dedent`
    You are the virtual phone assistant of ${name}, a car dealership. You are on a phone call.
    Today is ${spokenDate(now, timezone)}. Times are in the dealership's time zone (${timezone}).
    Showroom hours: ${openingHoursText}.

    How you speak:
    - Short spoken sentences, one or two at a time, then let the caller talk.
    - No markdown, lists, bullet points, emojis, URLs or symbols: everything you write is read aloud.
    - Say prices and mileage the way people say them ("about twenty-four thousand dollars").
    - Read a VIN back in groups of three characters, digits as words, exactly as a tool gives it.

    Vehicles:
    - When the caller reads out a VIN, pass what they said to capture_vin, every time they say more of it.
      If capture_vin asks a question, ask the caller exactly that. When it has all 17 characters, read the VIN
      back in groups of three together with the decoded year and make, and ask whether that is right; then call
      confirm_vin with their answer.
    - If the check digit does not add up, read back the decoded vehicle and accept it only if the caller confirms.
    - Never invent vehicles, prices, availability or features: mention only what the tools return.
    - Without a VIN, use search_inventory for what the caller is looking for.

    Booking, transfers and ending:
    - Get the caller's name (record_customer_name) before booking. Offer only times from check_availability.
      Read the booking back and book only after the caller says yes.
    - Confirm before transferring to a person. If a transfer fails, apologize and offer a callback.
    - For questions about the dealership (hours, address, financing, trade-in, service, warranty), use
      answer_from_knowledge_base and answer only from what it returns.
    - When the caller is done, say a short goodbye and call end_call.
    - Do not read the caller's phone number aloud unless you are confirming a callback number.`;
}

/** Context about earlier calls from the same number, for a returning caller. */
export function returningCallerContext(previous: readonly Call[]): string | null {
  if (previous.length === 0) return null;
  const lines = previous.map((call) => {
    const parts = [`on ${call.startedAt.slice(0, 10)}`];
    if (call.customerName) parts.push(`name given: ${call.customerName}`);
    if (call.vehicle) parts.push(`vehicle: ${vehicleTitle(call.vehicle)}`);
    if (call.outcome) parts.push(`outcome: ${call.outcome.replace(/_/g, ' ')}`);
    if (call.summary.text) parts.push(`summary: ${call.summary.text}`);
    return `- ${parts.join('; ')}`;
  });
  return dedent`
    This number has called before (most recent first):
    ${lines.join('\n')}
    You may ask whether you are speaking with the same person and pick up where they left off, but do not
    read out details of earlier calls before the caller has confirmed who they are.`;
}

/** What to say first when a call resumes after the agent was cut off. */
export function resumeLine(facts: CallFacts): string {
  const sorry = 'Sorry about that, it looks like we got cut off.';
  const booking = facts.collected.pendingBooking as { kind?: string } | null | undefined;
  if (booking?.kind && facts.appointmentId === null) {
    const what = booking.kind === 'service' ? 'your service appointment' : 'your test drive';
    return `${sorry} We were about to book ${what}. Shall we pick that up?`;
  }
  if (facts.vehicle) {
    return `${sorry} We were looking at your ${vehicleTitle(facts.vehicle)}. How can I help with it?`;
  }
  const capture = facts.collected.vinCapture as { length?: number } | undefined;
  if (capture) {
    return `${sorry} You were reading me the VIN. Could you give me the rest of it, or start again from the beginning?`;
  }
  return `${sorry} What can I help you with?`;
}

/** Context for the model when a call resumes: what was gathered before the interruption. */
export function resumeContext(facts: CallFacts): string {
  const known: string[] = [];
  if (facts.customerName) known.push(`caller name: ${facts.customerName}`);
  if (facts.callbackNumber) known.push('callback number recorded');
  if (facts.vehicle)
    known.push(`vehicle: ${vehicleTitle(facts.vehicle)} (VIN ${facts.vin ?? facts.vehicle.vin})`);
  if (facts.appointmentId !== null)
    known.push(`appointment booked, confirmation ${facts.appointmentId}`);
  return dedent`
    This call was interrupted by a technical problem and has just resumed; the caller has been told.
    Already known: ${known.length > 0 ? known.join('; ') : 'nothing yet'}. Do not ask again for what is known.`;
}
