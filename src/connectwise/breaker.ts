// Per-site circuit breaker: after `failureThreshold` consecutive failures (network, timeout, 5xx) the
// site is not called for `halfOpenAfterMs`; then one trial request goes through — success closes the
// circuit, failure opens it again. 4xx and 429 are answers from a healthy server and do not count.

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerConfig {
  failureThreshold: number;
  halfOpenAfterMs: number;
}

export const DEFAULT_BREAKER: BreakerConfig = { failureThreshold: 5, halfOpenAfterMs: 30_000 };

export type Admission = { admitted: true; trial: boolean } | { admitted: false; retryInMs: number };

export class CircuitBreaker {
  private readonly config: BreakerConfig;
  private readonly now: () => number;
  private failures = 0;
  private openedAt: number | undefined;
  private trialInFlight = false;
  private readonly listeners: ((state: BreakerState) => void)[] = [];

  constructor(config: Partial<BreakerConfig> = {}, now: () => number = Date.now) {
    this.config = { ...DEFAULT_BREAKER, ...config };
    this.now = now;
  }

  get state(): BreakerState {
    if (this.openedAt === undefined) return 'closed';
    return this.now() - this.openedAt >= this.config.halfOpenAfterMs ? 'half-open' : 'open';
  }

  onStateChange(listener: (state: BreakerState) => void): void {
    this.listeners.push(listener);
  }

  /** Asks to send one attempt. A trial admission must be followed by success() or failure(). */
  admit(): Admission {
    const state = this.state;
    if (state === 'closed') return { admitted: true, trial: false };
    if (state === 'half-open' && !this.trialInFlight) {
      this.trialInFlight = true;
      return { admitted: true, trial: true };
    }
    const elapsed = this.now() - (this.openedAt ?? this.now());
    return { admitted: false, retryInMs: Math.max(0, this.config.halfOpenAfterMs - elapsed) };
  }

  success(): void {
    const wasOpen = this.openedAt !== undefined;
    this.failures = 0;
    this.openedAt = undefined;
    this.trialInFlight = false;
    if (wasOpen) this.emit('closed');
  }

  failure(): void {
    this.failures += 1;
    const trialFailed = this.trialInFlight;
    this.trialInFlight = false;
    if (trialFailed || (this.openedAt === undefined && this.failures >= this.config.failureThreshold)) {
      this.openedAt = this.now();
      this.emit('open');
    }
  }

  /** An admitted attempt that ended without saying anything about the site's health (e.g. aborted). */
  release(): void {
    this.trialInFlight = false;
  }

  private emit(state: BreakerState): void {
    for (const listener of this.listeners) listener(state);
  }
}
