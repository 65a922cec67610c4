import { type FieldCatalog, knowsField } from './ast.ts';
import { QueryError } from './errors.ts';

export type Projector = <T extends object>(record: T) => Partial<T>;

const SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** true = keep the whole value; a node = keep only these sub-fields. */
type Tree = { [key: string]: true | Tree };

/**
 * Parses `fields` (`id,name,status/id`) into a projector.
 * - A path keeps that value; `status` keeps the whole reference, `status/id` only `{status: {id}}`.
 * - A path through an array applies to each element (`customFields/value` → `[{value}, …]`).
 * - Missing values stay missing (CW omits nulls).
 * - `_info` is treated like any other field: it is in the output only when asked for (`_info`,
 *   `_info/lastUpdated`, or a whole reference like `company` that carries its own `_info`).
 *   Whether CW adds the entity's `_info` on its own is not documented; `keepInfo: true` models that.
 */
export function parseFields(
  text: string,
  options: { readonly fields?: FieldCatalog; readonly keepInfo?: boolean } = {},
): Projector {
  const tree: Tree = {};
  for (const raw of text.split(',')) {
    const path = raw.trim();
    const segs = path.split('/');
    if (path === '' || !segs.every((s) => SEGMENT.test(s))) {
      throw new QueryError('fields', `Invalid field '${path}' in fields: expected a path like 'status/id'.`);
    }
    if (options.fields !== undefined && !knowsField(options.fields, path)) {
      throw new QueryError('fields', `Unknown field '${path}' in fields.`);
    }
    insert(tree, segs);
  }
  if (options.keepInfo === true) tree['_info'] = true;
  return (<T extends object>(record: T) => project(record, tree) as Partial<T>) as Projector;
}

function insert(tree: Tree, segs: readonly string[]): void {
  let node = tree;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    const existing = Object.hasOwn(node, s) ? node[s] : undefined;
    if (existing === true) return; // the whole value is already kept
    if (i === segs.length - 1) {
      node[s] = true;
      return;
    }
    if (existing === undefined) node[s] = {};
    node = node[s] as Tree;
  }
}

function project(value: object, tree: Tree): object {
  if (Array.isArray(value)) {
    return value.map((el) => (el !== null && typeof el === 'object' ? project(el, tree) : el));
  }
  const out: Record<string, unknown> = {};
  const src = value as Record<string, unknown>;
  for (const key of Object.keys(tree)) {
    if (!Object.hasOwn(src, key)) continue;
    const v = src[key];
    if (v === undefined || v === null) continue;
    const sub = tree[key]!;
    if (sub === true) out[key] = v;
    else if (typeof v === 'object') out[key] = project(v, sub);
    // a scalar asked for by a nested path has nothing to keep: omitted
  }
  return out;
}
