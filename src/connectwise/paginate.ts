// Reading whole collections one page at a time: one parsed page is held (plus, with look-ahead, the
// next one arriving). Pages are requested forward-only (`pagination-type: forward-only`, `pageId` =
// last id seen) unless the caller orders the results, in which case page numbers are used. The
// conditions go with every page.
import { z } from 'zod';
import { type Api, type ListQuery, listParams, validate } from './api.ts';
import { UnexpectedResponseError } from './errors.ts';
import type { Reply } from './transport.ts';

export const MAX_PAGE_SIZE = 1000;

export interface PageQuery extends ListQuery {
  /** 1…1000; defaults to 1000 (CW's maximum). */
  pageSize?: number | undefined;
  /** Ask for the next forward-only page while this one is read (default true). */
  lookAhead?: boolean | undefined;
}

/** Parses `<url>; rel="next", <url>; rel="last"` and returns the URL for `rel`, if any. */
export function linkFor(header: string | string[] | undefined, rel: string): string | undefined {
  const value = Array.isArray(header) ? header.join(', ') : header;
  if (!value) return undefined;
  for (const part of value.split(/,\s*(?=<)/)) {
    const m = /^<([^>]*)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (m && m[2]!.split(/\s+/).includes(rel)) return m[1];
  }
  return undefined;
}

// One array schema per item schema: checkerFor caches compiled checks by schema identity, so a fresh
// z.array(...) per read would recompile the item check (new Function) on every pages()/first() call.
const arraySchemas = new WeakMap<z.ZodType, z.ZodArray>();

function arrayOf<S extends z.ZodType>(schema: S): z.ZodArray<S> {
  let array = arraySchemas.get(schema);
  if (!array) {
    array = z.array(schema);
    arraySchemas.set(schema, array);
  }
  return array as z.ZodArray<S>;
}

/** Async iterator of pages (arrays of validated items). */
export async function* pages<S extends z.ZodType>(
  api: Api,
  path: string,
  schema: S,
  query: PageQuery = {},
): AsyncGenerator<z.output<S>[]> {
  const pageSize = query.pageSize ?? MAX_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new TypeError(`pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}.`);
  }
  const fixed: Params = { ...listParams(query), pageSize };
  if (query.orderBy !== undefined) {
    yield* numberedPages(api, path, arrayOf(schema), fixed, query.signal);
    return;
  }
  // `fields` may leave out `id`, which forward-only paging needs to know where it stands.
  const fields = fixed['fields'];
  if (typeof fields === 'string' && !fields.split(',').includes('id')) fixed['fields'] = `${fields},id`;
  yield* forwardOnlyPages(api, path, arrayOf(schema), fixed, query.signal, query.lookAhead ?? true);
}

type Params = Record<string, string | number | undefined> & { pageSize: number };

interface InFlight {
  pageId: number | undefined;
  reply: Promise<Reply>;
  controller: AbortController;
  /** The next pageId announced in the Link header, as soon as the headers are in. */
  linkedNext?: number | undefined;
  sawLink: boolean;
  nextStarted?: boolean;
}

/**
 * Forward-only pages. CW announces the next `pageId` in the `Link` header, which arrives before the
 * body: we ask for the next page then, so CW prepares it while this one is read and parsed. At most
 * one page is held parsed and one more is on the wire.
 */
