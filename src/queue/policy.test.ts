import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRetryable, NonRetryableError, toJobError } from './errors.ts';
import {
  DEFAULT_SETTINGS,
  decideAfterFailure,
  resolveSettings,
  retryDelaySeconds,
  startAfterMs,
} from './policy.ts';
import type { RetryPolicy } from './types.ts';

const policyArb: fc.Arbitrary<RetryPolicy> = fc.record({
  retryLimit: fc.integer({ min: 0, max: 30 }),
  retryDelaySeconds: fc.integer({ min: 0, max: 600 }),
  retryBackoff: fc.boolean(),
  retryDelayMaxSeconds: fc.integer({ min: 1, max: 86_400 }),
});

describe('retry policy', () => {
  it('runs a job at most retryLimit + 1 times, whatever the error', () => {
    fc.assert(
      fc.property(policyArb, fc.boolean(), (policy, retryable) => {
        let attempt = 1;
        while (decideAfterFailure(attempt, retryable, policy, () => 0.5).kind === 'retry') attempt += 1;
        expect(attempt).toBe(retryable ? policy.retryLimit + 1 : 1);
      }),
    );
  });

  it('keeps every backoff delay within [base·2^n/2, min(cap, base·2^n)]', () => {
    fc.assert(
      fc.property(
        policyArb,
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (p, n, r) => {
          const delay = retryDelaySeconds(n, p, () => r);
          if (!p.retryBackoff) {
            expect(delay).toBe(p.retryDelaySeconds);
            return;
          }
          const base = Math.max(p.retryDelaySeconds, 1);
          const half = (base * 2 ** Math.min(16, n)) / 2;
          expect(delay).toBeLessThanOrEqual(p.retryDelayMaxSeconds);
          expect(delay).toBeLessThanOrEqual(2 * half);
          expect(delay).toBeGreaterThanOrEqual(Math.min(p.retryDelayMaxSeconds, half));
        },
      ),
    );
  });

  it('never shrinks the lower bound of the delay as attempts go on (exponential, then capped)', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 1, max: 39 }), (p, n) => {
        const backoff = { ...p, retryBackoff: true };
        expect(retryDelaySeconds(n + 1, backoff, () => 0)).toBeGreaterThanOrEqual(
          retryDelaySeconds(n, backoff, () => 0),
        );
      }),
    );
  });

  it('dead-letters a non-retryable failure on the first attempt', () => {
    expect(decideAfterFailure(1, false, DEFAULT_SETTINGS)).toEqual({ kind: 'dead_letter' });
    expect(decideAfterFailure(1, true, DEFAULT_SETTINGS).kind).toBe('retry');
  });
});

describe('errors', () => {
  it('treats errors flagged retryable === false as final, everything else as retryable', () => {
    expect(isRetryable(new NonRetryableError('bad payload'))).toBe(false);
    expect(isRetryable(Object.assign(new Error('400'), { retryable: false }))).toBe(false);
    expect(isRetryable(Object.assign(new Error('503'), { retryable: true }))).toBe(true);
    expect(isRetryable(new TypeError('x is undefined'))).toBe(true);
    expect(isRetryable('a string')).toBe(true);
  });

  it('keeps name, message and code of a failure, never its stack', () => {
    const error = Object.assign(new Error('company not found'), { code: 'CW_VALIDATION' });
    expect(toJobError(error)).toEqual({ name: 'Error', message: 'company not found', code: 'CW_VALIDATION' });
  });
});

describe('settings', () => {
  it('layers queue and send settings over the defaults', () => {
    expect(resolveSettings('q', { retryLimit: 1 }, { retryDelaySeconds: 0 })).toEqual({
      ...DEFAULT_SETTINGS,
      retryLimit: 1,
      retryDelaySeconds: 0,
    });
  });

  it('names the setting that is invalid', () => {
    expect(() => resolveSettings('billing.sync', { retryLimit: -1 })).toThrow(/billing.sync: retryLimit/);
    expect(() => resolveSettings('q', { expireInSeconds: 0 })).toThrow(/expireInSeconds/);
    expect(() => resolveSettings('q', { retryDelaySeconds: 1.5 })).toThrow(/retryDelaySeconds/);
  });

  it('reads startAfter as an instant or as seconds from now', () => {
    expect(startAfterMs(undefined, 1000)).toBe(1000);
    expect(startAfterMs(3, 1000)).toBe(4000);
    expect(startAfterMs(new Date(5000), 1000)).toBe(5000);
  });
});
