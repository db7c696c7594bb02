/** The call state machine: states, the table of allowed transitions, and terminal states. */

export const CALL_STATES = [
  'initializing',
  'greeting',
  'information_gathering',
  'vehicle_lookup',
  'providing_details',
  'closing',
  'ended',
  'transferred',
  'failed',
] as const;

export type CallState = (typeof CALL_STATES)[number];

/** States a call never leaves. */
export const TERMINAL_STATES: ReadonlySet<CallState> = new Set(['ended', 'transferred', 'failed']);

const ANY_END = ['closing', 'ended', 'transferred', 'failed'] as const;

/**
 * Allowed transitions. The conversation may go back to gathering information from any active
 * state (the caller asks something else), and every active state may end, transfer or fail
 * (caller hang-up, "0" for a person, provider outage).
 */
export const ALLOWED_TRANSITIONS: Readonly<Record<CallState, readonly CallState[]>> = {
  initializing: ['greeting', 'ended', 'transferred', 'failed'],
  greeting: ['information_gathering', 'vehicle_lookup', 'providing_details', ...ANY_END],
  information_gathering: ['vehicle_lookup', 'providing_details', ...ANY_END],
  vehicle_lookup: ['information_gathering', 'providing_details', ...ANY_END],
  providing_details: ['information_gathering', 'vehicle_lookup', ...ANY_END],
  closing: [
    'information_gathering',
    'vehicle_lookup',
    'providing_details',
    'ended',
    'transferred',
    'failed',
  ],
  ended: [],
  transferred: [],
  failed: [],
};

/** Whether the machine allows `from -> to`; staying in the same state is not a transition. */
export function canTransition(from: CallState, to: CallState): boolean {
  return ALLOWED_TRANSITIONS[from].includes(to);
}

/** Whether a stored string is a known state (rows written by older versions are checked). */
export function isCallState(value: string): value is CallState {
  return (CALL_STATES as readonly string[]).includes(value);
}

/** Whether the call is over. */
export function isTerminal(state: CallState): boolean {
  return TERMINAL_STATES.has(state);
}
