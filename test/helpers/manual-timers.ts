/**
 * Timers whose clock only moves when the test says so, for code that takes injected timers
 * (`src/worker/telephony/timers.ts`) while everything else (the agent session) runs in real time.
 */
export class ManualTimers {
  now = 0;
  #next = 1;
  readonly #pending = new Map<number, { at: number; callback: () => void }>();

  setTimeout(callback: () => void, ms: number): number {
    const id = this.#next++;
    this.#pending.set(id, { at: this.now + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#pending.delete(handle as number);
  }

  /** Moves the clock forward, running every timeout that falls due, in time order. */
  advance(ms: number): void {
    const target = this.now + ms;
    for (;;) {
      const due = [...this.#pending]
        .filter(([, t]) => t.at <= target)
        .sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!due) break;
      const [id, timer] = due;
      this.#pending.delete(id);
      this.now = timer.at;
      timer.callback();
    }
    this.now = target;
  }
}
