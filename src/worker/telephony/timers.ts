/** The two timer functions the telephony helpers need; injected so tests control time. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The global timers, looked up on every call so vitest's fake timers apply to them. */
export const systemTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** One named timeout that can be (re)armed and cancelled. */
export class Timeout {
  #handle: unknown;

  constructor(private readonly timers: Timers) {}

  get armed(): boolean {
    return this.#handle !== undefined;
  }

  /** Starts (or restarts) the timeout. */
  arm(ms: number, callback: () => void): void {
    this.cancel();
    this.#handle = this.timers.setTimeout(() => {
      this.#handle = undefined;
      callback();
    }, ms);
  }

  cancel(): void {
    if (this.#handle === undefined) return;
    this.timers.clearTimeout(this.#handle);
    this.#handle = undefined;
  }
}
