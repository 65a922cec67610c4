// The layer resources call: API-relative paths, query building, response validation with zod, and one
// codebase rediscovery when CW answers 404 after a hosted upgrade moved the codebase.
import type { z } from 'zod';
import { checkerFor } from './checker.ts';
import type { CodebaseResolver } from './codebase.ts';
import { type Condition, render } from './conditions.ts';
import { NotFoundError, UnexpectedResponseError } from './errors.ts';
import type { Call, Reply, Transport } from './transport.ts';

export interface ListQuery {
  conditions?: Condition | undefined;
  childConditions?: Condition | undefined;
  customFieldConditions?: Condition | undefined;
  /** `name asc`, `id desc`, … (forces page-number pagination: CW cannot order forward-only pages). */
  orderBy?: string | undefined;
  /** Partial response: only these fields (`id`, `name`, `status/id`). */
  fields?: readonly string[] | undefined;
  signal?: AbortSignal | undefined;
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  idempotent?: boolean;
  signal?: AbortSignal | undefined;
  onHeaders?: Call['onHeaders'];
}

const ORDER_BY = /^[A-Za-z_][A-Za-z0-9_/]*( (asc|desc))?(, ?[A-Za-z_][A-Za-z0-9_/]*( (asc|desc))?)*$/i;
const FIELD = /^[A-Za-z_][A-Za-z0-9_/]*$/;

/** `a=1&b=x%20y` with RFC 3986 escaping (`+` → %2B, space → %20), as CW documents. */
export function encodeQuery(params: Record<string, string | number | undefined>): string {
  return Object.entries(params)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(
      ([k, v]) =>
        `${encodeURIComponent(k)}=${encodeURIComponent(String(v)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`,
    )
    .join('&');
}

export function listParams(query: ListQuery): Record<string, string | undefined> {
  if (query.orderBy !== undefined && !ORDER_BY.test(query.orderBy)) {
    throw new TypeError(`Invalid orderBy "${query.orderBy}" (expected e.g. "name asc").`);
  }
  for (const f of query.fields ?? []) {
    if (!FIELD.test(f)) throw new TypeError(`Invalid field "${f}" in fields.`);
  }
  return {
    conditions: render(query.conditions),
    childConditions: render(query.childConditions),
    customFieldConditions: render(query.customFieldConditions),
    orderBy: query.orderBy,
    fields: query.fields && query.fields.length > 0 ? query.fields.join(',') : undefined,
  };
}

export class Api {
  readonly transport: Transport;
  readonly codebase: CodebaseResolver;

  constructor(transport: Transport, codebase: CodebaseResolver) {
    this.transport = transport;
    this.codebase = codebase;
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<Reply> {
    const send = async (): Promise<Reply> => {
      const codebase = await this.codebase.codebase(options.signal);
      return this.transport.send({
        method,
        urlPath: `/${codebase}apis/3.0${path}`,
        displayPath: path,
        ...(options.query ? { query: encodeQuery(options.query) } : {}),
        ...(options.body === undefined ? {} : { body: options.body }),
        ...(options.headers ? { headers: options.headers } : {}),
        ...(options.idempotent === undefined ? {} : { idempotent: options.idempotent }),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onHeaders ? { onHeaders: options.onHeaders } : {}),
      });
    };
    try {
      return await send();
    } catch (err) {
      // Only a GET is repeated: a 404 on a write may mean the record is gone, not the codebase.
      if (
        err instanceof NotFoundError &&
        method === 'GET' &&
        (await this.codebase.rediscover(options.signal))
      ) {
        return send();
      }
      throw err;
    }
  }

  async json<S extends z.ZodType>(
    schema: S,
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<z.output<S>> {
    const reply = await this.request(method, path, options);
    return validate(schema, reply.body, method, path);
  }
}

export function validate<S extends z.ZodType>(
  schema: S,
  body: unknown,
  method: string,
  path: string,
): z.output<S> {
  // Fast path: check in place (no copy); zod only runs when it must explain a failure.
  const check = checkerFor(schema);
  if (check?.(body)) return body as z.output<S>;
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'body';
  throw new UnexpectedResponseError(
    `ConnectWise answered ${method} ${path} with data we do not understand at "${where}": ${issue?.message ?? 'invalid'}. ` +
      'The API version may have changed; report this to psa-bridge support.',
    { method, path },
  );
}
