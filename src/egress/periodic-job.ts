/**
 * A background pass run at start and then every `intervalMs`, in-process only: concurrent runs
 * share the pass in progress, and the timer never keeps the process alive.
 */
export class PeriodicJob<T> {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<T> | null = null;

  constructor(
    private readonly pass: () => Promise<T>,
    private readonly options: { intervalMs: number; onError: (error: unknown) => void },
  ) {}

  /** One pass now, or the one already in progress. */
  runOnce(): Promise<T> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Runs a pass now and then every interval; failed passes go to `onError`. */
  start(): void {
    if (this.timer) return;
    const tick = () => {
      void this.runOnce().catch(this.options.onError);
    };
    tick();
    this.timer = setInterval(tick, this.options.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for the pass in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }
}
