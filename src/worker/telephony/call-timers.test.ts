import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallTimers } from './call-timers.js';

const SECOND = 1000;

describe('CallTimers', () => {
  let fired: string[];
  let timers: CallTimers;

  beforeEach(() => {
    vi.useFakeTimers();
    fired = [];
    timers = new CallTimers({
      silencePromptMs: 12 * SECOND,
      silenceHangupMs: 30 * SECOND,
      maxCallDurationMs: 20 * 60 * SECOND,
      maxCallWarningMs: 60 * SECOND,
      onSilencePrompt: () => fired.push('prompt'),
      onSilenceHangup: () => fired.push('hangup'),
      onDurationWarning: () => fired.push('warning'),
      onMaxDuration: () => fired.push('end'),
    });
  });
  afterEach(() => {
    timers.stop();
    vi.useRealTimers();
  });

  it('prompts after N seconds of silence and hangs up at M', () => {
    timers.start();
    vi.advanceTimersByTime(12 * SECOND - 1);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['prompt']);
    vi.advanceTimersByTime(18 * SECOND);
    expect(fired).toEqual(['prompt', 'hangup']);
  });

  it('does not count silence while the agent speaks, nor restart it for the prompt itself', () => {
    timers.start();
    timers.setAgentBusy(true); // a long answer
    vi.advanceTimersByTime(60 * SECOND);
    expect(fired).toEqual([]);
    timers.setAgentBusy(false);
    vi.advanceTimersByTime(12 * SECOND);
    expect(fired).toEqual(['prompt']);

    timers.setAgentBusy(true); // "are you still there?" takes 2 s
    vi.advanceTimersByTime(2 * SECOND);
    timers.setAgentBusy(false);
    vi.advanceTimersByTime(18 * SECOND - 1);
    expect(fired).toEqual(['prompt']);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['prompt', 'hangup']);
  });

  it('starts over when the caller speaks, even after the prompt', () => {
    timers.start();
    vi.advanceTimersByTime(12 * SECOND);
    timers.setUserSpeaking(true);
    vi.advanceTimersByTime(40 * SECOND);
    timers.setUserSpeaking(false);
    vi.advanceTimersByTime(12 * SECOND - 1);
    expect(fired).toEqual(['prompt']);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['prompt', 'prompt']);
  });

  it('starts over on caller activity reported without a speaking state (text, no VAD)', () => {
    timers.start();
    vi.advanceTimersByTime(12 * SECOND);
    timers.noteCallerActivity();
    vi.advanceTimersByTime(12 * SECOND - 1);
    expect(fired).toEqual(['prompt']);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['prompt', 'prompt']);
  });

  it('warns before the maximum duration, then ends the call, and silence stops counting', () => {
    timers.start();
    for (let minute = 0; minute < 20; minute += 1) {
      timers.setUserSpeaking(true);
      vi.advanceTimersByTime(50 * SECOND);
      timers.setUserSpeaking(false);
      vi.advanceTimersByTime(10 * SECOND);
      if (minute === 18) expect(fired).toEqual(['warning']);
    }
    expect(fired).toEqual(['warning', 'end']);
    vi.advanceTimersByTime(60 * SECOND);
    expect(fired).toEqual(['warning', 'end']);
  });

  it('fires nothing once stopped, and refuses a hang-up before the prompt', () => {
    timers.start();
    timers.stop();
    vi.advanceTimersByTime(60 * 60 * SECOND);
    expect(fired).toEqual([]);
    expect(
      () =>
        new CallTimers({
          silencePromptMs: 30 * SECOND,
          silenceHangupMs: 10 * SECOND,
          maxCallDurationMs: 60 * SECOND,
          maxCallWarningMs: 0,
          onSilencePrompt: () => undefined,
          onSilenceHangup: () => undefined,
          onDurationWarning: () => undefined,
          onMaxDuration: () => undefined,
        }),
    ).toThrow('silenceHangupMs must be greater than silencePromptMs');
  });
});
