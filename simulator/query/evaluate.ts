import type { Comparison, Condition, InList, Literal } from './ast.ts';
import { likeToRegExp, parseDateTime } from './values.ts';

export type RecordPredicate = (record: object) => boolean;

/**
 * Compiles a condition into a predicate, doing every per-condition step (lower-casing literals,
 * building `like` regexes and `in` sets, splitting paths) once.
 *
 * Semantics follow SQL Server, which CW runs on:
 * - String `=`, `<`, `contains`, `like`, `in` ignore case: SQL Server's default collation is
 *   case-insensitive. We approximate the collation with `toLowerCase()` and code-unit order.
 * - A missing (absent or null) value makes every comparison false, `!=` and the `not` forms included
 *   (SQL's UNKNOWN); only `= null` matches it and `!= null` rejects it.
 * - A value of another kind than the literal (a number compared with a string, say) is also UNKNOWN,
 *   hence false: CW would reject or convert, and a simulator should not guess.
 * - Datetime literals compare by instant against string values holding an ISO datetime.
 * - `in` lists: null items never match; `not in` is true only when every item is comparable and differs.
 * Because `not` only ever negates a single comparison, treating UNKNOWN as false is exact.
 */
export function compileConditions(c: Condition): RecordPredicate {
  switch (c.type) {
    case 'compare':
      return compileComparison(c);
    case 'in':
      return compileIn(c);
    case 'and': {
      const parts = c.items.map(compileConditions);
      if (parts.length === 2) {
        const [a, b] = parts as [RecordPredicate, RecordPredicate];
        return (r) => a(r) && b(r);
      }
      return (r) => {
        for (const p of parts) if (!p(r)) return false;
        return true;
      };
    }
    case 'or': {
      const parts = c.items.map(compileConditions);
      if (parts.length === 2) {
        const [a, b] = parts as [RecordPredicate, RecordPredicate];
        return (r) => a(r) || b(r);
      }
      return (r) => {
        for (const p of parts) if (p(r)) return true;
        return false;
      };
    }
  }
}

/** One-off evaluation; compile once with compileConditions when filtering many records. */
export function evaluate(c: Condition, record: object): boolean {
  return compileConditions(c)(record);
}

type Getter = (record: object) => unknown;

/** Reads a slash path; functions (inherited members such as `constructor`) read as missing. */
export function compilePath(path: string): Getter {
  const segs = path.split('/');
  if (segs.length === 1) {
    const k = segs[0]!;
    return (r) => {
      const v = (r as Record<string, unknown>)[k];
      return typeof v === 'function' ? undefined : v;
    };
  }
  return (r) => {
    let v: unknown = r;
    for (const s of segs) {
      if (v === null || typeof v !== 'object') return undefined;
      v = (v as Record<string, unknown>)[s];
    }
    return typeof v === 'function' ? undefined : v;
  };
}

const FALSE: RecordPredicate = () => false;

function compileComparison(c: Comparison): RecordPredicate {
  const get = compilePath(c.field);
  const lit = c.value;
  if (lit.kind === 'null') {
    if (c.op === '=') return (r) => get(r) == null;
    if (c.op === '!=') return (r) => get(r) != null;
    return FALSE;
  }
  if (c.op === 'contains' || c.op === 'like') {
    const s = (lit as { value: string }).value.toLowerCase();
    let match: (v: string) => boolean;
    if (c.op === 'contains') match = (v) => v.toLowerCase().includes(s);
    else match = likeMatcher(s);
    if (c.negated) {
      return (r) => {
        const v = get(r);
        return typeof v === 'string' && !match(v);
      };
    }
    return (r) => {
      const v = get(r);
      return typeof v === 'string' && match(v);
    };
  }
  const key = keyOf(lit);
  const toKey = keyReader(lit);
  const cmp = ORDER[c.op];
  return (r) => {
    const k = toKey(get(r));
    return k !== undefined && cmp(k, key);
  };
}

/**
 * `like` is mostly `x%`, `%x` or `%x%`; those become startsWith / endsWith / includes, the rest a
 * regex. `s` is already lower-cased.
 */