async function* forwardOnlyPages<T>(
  api: Api,
  path: string,
  items: z.ZodType<T[]>,
  fixed: Params,
  signal: AbortSignal | undefined,
  lookAhead: boolean,
): AsyncGenerator<T[]> {
  const start = (pageId: number | undefined): InFlight => {
    const controller = new AbortController();
    const flight: InFlight = { pageId, controller, sawLink: false, reply: Promise.resolve() as never };
    flight.reply = api.request('GET', path, {
      query: pageId === undefined ? fixed : { ...fixed, pageId },
      headers: { 'pagination-type': 'forward-only' },
      signal: signal ? AbortSignal.any([signal, controller.signal]) : controller.signal,
      onHeaders: (headers) => {
        if (flight.sawLink) return;
        flight.sawLink = headers['link'] !== undefined;
        flight.linkedNext = nextPageId(headers['link']);
        maybePrefetch(flight);
      },
    });
    flight.reply.catch(() => undefined); // surfaced when awaited; never an unhandled rejection
    return flight;
  };
  let prefetched: InFlight | undefined;
  let current: InFlight | undefined;
  // Only the page being awaited or consumed may start its successor: at most one page ahead.
  const maybePrefetch = (flight: InFlight) => {
    if (
      !lookAhead ||
      flight !== current ||
      flight.nextStarted ||
      flight.linkedNext === undefined ||
      prefetched
    )
      return;
    flight.nextStarted = true;
    prefetched = start(flight.linkedNext);
  };
  current = start(undefined);
  try {
    while (current) {
      let rows: T[] = validate(items, (await current.reply).body, 'GET', path);
      const next = prefetched;
      prefetched = undefined;
      let following: number | undefined;
      if (rows.length === fixed.pageSize && !(current.sawLink && current.linkedNext === undefined)) {
        const firstId: unknown = (rows[0] as { id?: unknown }).id;
        const lastId: unknown = (rows[rows.length - 1] as { id?: unknown }).id;
        if (typeof firstId !== 'number' || typeof lastId !== 'number') {
          throw new UnexpectedResponseError(`Items of ${path} have no id to page on.`, {
            method: 'GET',
            path,
          });
        }
        if (current.pageId !== undefined && firstId <= current.pageId) {
          throw new UnexpectedResponseError(
            `ConnectWise ignored forward-only paging on ${path} (ids did not advance past ${current.pageId}).`,
            { method: 'GET', path },
          );
        }
        following = lastId;
      }
      if (next && next.pageId !== following) next.controller.abort();
      current = following === undefined ? undefined : next?.pageId === following ? next : start(following);
      if (current) maybePrefetch(current);
      if (rows.length > 0) yield rows;
      // Drop our reference before waiting for the next page: only one parsed page stays alive.
      rows = [];
    }
  } finally {
    prefetched?.controller.abort();
    current?.controller.abort();
  }
}

function nextPageId(link: string | string[] | undefined): number | undefined {
  const next = linkFor(link, 'next');
  if (next === undefined) return undefined;
  const id = Number(new URL(next, 'https://x/').searchParams.get('pageId'));
  return Number.isInteger(id) && id > 0 ? id : undefined;
}

/** Page-number pages, for ordered reads (CW cannot order forward-only pages). */
async function* numberedPages<T>(
  api: Api,
  path: string,
  items: z.ZodType<T[]>,
  fixed: Params,
  signal: AbortSignal | undefined,
): AsyncGenerator<T[]> {
  for (let page = 1; ; page++) {
    const reply = await api.request('GET', path, { query: { ...fixed, page }, signal });
    const rows = validate(items, reply.body, 'GET', path);
    if (rows.length > 0) yield rows;
    if (rows.length < fixed.pageSize) return;
    if (reply.headers['link'] !== undefined && linkFor(reply.headers['link'], 'next') === undefined) return;
  }
}

/** Async iterator of single items across all pages. */
export async function* items<S extends z.ZodType>(
  api: Api,
  path: string,
  schema: S,
  query: PageQuery = {},
): AsyncGenerator<z.output<S>> {
  for await (const rows of pages(api, path, schema, query)) yield* rows;
}

/** Collects every item: for small collections (boards, statuses) only. */
export async function all<S extends z.ZodType>(
  api: Api,
  path: string,
  schema: S,
  query: PageQuery = {},
): Promise<z.output<S>[]> {
  const out: z.output<S>[] = [];
  for await (const rows of pages(api, path, schema, query)) out.push(...rows);
  return out;
}

/** The first matching record: one request for a one-record page, with no look-ahead. */
export async function first<S extends z.ZodType>(
  api: Api,
  path: string,
  schema: S,
  query: ListQuery = {},
): Promise<z.output<S> | undefined> {
  for await (const rows of pages(api, path, schema, { ...query, pageSize: 1, lookAhead: false }))
    return rows[0];
  return undefined;
}

const countSchema = z.looseObject({ count: z.number().int().nonnegative() });

export async function count(api: Api, path: string, query: ListQuery = {}): Promise<number> {
  const { fields: _fields, orderBy: _orderBy, ...filters } = listParams(query);
  const body = await api.json(countSchema, 'GET', `${path}/count`, { query: filters, signal: query.signal });
  return body.count;
}
