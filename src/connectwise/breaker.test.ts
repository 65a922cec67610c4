import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './breaker.ts';

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures, half-opens later, closes on a good trial', () => {
    const c = clock();
    const states: string[] = [];
    const b = new CircuitBreaker({ failureThreshold: 3, halfOpenAfterMs: 1000 }, c.now);
    b.onStateChange((s) => states.push(s));
    for (let i = 0; i < 2; i++) {
      expect(b.admit()).toEqual({ admitted: true, trial: false });
      b.failure();
    }
    expect(b.state).toBe('closed');
    b.admit();
    b.failure();
    expect(b.state).toBe('open');
    expect(b.admit()).toEqual({ admitted: false, retryInMs: 1000 });
    c.advance(600);
    expect(b.admit()).toEqual({ admitted: false, retryInMs: 400 });
    c.advance(400);
    expect(b.state).toBe('half-open');
    expect(b.admit()).toEqual({ admitted: true, trial: true });
    expect(b.admit().admitted).toBe(false); // one trial at a time
    b.success();
    expect(b.state).toBe('closed');
    expect(states).toEqual(['open', 'closed']);
  });

  it('a success in between resets the count', () => {
    const b = new CircuitBreaker({ failureThreshold: 2, halfOpenAfterMs: 1000 }, () => 0);
    b.failure();
    b.success();
    b.failure();
    expect(b.state).toBe('closed');
  });

  it('a failed trial reopens for a full period; a released trial lets another through', () => {
    const c = clock();
    const b = new CircuitBreaker({ failureThreshold: 1, halfOpenAfterMs: 1000 }, c.now);
    b.failure();
    c.advance(1000);
    expect(b.admit()).toMatchObject({ trial: true });
    b.failure();
    expect(b.state).toBe('open');
    expect(b.admit()).toEqual({ admitted: false, retryInMs: 1000 });
    c.advance(1000);
    expect(b.admit()).toMatchObject({ trial: true });
    b.release();
    expect(b.admit()).toMatchObject({ trial: true });
  });
});
