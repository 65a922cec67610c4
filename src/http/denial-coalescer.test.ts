import { describe, expect, it } from 'vitest';
import { clientKeyOf, createDenialCoalescer } from './denial-coalescer.ts';

describe('denial coalescer', () => {
  it('admits one refusal per key and window, then reports how many it held back', () => {
    let t = 0;
    const c = createDenialCoalescer({ windowMs: 60_000, maxKeys: 100, now: () => t });
    expect(c.admit('a', 'GET /r')).toEqual({ suppressed: 0 });
    for (let i = 0; i < 9; i++) expect(c.admit('a', 'GET /r')).toBeNull();
    // Another key has its own window.
    expect(c.admit('b', 'GET /r')).toEqual({ suppressed: 0 });
    t = 59_999;
    expect(c.admit('a', 'GET /r')).toBeNull();
    t = 60_000;
    expect(c.admit('a', 'GET /r')).toEqual({ suppressed: 10 });
    // The count starts again from the new row.
    expect(c.admit('a', 'GET /r')).toBeNull();
    t = 120_000;
    expect(c.admit('a', 'GET /r')).toEqual({ suppressed: 1 });
  });

  it('never tracks more than maxKeys, forgetting the key whose row is oldest', () => {
    let t = 0;
    const c = createDenialCoalescer({ windowMs: 60_000, maxKeys: 3, now: () => t });
    for (const key of ['a', 'b', 'c']) {
      expect(c.admit(key, 'GET /r')).not.toBeNull();
      t += 1;
    }
    expect(c.admit('a', 'GET /r')).toBeNull();
    expect(c.admit('d', 'GET /r')).not.toBeNull(); // evicts 'a'
    expect(c.size).toBe(3);
    expect(c.admit('b', 'GET /r')).toBeNull(); // still tracked
    expect(c.admit('a', 'GET /r')).toEqual({ suppressed: 0 }); // forgotten, so a fresh row (evicts 'b')
    for (let i = 0; i < 10_000; i++) c.admit(`flood-${i}`, 'GET /r');
    expect(c.size).toBe(3);
  });
});

describe('clientKeyOf', () => {
  it('groups IPv6 addresses by /64 and keeps IPv4 addresses whole', () => {
    expect(clientKeyOf('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKeyOf('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe(clientKeyOf('2001:db8:1:2::9'));
    expect(clientKeyOf('2001:db8:1:3::1')).not.toBe(clientKeyOf('2001:db8:1:2::1'));
    expect(clientKeyOf('203.0.113.7')).toBe('203.0.113.7');
    expect(clientKeyOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientKeyOf('not an address')).toBe('not an address');
  });

  it('is how the coalescer keys a refusal, so one /64 shares a window per route', () => {
    const c = createDenialCoalescer({ windowMs: 60_000, maxKeys: 100, now: () => 0 });
    expect(c.admit('2001:db8:1:2::1', 'GET /r')).not.toBeNull();
    expect(c.admit('2001:db8:1:2:ffff::9', 'GET /r')).toBeNull();
    expect(c.admit('2001:db8:1:2::1', 'GET /other')).not.toBeNull();
    expect(c.admit('2001:db8:1:3::1', 'GET /r')).not.toBeNull();
  });
});
