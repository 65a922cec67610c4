import { QueryError } from './errors.ts';

/** CW's defaults (connectwise-api.md §6): pageSize 25, at most 1,000, pages count from 1. */
const DEFAULT_PAGE_SIZE = 25;
const MAX_PAGE_SIZE = 1000;

export interface Page {
  readonly page: number;
  /** Effective size: the default when not given, clamped to MAX_PAGE_SIZE. */
  readonly pageSize: number;
  /** Number of the last page; at least 1 (an empty result has one, empty, page). */
  readonly lastPage: number;
  /** Slice bounds into the filtered, ordered records: `records.slice(start, end)`. */
  readonly start: number;
  readonly end: number;
}

type Param = number | string | null | undefined;

/**
 * Navigable pagination. `page`/`pageSize` may be the raw query-string values.
 * A pageSize over 1,000 is clamped, not refused: CW documents 1,000 as the maximum, clients send
 * 1,000 routinely, and no source reports a 400 for more (UNCERTAIN). Zero, negative or non-integer
 * values are refused with a 400, since they cannot mean anything. A page after the last is empty.
 */
export function paginate(total: number, page?: Param, pageSize?: Param): Page {
  const size = Math.min(positiveInt('pageSize', pageSize, DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
  const p = positiveInt('page', page, 1);
  const lastPage = Math.max(1, Math.ceil(total / size));
  const start = Math.min((p - 1) * size, total);
  return { page: p, pageSize: size, lastPage, start, end: Math.min(start + size, total) };
}

function positiveInt(name: string, value: Param, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = typeof value === 'number' ? value : /^\s*\+?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new QueryError(name, `Invalid ${name} '${value}': expected a whole number of 1 or more.`);
  }
  return n;
}

export type QueryParams = URLSearchParams | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * The `Link` header for navigable pagination (RFC 5988), as CW sends it:
 * `<url>; rel="first", <url>; rel="prev", <url>; rel="next", <url>; rel="last"`.
 * Every link keeps the request's other query parameters (conditions, orderBy, fields, …) in their
 * order, with the effective pageSize and `page` last (clients parse `page=(\d+)>`).
 * `first`/`prev` are left out on page 1 and `next`/`last` on the last page, like CW's documented
 * example (page 1 of 4 carries only next and last; the last-page form is UNCERTAIN).
 * Returns '' when there is nothing to link (a single page). `page` and `pageSize` are the effective
 * values from paginate(); `query` is the request's query as received.
 */
export function linkHeader(
  baseUrl: string,
  query: QueryParams,
  page: number,
  pageSize: number,
  total: number,
): string {
  const lastPage = Math.max(1, Math.ceil(total / pageSize));
  const prefix = `${baseUrl}?${serialize(query, ['page', 'pageId'], pageSize)}`;
  const link = (n: number, rel: string) => `<${prefix}&page=${n}>; rel="${rel}"`;
  const links: string[] = [];
  if (page > 1) {
    links.push(link(1, 'first'));
    links.push(link(Math.min(page - 1, lastPage), 'prev'));
  }
  if (page < lastPage) {
    links.push(link(page + 1, 'next'));
    links.push(link(lastPage, 'last'));
  }
  return links.join(', ');
}

export interface ForwardPage<T> {
  readonly records: T[];
  /** Effective page size (default 25, at most 1,000), for the Link header. */
  readonly pageSize: number;
  /** The id to ask for next (`pageId`), or undefined when nothing follows this page. */
  readonly nextPageId: number | undefined;
}

/**
 * Forward-only pagination (`pagination-type: forward-only`): records with id > pageId, in id order,
 * `pageSize` of them. `records` must already be filtered and sorted by ascending id; a binary search
 * finds the start. `page` and `orderBy` do not apply. `nextPageId` is the last id returned, and is
 * undefined when no record follows it (we know exactly, unlike a server that fetches pageSize rows).
 */
export function forwardOnly<T extends { readonly id: number }>(
  records: readonly T[],
  pageId?: Param,
  pageSize?: Param,
): ForwardPage<T> {
  const range = forwardOnlyRange(records, pageId, pageSize);
  return {
    records: records.slice(range.start, range.end),
    pageSize: range.pageSize,
    nextPageId: range.nextPageId,
  };
}

export interface ForwardRange {
  /** `records.slice(start, end)` is the page. */
  readonly start: number;
  readonly end: number;
  readonly pageSize: number;
  readonly nextPageId: number | undefined;
}

/** forwardOnly() as slice bounds, so a server can serve the page without copying it. */
export function forwardOnlyRange(
  records: readonly { readonly id: number }[],
  pageId?: Param,
  pageSize?: Param,
): ForwardRange {
  const size = Math.min(positiveInt('pageSize', pageSize, DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
  const after =
    pageId === undefined || pageId === null || pageId === '' ? 0 : nonNegativeInt('pageId', pageId);
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (records[mid]!.id <= after) lo = mid + 1;
    else hi = mid;
  }
  const end = Math.min(lo + size, records.length);
  const more = end < records.length;
  return { start: lo, end, pageSize: size, nextPageId: more && end > lo ? records[end - 1]!.id : undefined };
}

function nonNegativeInt(name: string, value: number | string): number {
  const n = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new QueryError(name, `Invalid ${name} '${value}': expected a whole number of 0 or more.`);
  }
  return n;
}

/**
 * The forward-only `Link` header: `<…&pageSize=N&pageId=LAST>; rel="next"`, or '' on the last page.
 * CW says there is "always a link header"; CWMAPI stops when its value is empty and fails when it is
 * absent, so the caller should send the header even when this returns '' (UNCERTAIN terminal form).
 */
export function forwardOnlyLinkHeader(
  baseUrl: string,
  query: QueryParams,
  nextPageId: number | undefined,
  pageSize: number,
): string {
  if (nextPageId === undefined) return '';
  return `<${baseUrl}?${serialize(query, ['page', 'pageId'], pageSize)}&pageId=${nextPageId}>; rel="next"`;
}

/** The query without `drop`, `pageSize` set in place (or appended); values percent-encoded. */
function serialize(query: QueryParams, drop: readonly string[], pageSize: number): string {
  const pairs: [string, string][] = [];
  if (query instanceof URLSearchParams) for (const [k, v] of query) pairs.push([k, v]);
  else {
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined) continue;
      for (const one of typeof v === 'string' ? [v] : v) pairs.push([k, one]);
    }
  }
  const out: string[] = [];
  let sized = false;
  for (const [k, v] of pairs) {
    const lower = k.toLowerCase();
    if (drop.some((d) => d.toLowerCase() === lower)) continue;
    if (lower === 'pagesize') {
      if (!sized) out.push(`${encode(k)}=${pageSize}`);
      sized = true;
      continue;
    }
    out.push(`${encode(k)}=${encode(v)}`);
  }
  if (!sized) out.push(`pageSize=${pageSize}`);
  return out.join('&');
}

/** encodeURIComponent plus the characters CW's guide says to escape (`'`, `*`, …). */
function encode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
