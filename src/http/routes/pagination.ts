import { z } from 'zod';
import { errorSchema } from './schemas.ts';

// Console listings page by keyset: the client sends the previous page's `next` back as a cursor. A
// listing reads one row more than it returns, so it knows whether a next page exists without a count.

/** The `limit` query field of every listing. */
export const pageLimit = z.coerce
  .number({ message: 'expected a number' })
  .int()
  .min(1)
  .max(500, { message: 'expected at most 500' })
  .default(100);

/** The responses of a listing route: a page of `item`, or the errors a signed-in reader can meet. */
export function pageResponses<T extends z.ZodType>(item: T) {
  return {
    200: z.object({ items: z.array(item), next: z.string().nullable() }),
    400: errorSchema,
    401: errorSchema,
    403: errorSchema,
  };
}

/**
 * The page from `rows` fetched with `limit + 1`: the first `limit` rows as items, and as `next` the
 * cursor of the last of them when there was a row beyond it.
 */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  cursorOf: (row: Row) => string,
  toItem: (row: Row) => Item,
): { items: Item[]; next: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toItem),
    next: rows.length > limit && last !== undefined ? cursorOf(last) : null,
  };
}
