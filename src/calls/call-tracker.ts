import type { Logger } from '../observability/logger.js';
import type { Call, CallOutcome, CallPatch, CallVehicle } from './call.js';
import { changeCallState, patchCall } from './call-repository.js';
import { type CallState, canTransition, isTerminal } from './call-states.js';
import type { Db } from '../db/index.js';
import type { WriteQueue } from './write-queue.js';

/** What the agent has gathered on a call; restored as-is when a call resumes. */
export interface CallFacts {
  customerName: string | null;
  callbackNumber: string | null;
  vin: string | null;
  vehicle: CallVehicle | null;
  appointmentId: number | null;
  outcome: CallOutcome | null;
  /** Free-form resume state (e.g. the VIN capture in progress, the appointment read-back). */
  collected: Record<string, unknown>;
}

export interface CallTrackerOptions {
  db: Db;
  queue: WriteQueue;
  logger: Logger;
  clock?: () => Date;
}

/**
 * The live view of one call in the worker: its state and what the agent gathered, kept in memory
 * so tools and session events read and change it without waiting on the database. Every change is
 * checked against the state machine at once (an invalid transition is rejected and logged, never
 * applied) and then persisted in order through the write queue; a transition and its data patch
 * land in one transaction (`changeCallState`). Writes never read the call back: this is the copy.
 */
export class CallTracker {
  readonly id: string;
  readonly roomName: string;
  readonly callerNumber: string | null;
  readonly startedAt: string;
  #state: CallState;
  #facts: CallFacts;
  readonly #path: CallState[];
  readonly #db: Db;
  readonly #queue: WriteQueue;
  readonly #logger: Logger;
  readonly #clock: () => Date;

  constructor(call: Call, options: CallTrackerOptions) {
    this.id = call.id;
    this.roomName = call.roomName;
    this.callerNumber = call.callerNumber;
    this.startedAt = call.startedAt;
    this.#state = call.state;
    this.#path = [call.state];
    this.#facts = {
      customerName: call.customerName,
      callbackNumber: call.callbackNumber,
      vin: call.vin,
      vehicle: call.vehicle,
      appointmentId: call.appointmentId,
      outcome: call.outcome,
      collected: { ...call.collected },
    };
    this.#db = options.db;
    this.#queue = options.queue;
    this.#logger = options.logger;
    this.#clock = options.clock ?? (() => new Date());
  }

  get state(): CallState {
    return this.#state;
  }

  /** States this tracker has been in, starting with the one it was created or resumed in. */
  get path(): readonly CallState[] {
    return this.#path;
  }

  get facts(): Readonly<CallFacts> {
    return this.#facts;
  }

  get ended(): boolean {
    return isTerminal(this.#state);
  }

  /** Whether `to` is a valid next state right now. */
  canMoveTo(to: CallState): boolean {
    return to !== this.#state && canTransition(this.#state, to);
  }

  /**
   * Moves the call to `to` with `patch` stored alongside. Staying in the same state only applies
   * the patch. Returns false (and logs) when the state machine forbids it.
   */
  transition(to: CallState, reason: string, patch: CallPatch = {}): boolean {
    const from = this.#state;
    if (to === from) {
      if (Object.keys(patch).length > 0) this.update(patch);
      return true;
    }
    if (!canTransition(from, to)) {
      this.#logger.warn({ from, to, reason }, 'call state transition rejected');
      return false;
    }
    this.#state = to;
    this.#path.push(to);
    this.#apply(patch);
    const at = this.#clock().toISOString();
    this.#queue.enqueue('call_transition', async () => {
      const result = await changeCallState(this.#db, this.id, to, { reason, patch, at });
      if (!result.applied) {
        this.#logger.warn(
          { from: result.from, to, reason, rejected: result.reason },
          'stored call state did not accept the transition',
        );
      }
    });
    this.#logger.info({ from, to, reason }, 'call state changed');
    return true;
  }

  /** Stores gathered data without changing the state. */
  update(patch: CallPatch): void {
    this.#apply(patch);
    const at = this.#clock().toISOString();
    this.#queue.enqueue('call_update', () => patchCall(this.#db, this.id, patch, at));
  }

  /** Merges resume state into `collected` and stores it. */
  remember(values: Record<string, unknown>): void {
    this.update({ collected: { ...this.#facts.collected, ...values } });
  }

  #apply(patch: CallPatch): void {
    const facts = this.#facts;
    if (patch.customerName !== undefined) facts.customerName = patch.customerName;
    if (patch.callbackNumber !== undefined) facts.callbackNumber = patch.callbackNumber;
    if (patch.vin !== undefined) facts.vin = patch.vin;
    if (patch.vehicle !== undefined) facts.vehicle = patch.vehicle;
    if (patch.appointmentId !== undefined) facts.appointmentId = patch.appointmentId;
    if (patch.outcome !== undefined) facts.outcome = patch.outcome;
    if (patch.collected !== undefined) facts.collected = { ...patch.collected };
  }
}
