import { randomUUID } from 'node:crypto';

/**
 * pg-boss needs a singleton key on every job of an `exclusive` queue, or all keyless jobs would share
 * one; jobs sent without a key get a private one with this prefix, reported back as `null`.
 */
const PRIVATE_KEY = '~job:';

/** A key of its own for a job sent without one. */
export function privateKey(): string {
  return `${PRIVATE_KEY}${randomUUID()}`;
}

/** The singleton key as the caller sent it: `null` for a job that was sent without one. */
export function publicKey(key: string | null): string | null {
  return key === null || key.startsWith(PRIVATE_KEY) ? null : key;
}
