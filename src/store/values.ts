import { randomBytes } from 'node:crypto';
import type { Flag, Instant } from './types.ts';

/** Portable column values: see the conventions in types.ts and docs/storage.md. */

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
let lastTime = -1;
let lastRandom = new Uint8Array(10);

/**
 * A ULID: 48-bit milliseconds + 80 random bits, Crockford base32, 26 characters. Monotonic within the
 * process (same millisecond → random part + 1), so ids minted here sort in creation order.
 */
export function newId(): string {
  let at = Date.now();
  // Same millisecond, or the clock stepped back: keep the last time and count up in the random part.
  if (at <= lastTime) {
    at = lastTime;
    for (let i = lastRandom.length - 1; i >= 0; i--) {
      const next = (lastRandom[i] ?? 0) + 1;
      lastRandom[i] = next & 0xff;
      if (next <= 0xff) break;
    }
  } else {
    lastTime = at;
    lastRandom = new Uint8Array(randomBytes(10));
  }
  let time = '';
  let t = at;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  let rand = '';
  let bits = 0;
  let acc = 0;
  for (const byte of lastRandom) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      rand += CROCKFORD[(acc >> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  return time + rand;
}

/** The current instant as stored: ISO-8601 UTC with milliseconds. */
export function now(at: Date | number = Date.now()): Instant {
  return new Date(at).toISOString();
}

export function bool(value: boolean): Flag {
  return value ? 1 : 0;
}

export function isTrue(value: number | boolean | null | undefined): boolean {
  return value === 1 || value === true;
}

export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

export function fromJson<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined || text === '') return fallback;
  return JSON.parse(text) as T;
}

/** The last 4 characters, all that is ever shown of a saved secret (fewer of a short one: at most a third). */
export function last4(secret: string): string {
  const chars = [...secret];
  const shown = chars.length >= 12 ? 4 : Math.min(4, Math.floor(chars.length / 3));
  return shown === 0 ? '' : chars.slice(-shown).join('');
}
