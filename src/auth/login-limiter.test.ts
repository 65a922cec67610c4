import { describe, expect, it } from 'vitest';
import { createLoginLimiter } from './login-limiter.ts';

describe('login limiter', () => {
  it('refuses an ip+email after the limit until the window passes', () => {
    let t = 0;
    const limiter = createLoginLimiter({ limit: 3, windowMs: 60_000, now: () => t });
    for (let i = 0; i < 3; i++) {
      expect(limiter.check('1.1.1.1', 'a@x.test')).toBeNull();
      limiter.recordFailure('1.1.1.1', 'a@x.test');
      t += 1000;
    }
    expect(limiter.check('1.1.1.1', 'A@X.test')).toBeGreaterThan(0);
    // Another address guessing the same account is counted apart.
    expect(limiter.check('2.2.2.2', 'a@x.test')).toBeNull();
    t = 61_000;
    expect(limiter.check('1.1.1.1', 'a@x.test')).toBeNull();
  });

  it('caps one address spraying many accounts', () => {
    const limiter = createLoginLimiter({ limit: 2, windowMs: 60_000, now: () => 0, perAddressFactor: 2 });
    for (let i = 0; i < 4; i++) limiter.recordFailure('1.1.1.1', `u${i}@x.test`);
    expect(limiter.check('1.1.1.1', 'fresh@x.test')).not.toBeNull();
  });

  it('forgets the account key after a success', () => {
    const limiter = createLoginLimiter({ limit: 2, windowMs: 60_000, now: () => 0, perAddressFactor: 100 });
    limiter.recordFailure('1.1.1.1', 'a@x.test');
    limiter.recordFailure('1.1.1.1', 'a@x.test');
    expect(limiter.check('1.1.1.1', 'a@x.test')).not.toBeNull();
    limiter.recordSuccess('1.1.1.1', 'a@x.test');
    expect(limiter.check('1.1.1.1', 'a@x.test')).toBeNull();
  });
});
