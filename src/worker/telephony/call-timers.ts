import { systemTimers, Timeout, type Timers } from './timers.js';

export interface CallTimersOptions {
  /** Caller silence before "are you still there?". */
  silencePromptMs: number;
  /** Caller silence before the polite hang-up, counted from the same start as the prompt. */
  silenceHangupMs: number;
  maxCallDurationMs: number;
  /** How long before the maximum duration the caller is warned; 0 for no warning. */
  maxCallWarningMs: number;
  onSilencePrompt(): void;
  onSilenceHangup(): void;
  onDurationWarning(): void;
  onMaxDuration(): void;
  timers?: Timers;
}

type SilencePhase = 'listening' | 'prompted' | 'over';

/**
 * The call's clocks: caller silence (a prompt after N seconds, a hang-up after M) and the maximum
 * duration (a warning, then the polite end). Silence only counts while nobody speaks and the agent
 * is not working on a reply: the session's user/agent state changes drive it. The agent speaking
 * its "are you still there?" does not restart the silence; only the caller speaking does.
 */
export class CallTimers {
  readonly #silence: Timeout;
  readonly #warning: Timeout;
  readonly #maximum: Timeout;
  #phase: SilencePhase = 'listening';
  #userSpeaking = false;
  #agentBusy = false;
  #started = false;

  constructor(private readonly options: CallTimersOptions) {
    if (options.silenceHangupMs <= options.silencePromptMs) {
      throw new Error('silenceHangupMs must be greater than silencePromptMs');
    }
    const timers = options.timers ?? systemTimers;
    this.#silence = new Timeout(timers);
    this.#warning = new Timeout(timers);
    this.#maximum = new Timeout(timers);
  }

  /** Starts both clocks (call it once the greeting is under way). */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    const { maxCallDurationMs, maxCallWarningMs } = this.options;
    if (maxCallWarningMs > 0 && maxCallWarningMs < maxCallDurationMs) {
      this.#warning.arm(maxCallDurationMs - maxCallWarningMs, () =>
        this.options.onDurationWarning(),
      );
    }
    this.#maximum.arm(maxCallDurationMs, () => {
      this.#phase = 'over';
      this.#silence.cancel();
      this.options.onMaxDuration();
    });
    this.#rearmSilence();
  }

  /** The caller started or stopped speaking; speech puts the silence back to zero. */
  setUserSpeaking(speaking: boolean): void {
    this.#userSpeaking = speaking;
    if (speaking && this.#phase === 'prompted') this.#phase = 'listening';
    this.#rearmSilence();
  }

  /**
   * The caller said something (a final transcript, a typed message): the silence starts over even
   * when no speaking state was reported (no VAD, text input).
   */
  noteCallerActivity(): void {
    if (this.#phase === 'prompted') this.#phase = 'listening';
    this.#rearmSilence();
  }

  /** The agent is thinking or speaking (true) or waiting for the caller (false). */
  setAgentBusy(busy: boolean): void {
    this.#agentBusy = busy;
    this.#rearmSilence();
  }

  /** Stops every clock; nothing fires afterwards. */
  stop(): void {
    this.#phase = 'over';
    this.#silence.cancel();
    this.#warning.cancel();
    this.#maximum.cancel();
  }

  #rearmSilence(): void {
    this.#silence.cancel();
    if (!this.#started || this.#phase === 'over' || this.#userSpeaking || this.#agentBusy) return;
    const { silencePromptMs, silenceHangupMs } = this.options;
    if (this.#phase === 'listening') {
      this.#silence.arm(silencePromptMs, () => {
        this.#phase = 'prompted';
        this.options.onSilencePrompt();
        this.#rearmSilence();
      });
      return;
    }
    this.#silence.arm(silenceHangupMs - silencePromptMs, () => {
      this.#phase = 'over';
      this.options.onSilenceHangup();
    });
  }
}
