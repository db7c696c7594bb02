import { describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/helpers/databases.js';
import { createCall } from '../calls/call-repository.js';
import { parseOpeningHours } from '../config/index.js';
import {
  bookAppointment,
  findOpenSlots,
  InvalidSlotError,
  SlotTakenError,
} from './appointment-repository.js';
import { candidateSlots, isSlotStart, slotsOnDate, type SlotRules } from './appointment-slots.js';
import { parseLocalDate, spokenDateTime, zonedToUtc } from './zoned-time.js';

const rules: SlotRules = {
  openingHours: parseOpeningHours('mon-fri 09:00-12:00,13:00-19:00; sat 09:00-17:00'),
  timezone: 'America/New_York',
  slotMinutes: 30,
};
// Saturday 21 November 2026, 10:00 in New York.
const now = new Date('2026-11-21T15:00:00.000Z');

describe('appointment slots', () => {
  it('turns local opening hours into UTC slots, DST included', () => {
    const monday = slotsOnDate({ year: 2026, month: 11, day: 23 }, rules);
    expect(monday).toHaveLength(18);
    expect(monday[0]).toEqual({
      startsAt: '2026-11-23T14:00:00.000Z',
      endsAt: '2026-11-23T14:30:00.000Z',
      spoken: 'Monday, November 23 at 9:00 AM',
    });
    expect(monday.map((s) => s.startsAt)).not.toContain('2026-11-23T17:00:00.000Z'); // lunch
    // Summer time: 09:00 EDT is 13:00 UTC.
    expect(slotsOnDate({ year: 2026, month: 7, day: 6 }, rules)[0]?.startsAt).toBe(
      '2026-07-06T13:00:00.000Z',
    );
    expect(slotsOnDate({ year: 2026, month: 11, day: 22 }, rules)).toEqual([]); // Sunday
    expect(
      zonedToUtc({ year: 2026, month: 3, day: 8 }, 180, 'America/New_York').toISOString(),
    ).toBe('2026-03-08T07:00:00.000Z');
  });

  it('accepts only slot starts, and orders by closeness to the preferred time', () => {
    expect(isSlotStart(new Date('2026-11-23T14:30:00.000Z'), rules)).toBe(true);
    expect(isSlotStart(new Date('2026-11-23T14:15:00.000Z'), rules)).toBe(false);
    expect(isSlotStart(new Date('2026-11-23T17:00:00.000Z'), rules)).toBe(false);
    const slots = candidateSlots({
      rules,
      fromDate: { year: 2026, month: 11, day: 21 },
      days: 1,
      notBefore: now,
      preferredMinute: 14 * 60,
    });
    expect(slots[0]?.spoken).toBe('Saturday, November 21 at 2:00 PM');
    expect(slots.every((s) => Date.parse(s.startsAt) >= now.getTime())).toBe(true);
    expect(parseLocalDate('2026-02-30')).toBeNull();
    expect(spokenDateTime(new Date('2026-11-21T19:30:00.000Z'), rules.timezone)).toBe(
      'Saturday, November 21 at 2:30 PM',
    );
  });
});

describeEachDialect('appointments', (database) => {
  it('books a slot, hides it from open slots, and refuses a double booking under concurrency', async () => {
    const { db } = database();
    const calls = await Promise.all(
      [1, 2, 3].map((n) =>
        createCall(db, { roomName: `appt_${n}_${Date.now()}`, channel: 'simulator' }),
      ),
    );
    const testDriveSlots = () =>
      findOpenSlots(db, {
        kind: 'test_drive',
        rules,
        fromDate: { year: 2026, month: 11, day: 23 },
        now,
        preferredMinute: 10 * 60,
      });
    const open = await testDriveSlots();
    expect(open.map((s) => s.spoken)).toEqual([
      'Monday, November 23 at 10:00 AM',
      'Monday, November 23 at 9:30 AM',
      'Monday, November 23 at 10:30 AM',
    ]);
    const startsAt = open[0]!.startsAt;
    const attempts = await Promise.allSettled(
      calls.map((call, i) =>
        bookAppointment(
          db,
          { callId: call.id, kind: 'test_drive', startsAt, customerName: `Caller ${i}` },
          rules,
          now,
        ),
      ),
    );
    const booked = attempts.filter((a) => a.status === 'fulfilled');
    expect(booked).toHaveLength(1);
    for (const a of attempts.filter((x) => x.status === 'rejected')) {
      expect((a as PromiseRejectedResult).reason).toBeInstanceOf(SlotTakenError);
    }
    expect((booked[0] as PromiseFulfilledResult<{ startsAt: string }>).value.startsAt).toBe(
      startsAt,
    );
    // A service visit may take the same time: capacity is per kind.
    await expect(
      bookAppointment(
        db,
        { callId: null, kind: 'service', startsAt, customerName: 'S' },
        rules,
        now,
      ),
    ).resolves.toMatchObject({ kind: 'service', status: 'booked' });
    const after = await testDriveSlots();
    expect(after.map((s) => s.startsAt)).not.toContain(startsAt);
  });

  it('refuses times outside opening hours or in the past', async () => {
    const { db } = database();
    const book = (startsAt: string) =>
      bookAppointment(
        db,
        { callId: null, kind: 'service', startsAt, customerName: 'X' },
        rules,
        now,
      );
    await expect(book('2026-11-22T15:00:00.000Z')).rejects.toBeInstanceOf(InvalidSlotError);
    await expect(book('2026-11-20T15:00:00.000Z')).rejects.toBeInstanceOf(InvalidSlotError);
    await expect(book('garbage')).rejects.toBeInstanceOf(InvalidSlotError);
  });
});
