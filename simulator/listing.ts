import { CwError, notFound } from './errors.ts';
import { fieldsOf, INFO_ALIASES } from './fields.ts';
import {
  type Condition,
  compileConditions,
  forwardOnlyLinkHeader,
  forwardOnlyRange,
  linkHeader,
  paginate,
  parseConditions,
  parseFields,
  parseOrderBy,
  QueryError,
  type RecordPredicate,
} from './query/index.ts';
import type { Reply, RouteContext } from './router.ts';
import { StoredSlice } from './serialize.ts';
import type { Rec } from './types.ts';

/**
 * GET list, `/count` and `POST …/search` over a table: `conditions`, `orderBy`, `fields`, navigable
 * pages with a `Link` header, or forward-only pages (`pagination-type: forward-only` + `pageId`).
 * The query language itself lives in ./query; this adapts it to CW's HTTP answers.
 */

const compiled = new Map<string, RecordPredicate>();

function predicate(conditions: string, schema: string | undefined): RecordPredicate {
  const key = `${schema}\n${conditions}`;
  let p = compiled.get(key);
  if (!p) {
    const fields = schema ? fieldsOf(schema)?.conditions : undefined;
    p = compileConditions(aliasInfo(parseConditions(conditions, fields ? { fields } : {})));
    if (compiled.size > 500) compiled.clear();
    compiled.set(key, p);
  }
  return p;
}

/** `lastUpdated` & co. live in the entity's `_info`; CW's conditions name them directly. */
function aliasInfo(c: Condition): Condition {
  if ('items' in c) return { ...c, items: c.items.map(aliasInfo) };
  const target = INFO_ALIASES[c.field];
  return target ? { ...c, field: target } : c;
}

function aliasOrderBy(orderBy: string): string {
  return orderBy
    .split(',')
    .map((part) => part.trim().replace(/^\S+/, (f) => INFO_ALIASES[f] ?? f))
    .join(', ');
}

/** Turns the query module's errors into CW's 400 envelope naming the parameter. */
function asCwError(err: unknown): never {
  if (err instanceof QueryError) {
    throw new CwError(400, {
      code: 'InvalidObject',
      message: err.message,
      errors: [{ code: 'InvalidField', message: err.message, resource: 'query', field: err.param }],
    });
  }
  throw err;
}

function filter(
  records: readonly Rec[],
  conditions: string | null | undefined,
  schema?: string,
): readonly Rec[] {
  if (conditions === null || conditions === undefined || conditions.trim() === '') return records;
  try {
    const keep = predicate(conditions, schema);
    return records.filter(keep);
  } catch (err) {
    return asCwError(err);
  }
}

function isForwardOnly(ctx: RouteContext): boolean {
  const header = ctx.headers['pagination-type'];
  return typeof header === 'string' && header.toLowerCase() === 'forward-only';
}

export interface ListInput {
  conditions?: string | null;
  orderBy?: string | null;
  fields?: string | null;
  /** CW schema name of the records, for field checks (`Company`, `Ticket`, …). */
  schema?: string;
  /**
   * `all` is a table's own id-ordered array (`Collection.all()`), replaced rather than changed by a
   * write: an unfiltered page of it is answered as a slice whose bytes the serializer may cache.
   */
  stable?: boolean;
}

/** Whether `orderBy` asks for the order records are kept in (`id`, `id asc`). */
function isIdOrder(orderBy: string): boolean {
  return /^\s*id(?:\s+[aA][sS][cC])?\s*$/.test(orderBy);
}

export function listReply(ctx: RouteContext, all: readonly Rec[], input?: ListInput): Reply {
  const q = ctx.query;
  const conditions = input?.conditions ?? q.get('conditions');
  const orderBy = input?.orderBy ?? q.get('orderBy');
  const fields = input?.fields ?? q.get('fields');
  try {
    let records = filter(all, conditions, input?.schema);
    const known = input?.schema ? fieldsOf(input.schema)?.paths : undefined;
    const project = fields ? parseFields(fields, known ? { fields: known } : {}) : undefined;
    const url = `${ctx.base}/${ctx.path}`;
    // The whole table, in its own order and without projection: answer slices of it, uncopied.
    const rowsOf = (start: number, end: number) =>
      input?.stable === true && records === all && !project
        ? new StoredSlice(records, start, end)
        : project
          ? records.slice(start, end).map(project)
          : records.slice(start, end);
    if (isForwardOnly(ctx)) {
      if (orderBy) throw new QueryError('orderBy', 'orderBy cannot be used with forward-only pagination.');
      const page = forwardOnlyRange(records, q.get('pageId'), q.get('pageSize'));
      return {
        status: 200,
        body: rowsOf(page.start, page.end),
        headers: { Link: forwardOnlyLinkHeader(url, q, page.nextPageId, page.pageSize) },
      };
    }
    if (orderBy) {
      const order = parseOrderBy(aliasOrderBy(orderBy), known ? { fields: known } : {});
      // Records are kept in id order; sorting them by id again would only copy them.
      if (!isIdOrder(orderBy)) records = order.sort(records);
    }
    const page = paginate(records.length, q.get('page'), q.get('pageSize'));
    const link = linkHeader(url, q, page.page, page.pageSize, records.length);
    return { status: 200, body: rowsOf(page.start, page.end), headers: link ? { Link: link } : {} };
  } catch (err) {
    return asCwError(err);
  }
}

export function countReply(ctx: RouteContext, all: readonly Rec[], schema?: string): Reply {
  return { status: 200, body: { count: filter(all, ctx.query.get('conditions'), schema).length } };
}

/** `GET …/{id}` with `fields` honoured, 404 in CW's words when absent. */
export function oneReply(
  ctx: RouteContext,
  rec: Rec | undefined,
  what: string,
  id: number,
  schema?: string,
): Reply {
  if (!rec) throw notFound(what, id);
  const fields = ctx.query.get('fields');
  const known = schema ? fieldsOf(schema)?.paths : undefined;
  try {
    return { status: 200, body: fields ? parseFields(fields, known ? { fields: known } : {})(rec) : rec };
  } catch (err) {
    return asCwError(err);
  }
}
