import { FIELD_PATH, type FieldCatalog, knowsField } from './ast.ts';
import { QueryError } from './errors.ts';
import { compilePath } from './evaluate.ts';

export interface OrderKey {
  readonly field: string;
  readonly direction: 'asc' | 'desc';
}

export interface OrderBy {
  /** The keys as written, then `id asc` when `id` was not among them. */
  readonly keys: readonly OrderKey[];
  readonly compare: (a: object, b: object) => number;
  /** A sorted copy; reads every sort key once per record instead of once per comparison. */
  readonly sort: <T extends object>(records: readonly T[]) => T[];
}

/**
 * Parses `orderBy` (`name asc, id desc`; direction case-insensitive, default asc).
 * Ordering follows SQL Server: missing values first ascending (last descending), strings without
 * case. An `id asc` tie-break is appended so pages are stable (CW's order on ties is unspecified).
 */
export function parseOrderBy(text: string, options: { readonly fields?: FieldCatalog } = {}): OrderBy {
  const keys: OrderKey[] = [];
  for (const rawPart of text.split(',')) {
    const part = rawPart.trim();
    const words = part.split(/\s+/);
    const field = words[0] ?? '';
    if (part === '' || words.length > 2 || !FIELD_PATH.test(field)) {
      throw new QueryError('orderBy', `Invalid orderBy item '${part}': expected 'field [asc|desc]'.`);
    }
    const dir = (words[1] ?? 'asc').toLowerCase();
    if (dir !== 'asc' && dir !== 'desc') {
      throw new QueryError(
        'orderBy',
        `Invalid orderBy direction '${words[1]}' for '${field}': expected asc or desc.`,
      );
    }
    if (options.fields !== undefined && !knowsField(options.fields, field)) {
      throw new QueryError('orderBy', `Unknown field '${field}' in orderBy.`);
    }
    keys.push({ field, direction: dir });
  }
  if (!keys.some((k) => k.field === 'id')) keys.push({ field: 'id', direction: 'asc' });
  return makeOrderBy(keys);
}

function makeOrderBy(keys: readonly OrderKey[]): OrderBy {
  const getters = keys.map((k) => compilePath(k.field));
  const signs = keys.map((k) => (k.direction === 'asc' ? 1 : -1));
  const compareKeys = (ka: readonly SortKey[], kb: readonly SortKey[]): number => {
    for (let i = 0; i < signs.length; i++) {
      const d = compareSortKeys(ka[i]!, kb[i]!);
      if (d !== 0) return d * signs[i]!;
    }
    return 0;
  };
  const keysOf = (r: object): SortKey[] => getters.map((g) => toSortKey(g(r)));
  return {
    keys,
    compare: (a, b) => compareKeys(keysOf(a), keysOf(b)),
    sort: (records) => {
      const decorated = records.map((r) => ({ r, k: keysOf(r) }));
      decorated.sort((x, y) => compareKeys(x.k, y.k));
      return decorated.map((d) => d.r);
    },
  };
}

/** [rank, value]: missing < boolean < number < string < anything else (objects, arrays). */
type SortKey = readonly [number, number | string];

function toSortKey(v: unknown): SortKey {
  if (v === undefined || v === null) return [0, 0];
  if (typeof v === 'boolean') return [1, v ? 1 : 0];
  if (typeof v === 'number') return [2, v];
  if (typeof v === 'string') return [3, v.toLowerCase()];
  return [4, 0];
}

function compareSortKeys(a: SortKey, b: SortKey): number {
  if (a[0] !== b[0]) return a[0] - b[0];
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}
