import ipaddr from 'ipaddr.js';

/**
 * Coalesces refusals of anonymous callers before they reach the append-only audit log. Anyone on the
 * network can send requests without a session, and the log is never pruned, so one row per refusal
 * would let a scanner grow the database without limit. Instead each key (client address + route) gets
 * at most one row per window; the next row carries how many refusals were left out since the previous
 * one, so the trail still shows the volume. Refusals of signed-in users are not coalesced: they are
 * attributable and rare, and each one matters.
 *
 * The table is in memory and capped: past `maxKeys` the key whose row is oldest is forgotten (its
 * suppressed count with it), so a flood of distinct keys costs at most one audit row per request —
 * never unbounded memory. Counts are per process, like the login limiter.
 */
export interface DenialCoalescerOptions {
  windowMs: number;
  maxKeys: number;
  now?: () => number;
}

export interface DenialCoalescer {
  /**
   * Call once per refusal of a caller at `ip` on `route` (method and route pattern, plus anything that
   * tells refusals apart). Null: suppress it (counted for the next row). Otherwise write a row and put
   * `suppressed` (refusals left out for this client and route since its previous row) in it.
   */
  admit(ip: string, route: string): { suppressed: number } | null;
  /** Keys currently tracked (for tests of the cap). */
  readonly size: number;
}

export const ANONYMOUS_DENIAL_WINDOW_MS = 60_000;
export const ANONYMOUS_DENIAL_MAX_KEYS = 10_000;

interface Entry {
  /** When this key last wrote a row. */
  since: number;
  suppressed: number;
}

export function createDenialCoalescer(options: DenialCoalescerOptions): DenialCoalescer {
  const now = options.now ?? Date.now;
  const maxKeys = Math.max(1, options.maxKeys);
  // Map keeps insertion order; a key is re-inserted whenever it writes a row, so the first key is the
  // one whose row is oldest — the cheapest to forget.
  const entries = new Map<string, Entry>();

  return {
    admit(ip, route) {
      const key = `${clientKeyOf(ip)} ${route}`;
      const t = now();
      const entry = entries.get(key);
      if (entry && t - entry.since < options.windowMs) {
        entry.suppressed += 1;
        return null;
      }
      const suppressed = entry?.suppressed ?? 0;
      entries.delete(key);
      while (entries.size >= maxKeys) {
        const oldest = entries.keys().next().value as string;
        entries.delete(oldest);
      }
      entries.set(key, { since: t, suppressed: 0 });
      return { suppressed };
    },
    get size() {
      return entries.size;
    },
  };
}

/**
 * The client part of a coalescing key. An IPv6 host usually holds a whole /64, so keying by the full
 * address would let one host take a fresh key (and a fresh audit row) per request; IPv4 (and IPv4-mapped
 * IPv6) addresses are used as they are.
 */
export function clientKeyOf(ip: string): string {
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    address = ipaddr.process(ip);
  } catch {
    return ip;
  }
  if (address.kind() === 'ipv4') return address.toString();
  const groups = (address as ipaddr.IPv6).toNormalizedString().split(':').slice(0, 4);
  return `${groups.join(':')}::/64`;
}
