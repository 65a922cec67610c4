import { BASE } from './refs.ts';

/**
 * JSON bodies as bytes. Stored records never change in place (a write stores a new object), so each
 * one's JSON — with the hrefs' base filled in for the host and codebase the client called — is made
 * once and reused: a 25-row page is then a concatenation, not 25 stringifications.
 */
const stored = new WeakSet<object>();
const byBase = new Map<string, WeakMap<object, Buffer>>();
const MAX_BASES = 16;

/** Marks a record as stored (immutable from now on), so its JSON may be cached. */
export function markStored(rec: object): void {
  stored.add(rec);
}

function cacheFor(base: string): WeakMap<object, Buffer> {
  let cache = byBase.get(base);
  if (!cache) {
    if (byBase.size >= MAX_BASES) byBase.clear();
    cache = new WeakMap();
    byBase.set(base, cache);
  }
  return cache;
}

function fill(json: string, base: string): string {
  return json.includes(BASE) ? json.replaceAll(BASE, base) : json;
}

function one(value: unknown, base: string, cache: WeakMap<object, Buffer>): Buffer {
  if (value !== null && typeof value === 'object' && stored.has(value)) {
    let buf = cache.get(value);
    if (!buf) {
      buf = Buffer.from(fill(JSON.stringify(value), base));
      cache.set(value, buf);
    }
    return buf;
  }
  return Buffer.from(fill(JSON.stringify(value) ?? 'null', base));
}

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');

export function jsonBytes(body: unknown, base: string): Buffer {
  const cache = cacheFor(base);
  if (!Array.isArray(body)) return one(body, base, cache);
  const parts: Buffer[] = [OPEN];
  body.forEach((item, i) => {
    if (i > 0) parts.push(COMMA);
    parts.push(one(item, base, cache));
  });
  parts.push(CLOSE);
  return Buffer.concat(parts);
}
