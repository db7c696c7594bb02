import type { Db } from '../db/index.js';
import type { CallVehicle } from '../calls/call.js';
import { candidateSlots, isSlotStart, type Slot, type SlotRules } from './appointment-slots.js';
import { type LocalDate } from './zoned-time.js';

export type AppointmentKind = 'test_drive' | 'service';

export interface Appointment {
  id: number;
  callId: string | null;
  kind: AppointmentKind;
  status: 'booked' | 'cancelled';
  startsAt: string;
  endsAt: string;
  customerName: string;
  callbackNumber: string | null;
  vin: string | null;
  vehicle: CallVehicle | null;
  notes: string | null;
  createdAt: string;
}

export interface NewAppointment {
  callId: string | null;
  kind: AppointmentKind;
  startsAt: string;
  customerName: string;
  callbackNumber?: string | null;
  vin?: string | null;
  vehicle?: CallVehicle | null;
  notes?: string | null;
}

/** The slot is booked already (possibly by a concurrent call a moment ago). */
export class SlotTakenError extends Error {
  constructor() {
    super('that time slot is already booked');
    this.name = 'SlotTakenError';
  }
}

/** The time is not the start of a slot within opening hours, or it is in the past. */
export class InvalidSlotError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'InvalidSlotError';
  }
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * Books a slot. The partial unique index on booked (kind, starts_at) decides between concurrent
 * callers: the loser gets `SlotTakenError`, never a double booking.
 */
export async function bookAppointment(
  db: Db,
  input: NewAppointment,
  rules: SlotRules,
  now = new Date(),
): Promise<Appointment> {
  const start = new Date(input.startsAt);
  if (Number.isNaN(start.getTime())) throw new InvalidSlotError('not a valid time');
  if (start.getTime() <= now.getTime()) throw new InvalidSlotError('that time has passed');
  if (!isSlotStart(start, rules)) throw new InvalidSlotError('not a slot within opening hours');
  const end = new Date(start.getTime() + rules.slotMinutes * 60_000);
  const stamp = now.toISOString();
  try {
    const row = await db
      .insertInto('appointments')
      .values({
        call_id: input.callId,
        kind: input.kind,
        starts_at: start.toISOString(),
        ends_at: end.toISOString(),
        customer_name: input.customerName,
        callback_number: input.callbackNumber ?? null,
        vin: input.vin ?? null,
        vehicle_json: input.vehicle ? JSON.stringify(input.vehicle) : null,
        notes: input.notes ?? null,
        created_at: stamp,
        updated_at: stamp,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return (await getAppointment(db, row.id)) as Appointment;
  } catch (error) {
    if (isUniqueViolation(error)) throw new SlotTakenError();
    throw error;
  }
}

/** The appointment with this id, or null. */
export async function getAppointment(db: Db, id: number): Promise<Appointment | null> {
  const row = await db
    .selectFrom('appointments')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    callId: row.call_id,
    kind: row.kind,
    status: row.status,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    customerName: row.customer_name,
    callbackNumber: row.callback_number,
    vin: row.vin,
    vehicle: row.vehicle_json ? (JSON.parse(row.vehicle_json) as CallVehicle) : null,
    notes: row.notes,
    createdAt: row.created_at,
  };
}

/** Open slots of a kind from a local date on, nearest the preferred time first each day. */
export async function findOpenSlots(
  db: Db,
  options: {
    kind: AppointmentKind;
    rules: SlotRules;
    fromDate: LocalDate;
    now: Date;
    preferredMinute?: number;
    days?: number;
    limit?: number;
    /** Earliest bookable time, as minutes after now (default 60). */
    leadMinutes?: number;
  },
): Promise<Slot[]> {
  const notBefore = new Date(options.now.getTime() + (options.leadMinutes ?? 60) * 60_000);
  const candidates = candidateSlots({
    rules: options.rules,
    fromDate: options.fromDate,
    days: options.days ?? 7,
    notBefore,
    preferredMinute: options.preferredMinute,
  });
  if (candidates.length === 0) return [];
  const times = candidates.map((c) => Date.parse(c.startsAt));
  const booked = await db
    .selectFrom('appointments')
    .select('starts_at')
    .where('kind', '=', options.kind)
    .where('status', '=', 'booked')
    .where('starts_at', '>=', new Date(Math.min(...times)).toISOString())
    .where('starts_at', '<=', new Date(Math.max(...times)).toISOString())
    .execute();
  const taken = new Set(booked.map((b) => Date.parse(b.starts_at)));
  return candidates.filter((c) => !taken.has(Date.parse(c.startsAt))).slice(0, options.limit ?? 3);
}
