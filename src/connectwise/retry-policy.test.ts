import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  DEFAULT_RETRY,
  decideRetry,
  type Outcome,
  parseRetryAfter,
  type RetryInput,
} from './retry-policy.ts';

const NOW = Date.UTC(2026, 11, 3, 12, 0, 0);
const input = (over: Partial<RetryInput> & { outcome: Outcome }): RetryInput => ({
  method: 'GET',
  attempt: 1,
  nowMs: NOW,
  random: () => 0.5,
  config: DEFAULT_RETRY,
  ...over,
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('2', NOW)).toBe(2000);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
    expect(parseRetryAfter(new Date(NOW + 7000).toUTCString(), NOW)).toBe(7000);
    expect(parseRetryAfter(new Date(NOW - 7000).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter('-3', NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });
});

describe('decideRetry', () => {
  it('retries network errors, timeouts, 5xx and 429 for idempotent methods', () => {
    for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
      for (const outcome of [
        { kind: 'network', code: 'ECONNRESET', phase: 'request' },
        { kind: 'timeout' },
        { kind: 'response', status: 500 },
        { kind: 'response', status: 503 },
        { kind: 'response', status: 429 },
      ] as Outcome[]) {
        expect(decideRetry(input({ method, outcome })).retry, `${method} ${JSON.stringify(outcome)}`).toBe(
          true,
        );
      }
    }
  });

  it('never retries final statuses', () => {
    for (const status of [400, 401, 403, 404, 409, 501]) {
      expect(decideRetry(input({ outcome: { kind: 'response', status } })).retry).toBe(false);
    }
  });

  it('never re-sends a POST that may have reached CW', () => {
    for (const outcome of [
      { kind: 'network', code: 'ECONNRESET', phase: 'request' },
      { kind: 'timeout' },
      { kind: 'response', status: 502 },
      { kind: 'response', status: 429, retryAfter: '1' },
    ] as Outcome[]) {
      expect(decideRetry(input({ method: 'POST', outcome })).retry).toBe(false);
    }
    const refused = decideRetry(
      input({ method: 'POST', outcome: { kind: 'network', code: 'ECONNREFUSED', phase: 'connect' } }),
    );
    expect(refused.retry).toBe(true);
    expect(
      decideRetry(input({ method: 'POST', idempotent: true, outcome: { kind: 'response', status: 503 } }))
        .retry,
    ).toBe(true);
  });

  it('honours Retry-After exactly, and gives up when it is longer than the in-process budget', () => {
    const d = decideRetry(input({ outcome: { kind: 'response', status: 429, retryAfter: '2' } }));
    expect(d).toMatchObject({ retry: true, delayMs: 2000 });
    const date = decideRetry(
      input({ outcome: { kind: 'response', status: 503, retryAfter: new Date(NOW + 5000).toUTCString() } }),
    );
    expect(date).toMatchObject({ retry: true, delayMs: 5000 });
    const long = decideRetry(input({ outcome: { kind: 'response', status: 429, retryAfter: '600' } }));
    expect(long).toMatchObject({ retry: false, retryAfterMs: 600_000 });
  });

  it('stops at maxAttempts', () => {
    const outcome: Outcome = { kind: 'response', status: 503 };
    expect(decideRetry(input({ attempt: 3, outcome })).retry).toBe(true);
    expect(decideRetry(input({ attempt: 4, outcome })).retry).toBe(false);
  });

  it('backoff is full jitter under a capped exponential ceiling (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (attempt, r) => {
          const delay = backoffDelay(attempt, DEFAULT_RETRY, () => r);
          const ceiling = Math.min(DEFAULT_RETRY.maxDelayMs, DEFAULT_RETRY.baseDelayMs * 2 ** (attempt - 1));
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThan(ceiling);
        },
      ),
    );
  });

  it('never retries a non-idempotent request unless nothing was sent (property)', () => {
    const outcomes = fc.oneof(
      fc.record({ kind: fc.constant('response' as const), status: fc.integer({ min: 200, max: 599 }) }),
      fc.record({
        kind: fc.constant('network' as const),
        code: fc.constant('ECONNRESET'),
        phase: fc.constantFrom('connect' as const, 'request' as const),
      }),
      fc.record({ kind: fc.constant('timeout' as const) }),
    );
    fc.assert(
      fc.property(outcomes, fc.integer({ min: 1, max: 10 }), (outcome, attempt) => {
        const d = decideRetry(input({ method: 'POST', attempt, outcome }));
        if (d.retry) expect(outcome).toMatchObject({ kind: 'network', phase: 'connect' });
        if (d.retry) expect(d.delayMs).toBeLessThanOrEqual(DEFAULT_RETRY.maxDelayMs);
        const total = decideRetry(input({ attempt: DEFAULT_RETRY.maxAttempts, outcome }));
        expect(total.retry).toBe(false);
      }),
    );
  });
});
