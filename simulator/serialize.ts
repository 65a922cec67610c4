import { BASE } from './refs.ts';

/**
 * JSON bodies as bytes. Stored records never change in place (a write stores a new object), so each
 * one's JSON — with the hrefs' base filled in for the host and codebase the client called — is made
 * once and reused: a 25-row page is then a concatenation, not 25 stringifications.
 *
 * A page that is a plain slice of a table (no conditions, no `fields`, id order: what a client that
 * reads everything asks for, forward-only or by page number) is cached whole, keyed by the table's
 * id-ordered array, which a write replaces: serving it again allocates nothing, so reading 100,000
 * companies does not churn the heap of a process that holds them all.
 */
const stored = new WeakSet<object>();
const byBase = new Map<string, Caches>();
const MAX_BASES = 16;
/** Cached whole pages per table array and base; past this, that array's pages are dropped. */
const MAX_PAGE_BYTES = 256 * 1024 * 1024;

interface Caches {
  records: WeakMap<object, Buffer>;
  pages: WeakMap<readonly object[], { bytes: number; byRange: Map<string, Buffer> }>;
}

/** Marks a record as stored (immutable from now on), so its JSON may be cached. */
export function markStored(rec: object): void {
  stored.add(rec);
}

/** `source.slice(start, end)` of stored records in a table's own id-ordered array (never mutated). */
export class StoredSlice {
  readonly source: readonly object[];
  readonly start: number;
  readonly end: number;

  constructor(source: readonly object[], start: number, end: number) {
    this.source = source;
    this.start = start;
    this.end = end;
  }

  toJSON(): readonly object[] {
    return this.source.slice(this.start, this.end);
  }
}

function cacheFor(base: string): Caches {
  let cache = byBase.get(base);
  if (!cache) {
    if (byBase.size >= MAX_BASES) byBase.clear();
    cache = { records: new WeakMap(), pages: new WeakMap() };
    byBase.set(base, cache);
  }
  return cache;
}

function fill(json: string, base: string): string {
  return json.includes(BASE) ? json.replaceAll(BASE, base) : json;
}

function one(value: unknown, base: string, cache: Caches): Buffer {
  if (value !== null && typeof value === 'object' && stored.has(value)) {
    let buf = cache.records.get(value);
    if (!buf) {
      buf = Buffer.from(fill(JSON.stringify(value), base));
      cache.records.set(value, buf);
    }
    return buf;
  }
  return Buffer.from(fill(JSON.stringify(value) ?? 'null', base));
}

/**
 * A whole cached page. Built with one stringify of the slice (the same bytes as joining the records'
 * JSON), not through the per-record cache, so the records' JSON is not held twice.
 */
function slice(body: StoredSlice, base: string, cache: Caches): Buffer {
  let pages = cache.pages.get(body.source);
  if (!pages) {
    pages = { bytes: 0, byRange: new Map() };
    cache.pages.set(body.source, pages);
  }
  const key = `${body.start}:${body.end}`;
  let buf = pages.byRange.get(key);
  if (!buf) {
    buf = Buffer.from(fill(JSON.stringify(body.toJSON()), base));
    if (pages.bytes + buf.length > MAX_PAGE_BYTES) {
      pages.byRange.clear();
      pages.bytes = 0;
    }
    pages.byRange.set(key, buf);
    pages.bytes += buf.length;
  }
  return buf;
}

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');

export function jsonBytes(body: unknown, base: string): Buffer {
  const cache = cacheFor(base);
  if (body instanceof StoredSlice) return slice(body, base, cache);
  if (!Array.isArray(body)) return one(body, base, cache);
  const parts: Buffer[] = [OPEN];
  body.forEach((item, i) => {
    if (i > 0) parts.push(COMMA);
    parts.push(one(item, base, cache));
  });
  parts.push(CLOSE);
  return Buffer.concat(parts);
}
