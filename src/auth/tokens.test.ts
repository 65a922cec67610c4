import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cookiePolicy } from './cookie-policy.ts';
import { csrfTokenFor, csrfTokenMatches, hashSessionToken, newSessionToken } from './tokens.ts';

describe('session and CSRF tokens', () => {
  it('draws 256-bit session tokens and stores only their hash', () => {
    const token = newSessionToken();
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(hashSessionToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSessionToken(token)).not.toContain(token);
    expect(newSessionToken()).not.toBe(token);
  });

  it('derives a CSRF token that matches only its own session', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (a, b) => {
        expect(csrfTokenMatches(a, csrfTokenFor(a))).toBe(true);
        if (a !== b) expect(csrfTokenMatches(a, csrfTokenFor(b))).toBe(false);
      }),
    );
    expect(csrfTokenMatches('s', undefined)).toBe(false);
    expect(csrfTokenMatches('s', '')).toBe(false);
  });
});

describe('cookie policy', () => {
  it('uses __Host- and Secure over https only', () => {
    expect(cookiePolicy('https://bridge.example.com')).toMatchObject({
      name: '__Host-psa_session',
      secure: true,
    });
    expect(cookiePolicy('http://127.0.0.1:3000')).toMatchObject({ name: 'psa_session', secure: false });
    expect(cookiePolicy(undefined).httpOnly).toBe(true);
  });
});
