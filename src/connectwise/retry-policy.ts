// The one place that decides whether a failed CW request is tried again, and when. Pure: the clock
// and the random source are inputs, so every branch is unit- and property-tested.

export interface RetryConfig {
  /** Total attempts including the first. */
  maxAttempts: number;
  /** First backoff ceiling; doubles per attempt. */
  baseDelayMs: number;
  /** Backoff ceiling (before jitter). */
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited out in-process: the caller gets RateLimitedError. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryConfig = {
  maxAttempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
};

export type Outcome =
  | { kind: 'response'; status: number; retryAfter?: string | null | undefined }
  /** `phase: 'connect'` means no byte of the request reached the server (refused, DNS, connect timeout). */
  | { kind: 'network'; code: string; phase: 'connect' | 'request' }
  | { kind: 'timeout' };

export interface RetryInput {
  method: string;
  /** Overrides the method's default idempotency (e.g. POST …/search is a read). */
  idempotent?: boolean | undefined;
  /** 1-based number of the attempt that just failed. */
  attempt: number;
  outcome: Outcome;
  nowMs: number;
  /** Uniform in [0, 1). */
  random: () => number;
  config: RetryConfig;
}

export type RetryDecision =
  | { retry: true; delayMs: number; reason: string }
  | { retry: false; reason: string; retryAfterMs?: number };

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export function isIdempotent(method: string, override?: boolean): boolean {
  return override ?? IDEMPOTENT.has(method.toUpperCase());
}

/** `Retry-After` as delay-seconds or an HTTP-date → milliseconds from now (≥ 0), or undefined. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** Capped exponential backoff with full jitter: uniform in [0, min(cap, base·2^(attempt-1))). */
export function backoffDelay(attempt: number, config: RetryConfig, random: () => number): number {
  const ceiling = Math.min(config.maxDelayMs, config.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

function retryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

export function decideRetry(input: RetryInput): RetryDecision {
  const { outcome, config } = input;
  const idempotent = isIdempotent(input.method, input.idempotent);
  const retryAfterMs =
    outcome.kind === 'response' ? parseRetryAfter(outcome.retryAfter, input.nowMs) : undefined;

  if (outcome.kind === 'response' && !retryableStatus(outcome.status)) {
    return { retry: false, reason: `status ${outcome.status} is final` };
  }
  const nothingSent = outcome.kind === 'network' && outcome.phase === 'connect';
  if (!idempotent && !nothingSent) {
    return {
      retry: false,
      reason: `${input.method.toUpperCase()} is not re-sent: CW may have acted on it`,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }
  if (input.attempt >= config.maxAttempts) {
    return {
      retry: false,
      reason: `gave up after ${input.attempt} attempts`,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }
  if (retryAfterMs !== undefined) {
    if (retryAfterMs > config.maxRetryAfterMs) {
      return { retry: false, reason: 'Retry-After is longer than we wait in-process', retryAfterMs };
    }
    // Exactly what CW asked: the site gate (site-gate.ts) already holds every other request back.
    return { retry: true, delayMs: retryAfterMs, reason: 'Retry-After' };
  }
  const reason =
    outcome.kind === 'response'
      ? `status ${outcome.status}`
      : outcome.kind === 'network'
        ? outcome.code
        : 'timeout';
  return { retry: true, delayMs: backoffDelay(input.attempt, config, input.random), reason };
}
