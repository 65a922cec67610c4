// Per-site admission: at most `maxConcurrent` requests in flight, and none at all before a
// Retry-After deadline has passed. Every attempt (first or retry) enters through here.

export interface GateClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: GateClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export class SiteGate {
  private readonly maxConcurrent: number;
  private readonly clock: GateClock;
  private inFlight = 0;
  private readonly waiters: (() => void)[] = [];
  private notBefore = 0;

  constructor(maxConcurrent: number, clock: GateClock = realClock) {
    if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1)
      throw new RangeError('maxConcurrent must be ≥ 1');
    this.maxConcurrent = maxConcurrent;
    this.clock = clock;
  }

  /** Holds every request to this site until `untilMs` (epoch ms); never shortens an existing pause. */
  pauseUntil(untilMs: number): void {
    this.notBefore = Math.max(this.notBefore, untilMs);
  }

  get pausedForMs(): number {
    return Math.max(0, this.notBefore - this.clock.now());
  }

  get active(): number {
    return this.inFlight;
  }

  /** Resolves with a release function once a slot is free and no pause is in force. */
  async enter(signal?: AbortSignal): Promise<() => void> {
    for (;;) {
      const wait = this.pausedForMs;
      if (wait > 0) {
        await this.clock.sleep(wait, signal);
        continue;
      }
      if (this.inFlight < this.maxConcurrent) break;
      await new Promise<void>((resolve, reject) => {
        const wake = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          const index = this.waiters.indexOf(wake);
          if (index >= 0) this.waiters.splice(index, 1);
          reject(signal?.reason);
        };
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        signal?.addEventListener('abort', onAbort, { once: true });
        this.waiters.push(wake);
      });
    }
    this.inFlight += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight -= 1;
      this.waiters.shift()?.();
    };
  }
}
