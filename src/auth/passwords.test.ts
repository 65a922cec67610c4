import { parseOptions } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, needsRehash, passwordProblem, verifyPassword } from './passwords.ts';

describe('passwords', () => {
  it('hashes with argon2id at the configured cost and verifies', async () => {
    const hash = await hashPassword('a perfectly fine password');
    expect(hash.startsWith('$argon2id$')).toBe(true);
    expect(parseOptions(hash)).toMatchObject({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    expect(await verifyPassword(hash, 'a perfectly fine password')).toBe(true);
    expect(await verifyPassword(hash, 'a perfectly fine passworD')).toBe(false);
    expect(needsRehash(hash)).toBe(false);
  });

  it('treats a missing or corrupt hash as a wrong password', async () => {
    expect(await verifyPassword(null, 'anything at all')).toBe(false);
    expect(await verifyPassword('not-a-phc-string', 'anything at all')).toBe(false);
    expect(needsRehash('not-a-phc-string')).toBe(true);
  });

  it('asks for a rehash of weaker hashes', async () => {
    const { hash } = await import('@node-rs/argon2');
    expect(needsRehash(await hash('x', { memoryCost: 8192, timeCost: 1 }))).toBe(true);
  });

  it('generates long random passwords and checks length only', () => {
    const a = generatePassword();
    expect(a.length).toBeGreaterThanOrEqual(24);
    expect(generatePassword()).not.toBe(a);
    expect(passwordProblem('short')).toMatch(/at least 12/);
    expect(passwordProblem('x'.repeat(257))).toMatch(/at most 256/);
    expect(passwordProblem('twelve chars')).toBeNull();
  });
});
