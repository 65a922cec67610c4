/**
 * The fetch loop both of a worker's halves share on SQLite: claim up to the free slots, run what came
 * back, then sleep until the poll interval passes, a job is sent from this process (`wake()`), or a slot
 * frees up after the loop found itself full. Stopping wakes it one last time so it can exit.
 */
export class WorkerLoop {
  readonly #claim: (limit: number) => Promise<number>;
  readonly #concurrency: number;
  readonly #batch: number;
  readonly #pollMs: number;
  readonly #onError: (error: unknown) => void;
  #inFlight = 0;
  #stopped = false;
  #sleeper: (() => void) | undefined;
  #pendingWake = false;
  readonly done: Promise<void>;

  constructor(options: {
    claim: (limit: number) => Promise<number>;
    concurrency: number;
    batch: number;
    pollMs: number;
    onError: (error: unknown) => void;
  }) {
    this.#claim = options.claim;
    this.#concurrency = options.concurrency;
    this.#batch = Math.min(options.batch, options.concurrency);
    this.#pollMs = options.pollMs;
    this.#onError = options.onError;
    this.done = this.#run();
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Counts a job as running until the returned function is called. */
  began(): () => void {
    this.#inFlight += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.#inFlight -= 1;
      this.wake();
    };
  }

  wake(): void {
    this.#pendingWake = true;
    const sleeper = this.#sleeper;
    this.#sleeper = undefined;
    sleeper?.();
  }

  stop(): Promise<void> {
    this.#stopped = true;
    this.wake();
    return this.done;
  }

  async #run(): Promise<void> {
    // Let the constructor return before the first claim.
    await Promise.resolve();
    let backoffMs = 0;
    while (!this.#stopped) {
      this.#pendingWake = false;
      const free = this.#concurrency - this.#inFlight;
      let claimed = 0;
      if (free > 0) {
        try {
          claimed = await this.#claim(Math.min(this.#batch, free));
          backoffMs = 0;
        } catch (error) {
          this.#onError(error);
          // A failing database must not turn the loop into a busy spin.
          backoffMs = Math.min(Math.max(backoffMs * 2, 100), 5_000);
        }
      }
      if (this.#stopped) break;
      const more =
        claimed > 0 && claimed === Math.min(this.#batch, free) && this.#inFlight < this.#concurrency;
      if (more && backoffMs === 0) continue;
      if (this.#pendingWake && backoffMs === 0) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.#sleeper = undefined;
          resolve();
        }, backoffMs || this.#pollMs);
        this.#sleeper = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
