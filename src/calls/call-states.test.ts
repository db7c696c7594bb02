import { describe, expect, it } from 'vitest';
import { ALLOWED_TRANSITIONS, CALL_STATES, canTransition, isTerminal } from './call-states.js';

describe('call state machine', () => {
  it('walks the happy path of a phone call', () => {
    const path = [
      'initializing',
      'greeting',
      'information_gathering',
      'vehicle_lookup',
      'providing_details',
      'closing',
      'ended',
    ] as const;
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1]!, path[i]!)).toBe(true);
  });

  it('lets every active state transfer, fail or end, and terminal states go nowhere', () => {
    for (const state of CALL_STATES) {
      if (isTerminal(state)) {
        expect(ALLOWED_TRANSITIONS[state]).toEqual([]);
      } else {
        for (const end of ['ended', 'transferred', 'failed'] as const) {
          expect(canTransition(state, end), `${state} -> ${end}`).toBe(true);
        }
      }
    }
  });

  it('rejects skipping the greeting and leaving a terminal state', () => {
    expect(canTransition('initializing', 'providing_details')).toBe(false);
    expect(canTransition('ended', 'greeting')).toBe(false);
    expect(canTransition('transferred', 'ended')).toBe(false);
    expect(canTransition('greeting', 'greeting')).toBe(false);
  });

  it('only names known states in the table', () => {
    for (const targets of Object.values(ALLOWED_TRANSITIONS)) {
      for (const t of targets) expect(CALL_STATES).toContain(t);
    }
  });
});
