import type { OpeningHours } from '../config/index.js';
import {
  addDays,
  type LocalDate,
  localDateOf,
  localMinuteOf,
  spokenDateTime,
  weekdayOf,
  zonedToUtc,
} from './zoned-time.js';

/** A bookable time, as stored (UTC ISO) and as read to the caller. */
export interface Slot {
  startsAt: string;
  endsAt: string;
  spoken: string;
}

export interface SlotRules {
  openingHours: OpeningHours;
  timezone: string;
  slotMinutes: number;
}

/** Every slot of the opening hours on `date` (local), whole slots only. */
export function slotsOnDate(date: LocalDate, rules: SlotRules): Slot[] {
  const slots: Slot[] = [];
  for (const interval of rules.openingHours[weekdayOf(date)] ?? []) {
    for (
      let minute = interval.openMinute;
      minute + rules.slotMinutes <= interval.closeMinute;
      minute += rules.slotMinutes
    ) {
      const start = zonedToUtc(date, minute, rules.timezone);
      const end = new Date(start.getTime() + rules.slotMinutes * 60_000);
      slots.push({
        startsAt: start.toISOString(),
        endsAt: end.toISOString(),
        spoken: spokenDateTime(start, rules.timezone),
      });
    }
  }
  return slots;
}

/** Whether `startsAt` is exactly the start of a slot of the opening hours. */
export function isSlotStart(startsAt: Date, rules: SlotRules): boolean {
  const iso = startsAt.toISOString();
  return slotsOnDate(localDateOf(startsAt, rules.timezone), rules).some((s) => s.startsAt === iso);
}

/**
 * Candidate slots from `fromDate` (local) for up to `days` days, starting no earlier than
 * `notBefore`, ordered by closeness to `preferredMinute` on each day (then by time).
 */
export function candidateSlots(options: {
  rules: SlotRules;
  fromDate: LocalDate;
  days: number;
  notBefore: Date;
  preferredMinute?: number;
}): Slot[] {
  const { rules, fromDate, days, notBefore, preferredMinute } = options;
  const result: Slot[] = [];
  for (let i = 0; i < days; i++) {
    const date = addDays(fromDate, i);
    const day = slotsOnDate(date, rules).filter(
      (s) => Date.parse(s.startsAt) >= notBefore.getTime(),
    );
    if (preferredMinute !== undefined) {
      const distance = (s: Slot) =>
        Math.abs(localMinuteOf(new Date(s.startsAt), rules.timezone) - preferredMinute);
      day.sort((a, b) => distance(a) - distance(b) || a.startsAt.localeCompare(b.startsAt));
    }
    result.push(...day);
  }
  return result;
}
