import { llm } from '@livekit/agents';
import dedent from 'dedent';
import { z } from 'zod';
import { isRetryableDbError } from '../../../calls/write-queue.js';
import {
  type AppointmentKind,
  bookAppointment,
  findOpenSlots,
  InvalidSlotError,
  SlotTakenError,
} from '../../../dealership/appointment-repository.js';
import type { SlotRules } from '../../../dealership/appointment-slots.js';
import {
  localDateOf,
  localMinuteOf,
  parseLocalDate,
  spokenDateTime,
} from '../../../dealership/zoned-time.js';
import type { CallData } from '../../call-data.js';
import { defineTool } from './define-tool.js';
import { vehicleTitle } from './vehicle-tools.js';

const KIND_WORDS: Record<AppointmentKind, string> = {
  test_drive: 'test drive',
  service: 'service appointment',
};

function slotRules(data: CallData): SlotRules {
  const { openingHours, timezone, appointmentSlotMinutes } = data.config.dealership;
  return { openingHours, timezone, slotMinutes: appointmentSlotMinutes };
}

async function openSlots(
  data: CallData,
  kind: AppointmentKind,
  preferredDate?: string,
  preferredTime?: string,
) {
  const now = data.clock();
  const rules = slotRules(data);
  const today = localDateOf(now, rules.timezone);
  const requested = preferredDate ? parseLocalDate(preferredDate) : null;
  const time = preferredTime ? /^(\d{1,2}):(\d{2})$/.exec(preferredTime) : null;
  return findOpenSlots(data.db, {
    kind,
    rules,
    now,
    fromDate: requested ?? today,
    preferredMinute: time ? Number(time[1]) * 60 + Number(time[2]) : undefined,
    limit: 3,
  });
}

const pad = (n: number) => String(n).padStart(2, '0');

const kindSchema = z.enum(['test_drive', 'service']);

export const checkAvailability = defineTool({
  name: 'check_availability',
  description: dedent`
    Find open appointment times for a test drive or a service visit.
    Call when: the caller wants to book and you need times to offer, or their preferred time was taken.
    Do not call when: nobody asked to book. Offer at most the times this returns, never others.`,
  parameters: z.object({
    kind: kindSchema,
    preferred_date: z.string().optional().describe('YYYY-MM-DD in the dealership time zone'),
    preferred_time: z.string().optional().describe('HH:MM, 24-hour, in the dealership time zone'),
  }),
  execute: async ({ kind, preferred_date, preferred_time }, { ctx }) => {
    const slots = await openSlots(ctx.userData, kind, preferred_date, preferred_time);
    if (slots.length === 0) {
      return { slots: [], say: 'No open times in the next week; offer a callback instead.' };
    }
    return { slots: slots.map((s) => ({ starts_at: s.startsAt, spoken: s.spoken })) };
  },
});

/** Retries an awaited write on a busy database a few times (the booking must know the result). */
async function withBusyRetry<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isRetryableDbError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
    }
  }
}

export const bookAppointmentTool = defineTool({
  name: 'book_appointment',
  description: dedent`
    Book a test drive or service visit at a time from check_availability.
    Call first with caller_confirmed false: it returns the read-back to say. Call again with caller_confirmed true
    only after the caller said yes to that read-back.
    Do not call when: you have no time from check_availability, or you do not have the caller's name yet.`,
  parameters: z.object({
    kind: kindSchema,
    starts_at: z.string().describe('The starts_at value from check_availability'),
    caller_confirmed: z.boolean(),
    notes: z.string().max(300).optional().describe('What the service visit is for, or which car'),
  }),
  execute: async ({ kind, starts_at, caller_confirmed, notes }, { ctx }) => {
    const data = ctx.userData;
    const { facts } = data.call;
    if (!facts.customerName) {
      throw new llm.ToolError('Ask for the caller name and record it before booking.');
    }
    const rules = slotRules(data);
    const start = new Date(starts_at);
    if (Number.isNaN(start.getTime())) {
      throw new llm.ToolError('Use a starts_at value exactly as check_availability returned it.');
    }
    const vehicle = facts.vehicle ? ` for the ${vehicleTitle(facts.vehicle)}` : '';
    const readBack = `A ${KIND_WORDS[kind]}${vehicle} on ${spokenDateTime(start, rules.timezone)}, under the name ${facts.customerName}.`;
    if (!caller_confirmed) {
      data.call.remember({ pendingBooking: { kind, startsAt: start.toISOString() } });
      return {
        status: 'needs_confirmation',
        read_back: readBack,
        say: 'Read this back and ask the caller to confirm.',
      };
    }
    try {
      const appointment = await withBusyRetry(() =>
        bookAppointment(
          data.db,
          {
            callId: data.call.id,
            kind,
            startsAt: start.toISOString(),
            customerName: facts.customerName ?? '',
            callbackNumber: facts.callbackNumber ?? data.call.callerNumber,
            vin: facts.vin,
            vehicle: facts.vehicle,
            notes: notes ?? null,
          },
          rules,
          data.clock(),
        ),
      );
      data.call.transition('closing', 'appointment booked', {
        appointmentId: appointment.id,
        outcome: 'appointment_booked',
        collected: { ...facts.collected, pendingBooking: null },
      });
      return { status: 'booked', confirmation_number: appointment.id, booked: readBack };
    } catch (error) {
      if (error instanceof SlotTakenError) {
        const day = localDateOf(start, rules.timezone);
        const minute = localMinuteOf(start, rules.timezone);
        const alternatives = await openSlots(
          data,
          kind,
          `${day.year}-${pad(day.month)}-${pad(day.day)}`,
          `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`,
        );
        throw new llm.ToolError(
          `That time was just taken by another caller. Apologize and offer: ${
            alternatives.map((s) => `${s.spoken} (starts_at ${s.startsAt})`).join('; ') ||
            'a callback, as no other time is open this week'
          }.`,
        );
      }
      if (error instanceof InvalidSlotError) {
        throw new llm.ToolError(
          'That time cannot be booked (outside opening hours or already past). Use check_availability.',
        );
      }
      throw error;
    }
  },
});
