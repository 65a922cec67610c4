import { normaliseEmail } from './users.ts';

/**
 * Counts failed logins per key in a sliding window and refuses further attempts once a key reaches the
 * limit, until its oldest failure leaves the window. Keys are `ip|email` (slows guessing one account)
 * and `ip` with a looser limit (slows spraying many accounts from one address). In memory: with several
 * `serve` processes each keeps its own count, so the effective limit is per process — still a hard cap
 * on guessing speed.
 */
export interface LoginLimiterOptions {
  /** Failed attempts allowed per ip+email within the window. */
  limit: number;
  windowMs: number;
  now?: () => number;
  /** The per-address cap is this many times `limit`. */
  perAddressFactor?: number;
}

export interface LoginLimiter {
  /** Null when an attempt may go ahead, else the seconds to wait. */
  check(ip: string, email: string): number | null;
  recordFailure(ip: string, email: string): void;
  recordSuccess(ip: string, email: string): void;
}

export function createLoginLimiter(options: LoginLimiterOptions): LoginLimiter {
  const now = options.now ?? Date.now;
  const factor = options.perAddressFactor ?? 5;
  const failures = new Map<string, number[]>();

  const recent = (key: string): number[] => {
    const cutoff = now() - options.windowMs;
    const kept = (failures.get(key) ?? []).filter((t) => t > cutoff);
    if (kept.length === 0) failures.delete(key);
    else failures.set(key, kept);
    return kept;
  };
  const waitFor = (key: string, limit: number): number | null => {
    const times = recent(key);
    if (times.length < limit) return null;
    const oldest = times[times.length - limit] ?? now();
    return Math.max(1, Math.ceil((oldest + options.windowMs - now()) / 1000));
  };
  const accountKey = (ip: string, email: string) => `${ip}|${normaliseEmail(email)}`;

  return {
    check(ip, email) {
      return waitFor(accountKey(ip, email), options.limit) ?? waitFor(ip, options.limit * factor);
    },
    recordFailure(ip, email) {
      for (const key of [accountKey(ip, email), ip]) {
        const times = recent(key);
        times.push(now());
        failures.set(key, times);
      }
      // Bound memory under a flood of distinct keys: drop the oldest entries past a generous size.
      if (failures.size > 100_000) {
        for (const key of failures.keys()) {
          failures.delete(key);
          if (failures.size <= 90_000) break;
        }
      }
    },
    recordSuccess(ip, email) {
      failures.delete(accountKey(ip, email));
    },
  };
}
