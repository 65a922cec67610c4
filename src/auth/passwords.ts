import { randomBytes } from 'node:crypto';
import { type Algorithm, hash, type Options, parseOptions, verify } from '@node-rs/argon2';

/**
 * Argon2id with OWASP's first recommended setting (19 MiB, 2 passes, 1 lane): strong enough for an
 * admin console and light enough that a burst of logins on a 2-core box does not starve the service.
 * The value 2 is `Algorithm.Argon2id` (a const enum that type stripping cannot import).
 */
export const PASSWORD_HASH_OPTIONS: Options = {
  algorithm: 2 as Algorithm,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
  outputLen: 32,
};

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

export async function hashPassword(password: string): Promise<string> {
  return hash(password, PASSWORD_HASH_OPTIONS);
}

// Verifying against this when the e-mail is unknown keeps "no such user" as slow as "wrong password",
// so response times do not reveal which accounts exist.
let dummyHash: Promise<string> | undefined;
function dummy(): Promise<string> {
  dummyHash ??= hash(randomBytes(16).toString('hex'), PASSWORD_HASH_OPTIONS);
  return dummyHash;
}

/** Constant-shape check: a missing hash costs the same as a wrong password and is always false. */
export async function verifyPassword(
  storedHash: string | null | undefined,
  password: string,
): Promise<boolean> {
  if (!storedHash) {
    await verify(await dummy(), password).catch(() => false);
    return false;
  }
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

/** True when a stored hash was made with weaker settings than today's, so login can upgrade it. */
export function needsRehash(storedHash: string): boolean {
  try {
    const o = parseOptions(storedHash);
    return (
      o.algorithm !== PASSWORD_HASH_OPTIONS.algorithm ||
      o.memoryCost < (PASSWORD_HASH_OPTIONS.memoryCost ?? 0) ||
      o.timeCost < (PASSWORD_HASH_OPTIONS.timeCost ?? 0)
    );
  } catch {
    return true;
  }
}

/** A password for accounts made without one: 24 characters from a CSPRNG (~143 bits). */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/** Why a password is refused, or null when acceptable (length only, per NIST 800-63B). */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  return null;
}
