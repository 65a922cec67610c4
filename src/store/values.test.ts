import { describe, expect, it } from 'vitest';
import { bool, fromJson, isTrue, last4, newId, now, toJson } from './values.ts';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

describe('column values', () => {
  it('mints ULIDs: 26 Crockford characters, strictly increasing within the process', () => {
    const ids = Array.from({ length: 5000 }, () => newId());
    for (const id of ids) expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('puts the creation time (ms, base32) in the first 10 characters', () => {
    const decode = (id: string) => [...id.slice(0, 10)].reduce((t, c) => t * 32 + CROCKFORD.indexOf(c), 0);
    const before = Date.now();
    const id = newId();
    const after = Date.now();
    expect(decode(id)).toBeGreaterThanOrEqual(before);
    expect(decode(id)).toBeLessThanOrEqual(after);
  });

  it('stores instants as fixed-width UTC ISO text that sorts like time', () => {
    expect(now(Date.UTC(2026, 11, 3, 16, 40, 2, 123))).toBe('2026-12-03T16:40:02.123Z');
    expect(now(0) < now(1)).toBe(true);
  });

  it('stores booleans as 0/1 and JSON as text', () => {
    expect([bool(true), bool(false)]).toEqual([1, 0]);
    expect([isTrue(1), isTrue(0), isTrue(null)]).toEqual([true, false, false]);
    expect(fromJson(toJson({ a: [1] }), {})).toEqual({ a: [1] });
    expect(fromJson(null, 'fallback')).toBe('fallback');
  });

  it('shows at most the last 4 characters, fewer of a short secret', () => {
    expect(last4('abcdefghijklmnop')).toBe('mnop');
    expect(last4('abcdef')).toBe('ef');
    expect(last4('ab')).toBe('');
  });
});
