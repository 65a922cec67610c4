// The read operations every CW collection offers, built once for any path + schema.
import type { z } from 'zod';
import type { Api, ListQuery } from '../api.ts';
import { InvalidInputError } from '../errors.ts';
import { all, count, first, items, type PageQuery, pages } from '../paginate.ts';

export interface ReadCollection<T> {
  /** Every matching record, one page (≤ 1000) in memory at a time. */
  iterate(query?: PageQuery): AsyncGenerator<T>;
  /** The same, page by page. */
  pages(query?: PageQuery): AsyncGenerator<T[]>;
  /** Every matching record in an array — for small tables only. */
  all(query?: PageQuery): Promise<T[]>;
  /** The first matching record (one request), or undefined. */
  first(query?: ListQuery): Promise<T | undefined>;
  count(query?: ListQuery): Promise<number>;
  get(id: number, options?: { signal?: AbortSignal }): Promise<T>;
}

export function positiveId(value: number, name = 'id'): number {
  if (!Number.isInteger(value) || value < 1 || value > 2_147_483_647) {
    throw new InvalidInputError(`${name} must be a positive integer (got ${String(value)}).`, name);
  }
  return value;
}

export function readCollection<S extends z.ZodType>(
  api: Api,
  path: string,
  schema: S,
): ReadCollection<z.output<S>> {
  return {
    iterate: (query) => items(api, path, schema, query),
    pages: (query) => pages(api, path, schema, query),
    all: (query) => all(api, path, schema, query),
    first: (query) => first(api, path, schema, query),
    count: (query) => count(api, path, query),
    get: async (id, options) =>
      api.json(schema, 'GET', `${path}/${positiveId(id)}`, { signal: options?.signal }),
  };
}

/** Validates a write body before it is sent; the error names the field and what was expected. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.') || what;
  throw new InvalidInputError(`Invalid ${what}: ${field}: ${issue.message}.`, field);
}