function likeMatcher(s: string): (v: string) => boolean {
  const m = /^([%*]?)([^%*_[]*)([%*]?)$/.exec(s);
  if (m !== null) {
    const [, lead, core = '', trail] = m;
    if (lead && trail) return (v) => v.toLowerCase().includes(core);
    if (lead) return (v) => v.toLowerCase().endsWith(core);
    if (trail) return (v) => v.toLowerCase().startsWith(core);
    return (v) => v.toLowerCase() === core;
  }
  const re = likeToRegExp(s);
  return (v) => re.test(v.toLowerCase());
}

type Key = string | number;
const ORDER: Record<'=' | '!=' | '<' | '<=' | '>' | '>=', (a: Key, b: Key) => boolean> = {
  '=': (a, b) => a === b,
  '!=': (a, b) => a !== b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

/** The literal as a comparison key: lower-cased string, number, 0/1 boolean, epoch ms. */
function keyOf(lit: Exclude<Literal, { kind: 'null' }>): Key {
  switch (lit.kind) {
    case 'string':
      return lit.value.toLowerCase();
    case 'number':
      return lit.value;
    case 'boolean':
      return lit.value ? 1 : 0;
    case 'datetime':
      return parseDateTime(lit.value);
  }
}

/** Reads a record value as a key comparable with the literal's, or undefined (UNKNOWN). */
function keyReader(lit: Exclude<Literal, { kind: 'null' }>): (v: unknown) => Key | undefined {
  switch (lit.kind) {
    case 'string':
      return (v) => (typeof v === 'string' ? v.toLowerCase() : undefined);
    case 'number':
      return (v) => (typeof v === 'number' ? v : undefined);
    case 'boolean':
      return (v) => (typeof v === 'boolean' ? (v ? 1 : 0) : undefined);
    case 'datetime':
      return (v) => {
        if (typeof v !== 'string') return undefined;
        const ms = parseDateTime(v);
        return Number.isNaN(ms) ? undefined : ms;
      };
  }
}

function compileIn(c: InList): RecordPredicate {
  const get = compilePath(c.field);
  const items = c.values.filter((v): v is Exclude<Literal, { kind: 'null' }> => v.kind !== 'null');
  const hasNull = items.length < c.values.length;
  if (c.negated && hasNull) return FALSE; // x NOT IN (…, NULL) is never true in SQL
  // One set per kind that occurs; a value is looked up in the set of its own kind.
  const strings = new Set<Key>();
  const numbers = new Set<Key>();
  const booleans = new Set<Key>();
  const instants = new Set<Key>();
  for (const item of items) {
    const set =
      item.kind === 'string'
        ? strings
        : item.kind === 'number'
          ? numbers
          : item.kind === 'boolean'
            ? booleans
            : instants;
    set.add(keyOf(item));
  }
  const kindsPresent = [strings, numbers, booleans, instants].filter((s) => s.size > 0).length;
  if (!c.negated) {
    return (r) => {
      const v = get(r);
      if (typeof v === 'string') {
        if (strings.size > 0 && strings.has(v.toLowerCase())) return true;
        if (instants.size > 0) {
          const ms = parseDateTime(v);
          return !Number.isNaN(ms) && instants.has(ms);
        }
        return false;
      }
      if (typeof v === 'number') return numbers.has(v);
      if (typeof v === 'boolean') return booleans.has(v ? 1 : 0);
      return false;
    };
  }
  // not in: every item must be comparable with v (same kind) and differ from it.
  return (r) => {
    const v = get(r);
    if (typeof v === 'string') {
      if (numbers.size > 0 || booleans.size > 0) return false;
      if (strings.size > 0 && strings.has(v.toLowerCase())) return false;
      if (instants.size > 0) {
        const ms = parseDateTime(v);
        if (Number.isNaN(ms) || instants.has(ms)) return false;
      }
      return true;
    }
    if (typeof v === 'number') return kindsPresent === 1 && numbers.size > 0 && !numbers.has(v);
    if (typeof v === 'boolean') return kindsPresent === 1 && booleans.size > 0 && !booleans.has(v ? 1 : 0);
    return false;
  };
}
