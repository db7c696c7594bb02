import type { CallState } from './call-states.js';

/** How a call reached us. */
export type CallChannel = 'sip' | 'web' | 'simulator';

/** What the call achieved, from the dealership's point of view. */
export const CALL_OUTCOMES = [
  'resolved',
  'appointment_booked',
  'transferred',
  'callback_requested',
  'hung_up',
  'failed',
] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** The vehicle the call was about: decoded from the VIN and, when in stock, the inventory row. */
export interface CallVehicle {
  vin: string;
  year: number | null;
  make: string | null;
  model: string | null;
  trim?: string | null;
  inInventory: boolean;
  price?: number | null;
  status?: string | null;
}

/** The post-call summary as the summarizer stored it. */
export interface CallSummary {
  status: 'pending' | 'done' | 'failed' | null;
  text: string | null;
  intent: string | null;
  sentiment: string | null;
  followUpNeeded: boolean | null;
  tags: string[];
  /** The full structured summary (the zod schema's output). */
  details: Record<string, unknown> | null;
  error: string | null;
}

/** One phone or web call. */
export interface Call {
  id: string;
  roomName: string;
  channel: CallChannel;
  jobId: string | null;
  callerIdentity: string | null;
  callerNumber: string | null;
  dialedNumber: string | null;
  sipCallId: string | null;
  sipTrunkId: string | null;
  sipRuleId: string | null;
  state: CallState;
  outcome: CallOutcome | null;
  endReason: string | null;
  startedAt: string;
  endedAt: string | null;
  /** Milliseconds from start to end; null while the call is in progress. */
  durationMs: number | null;
  customerName: string | null;
  callbackNumber: string | null;
  vin: string | null;
  vehicle: CallVehicle | null;
  appointmentId: number | null;
  /** What the agent gathered that is needed to resume after a crash (e.g. the VIN capture state). */
  collected: Record<string, unknown>;
  transfer: { target: string | null; error: string | null; sipStatus: number | null };
  summary: CallSummary;
  createdAt: string;
  updatedAt: string;
}

/** Who is calling and how the call reached us: known at the start, or filled in once it is. */
export interface CallOrigin {
  jobId?: string | null;
  callerIdentity?: string | null;
  callerNumber?: string | null;
  dialedNumber?: string | null;
  sipCallId?: string | null;
  sipTrunkId?: string | null;
  sipRuleId?: string | null;
}

/** What creating a call needs; the rest starts empty. */
export interface NewCall extends CallOrigin {
  id?: string;
  roomName: string;
  channel: CallChannel;
  startedAt?: string;
}

/** Fields that may change during a call (never the state: see `transitionCall`). */
export interface CallPatch extends CallOrigin {
  outcome?: CallOutcome | null;
  endReason?: string | null;
  endedAt?: string | null;
  customerName?: string | null;
  callbackNumber?: string | null;
  vin?: string | null;
  vehicle?: CallVehicle | null;
  appointmentId?: number | null;
  collected?: Record<string, unknown>;
  transferTarget?: string | null;
  transferError?: string | null;
  transferSipStatus?: number | null;
  summary?: Partial<Omit<CallSummary, 'tags' | 'details'>> & {
    tags?: string[];
    details?: Record<string, unknown> | null;
  };
}
