import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ComparisonOp, Condition, Literal } from './index.ts';
import { compileConditions, parseConditions, printConditions } from './index.ts';

// ---- generators ------------------------------------------------------------------------------

const FIELDS = ['a', 'b', 'name', 'company/id', 'board/name', '_info/lastUpdated', 'x/y/z'];
const SCALAR_OPS: ComparisonOp[] = ['=', '!=', '<', '<=', '>', '>='];

const instant = fc.integer({ min: Date.UTC(1990, 0, 1) / 1000, max: Date.UTC(2040, 0, 1) / 1000 });
const canonical = (s: number) => new Date(s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Every datetime form the grammar accepts, for the same instant where possible. */
const datetimeText = (seconds: fc.Arbitrary<number>) =>
  fc.tuple(seconds, fc.integer({ min: 0, max: 4 })).map(([s, form]) => {
    const c = canonical(s);
    switch (form) {
      case 0:
        return c;
      case 1:
        return c.slice(0, 10); // date only, midnight UTC
      case 2:
        return c.replace('Z', '.250Z');
      case 3: {
        const shifted = new Date((s + 2 * 3600) * 1000).toISOString().slice(0, 19);
        return `${shifted}+02:00`;
      }
      default:
        return c.slice(0, 16) + 'Z'; // no seconds
    }
  });

interface LiteralPools {
  readonly string: fc.Arbitrary<string>;
  readonly number: fc.Arbitrary<number>;
  readonly datetime: fc.Arbitrary<string>;
}

const literalOf = (pools: LiteralPools): fc.Arbitrary<Literal> =>
  fc.oneof(
    pools.string.map((value) => ({ kind: 'string', value }) as const),
    pools.number.map((value) => ({ kind: 'number', value }) as const),
    fc.boolean().map((value) => ({ kind: 'boolean', value }) as const),
    pools.datetime.map((value) => ({ kind: 'datetime', value }) as const),
    fc.constant({ kind: 'null' } as const),
  );

/** Any valid path, keywords included (`not not contains "x"` is field `not`). */
const anyField = fc.oneof(
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}(\/[A-Za-z_][A-Za-z0-9_]{0,6}){0,2}$/),
  fc.constantFrom('and', 'OR', 'not', 'in', 'like', 'contains', 'true', 'null'),
);

function conditionOf(
  pools: LiteralPools,
  likePattern: fc.Arbitrary<string>,
  field: fc.Arbitrary<string> = fc.constantFrom(...FIELDS),
): fc.Arbitrary<Condition> {
  const literal = literalOf(pools);
  const scalar = fc.record({
    type: fc.constant('compare' as const),
    field,
    op: fc.constantFrom(...SCALAR_OPS),
    negated: fc.constant(false),
    value: literal,
  });
  const text = fc.record({
    type: fc.constant('compare' as const),
    field,
    op: fc.constantFrom('contains' as const, 'like' as const),
    negated: fc.boolean(),
    value: fc.oneof(pools.string, likePattern).map((value) => ({ kind: 'string', value }) as const),
  });
  const inList = fc.record({
    type: fc.constant('in' as const),
    field,
    negated: fc.boolean(),
    values: fc.array(literal, { minLength: 1, maxLength: 5 }),
  });
  const { condition } = fc.letrec<{ condition: Condition; junction: Condition }>((tie) => ({
    condition: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, text, inList, tie('junction')),
    junction: fc.record({
      type: fc.constantFrom('and' as const, 'or' as const),
      items: fc.array(tie('condition'), { minLength: 2, maxLength: 4 }),
    }),
  }));
  return condition;
}

/** Anything: any unicode text, any finite double, every datetime form. */
const wide: LiteralPools = {
  string: fc.string({ unit: 'binary', maxLength: 12 }),
  number: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })).map((n) => n + 0),
  datetime: datetimeText(instant),
};

// Small pools so that record values and literals collide often.
const SECONDS = [
  Date.UTC(2019, 9, 9, 18, 41, 33) / 1000,
  Date.UTC(2020, 0, 1) / 1000,
  Date.UTC(2021, 5, 30, 12) / 1000,
];
const narrow: LiteralPools = {
  string: fc.constantFrom('', 'a', 'A', 'ab', 'AB', 'b', 'ba', 'abc', 'x"y', "o'b", 'a%', 'a_c'),
  number: fc.constantFrom(-1, 0, 1, 1.5, 2, 10),
  datetime: datetimeText(fc.constantFrom(...SECONDS)),
};
const likePattern = fc
  .array(fc.constantFrom('a', 'B', 'c', '%', '*', '_', '[%]', '[_]', '[a-b]', '[^a]', "'", '"'), {
    maxLength: 5,
  })
  .map((parts) => parts.join(''));

const recordValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constantFrom(
    '',
    'a',
    'A',
    'ab',
    'Ab',
    'abc',
    'ABC',
    'b',
    'bac',
    'x"y',
    "O'B",
    'a%',
    'a_c',
    'aXc',
    '%',
    '_',
  ),
  fc.constantFrom(-1, 0, 1, 1.5, 2, 10),
  fc.boolean(),
  fc.constantFrom(...SECONDS).map(canonical),
  fc.constant({ nested: 1 }),
);

const record = fc
  .record({
    a: recordValue,
    b: recordValue,
    name: recordValue,
    company: fc.oneof(fc.constant(undefined), fc.record({ id: recordValue })),
    board: fc.oneof(fc.constant(null), fc.record({ name: recordValue })),
    _info: fc.record({ lastUpdated: recordValue }),
    x: fc.oneof(
      fc.constant('scalar'),
      fc.record({ y: fc.oneof(recordValue, fc.record({ z: recordValue })) }),
    ),
  })
  .map((r) => JSON.parse(JSON.stringify(r)) as object); // undefined → absent, as in a JSON response

// ---- reference semantics, written from the spec in docs/simulator-query.md -------------------

type Tri = boolean | undefined; // undefined = SQL UNKNOWN

function lookup(record: object, path: string): unknown {
  let v: unknown = record;
  for (const seg of path.split('/')) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, seg)) return undefined;
    v = (v as Record<string, unknown>)[seg];
  }
  return v;
}

/** A comparable form of v for the literal's kind, or undefined when they cannot be compared. */
function asKind(v: unknown, kind: Literal['kind']): string | number | undefined {
  if (kind === 'string' && typeof v === 'string') return v.toLowerCase();
  if (kind === 'number' && typeof v === 'number') return v;
  if (kind === 'boolean' && typeof v === 'boolean') return Number(v);
  if (kind === 'datetime' && typeof v === 'string') {
    const ms = Date.parse(v);
    return /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(v) && !Number.isNaN(ms) ? ms : undefined;
  }
  return undefined;
}

function literalKey(l: Literal): string | number {
  switch (l.kind) {
    case 'string':
      return l.value.toLowerCase();
    case 'number':
      return l.value;
    case 'boolean':
      return Number(l.value);
    case 'datetime':
      return Date.parse(l.value);
    default:
      throw new Error('null has no key');
  }
}

/** SQL Server LIKE (plus `*`) by backtracking, lower-cased on both sides. */
function likeMatches(pattern: string, value: string): boolean {
  const p = [...pattern.toLowerCase()];
  const v = [...value.toLowerCase()];
  const memo = new Map<string, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    const cached = memo.get(key);
    if (cached !== undefined) return cached;
    let result: boolean;
    if (i === p.length) result = j === v.length;
    else if (p[i] === '%' || p[i] === '*') result = go(i + 1, j) || (j < v.length && go(i, j + 1));
    else if (j === v.length) result = false;
    else if (p[i] === '_') result = go(i + 1, j + 1);
    else if (p[i] === '[' && p.indexOf(']', i + 2) > 0) {
      const close = p.indexOf(']', i + 2);
      let body = p.slice(i + 1, close);
      const negate = body.length > 1 && body[0] === '^';
      if (negate) body = body.slice(1);
      let inSet = false;
      for (let k = 0; k < body.length; k++) {
        if (body[k + 1] === '-' && k + 2 < body.length) {
          if (v[j]! >= body[k]! && v[j]! <= body[k + 2]!) inSet = true;
          k += 2;
        } else if (body[k] === v[j]) inSet = true;
      }
      result = inSet !== negate && go(close + 1, j + 1);
    } else result = p[i] === v[j] && go(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return go(0, 0);
}

function compareTri(v: unknown, op: ComparisonOp, lit: Literal): Tri {
  if (lit.kind === 'null') {
    if (op === '=') return v === undefined || v === null;
    if (op === '!=') return !(v === undefined || v === null);
    return undefined;
  }
  const a = asKind(v, lit.kind);
  if (a === undefined) return undefined;
  if (op === 'contains') return (a as string).includes(literalKey(lit) as string);
  if (op === 'like') return likeMatches((lit as { value: string }).value, v as string);
  const b = literalKey(lit);
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

const not = (t: Tri): Tri => (t === undefined ? undefined : !t);

function reference(c: Condition, r: object): Tri {
  switch (c.type) {
    case 'compare': {
      const t = compareTri(lookup(r, c.field), c.op, c.value);
      return c.negated ? not(t) : t;
    }
    case 'in': {
      const v = lookup(r, c.field);
      // x IN (a, b) ≡ x = a OR x = b, with SQL's three-valued OR
      let acc: Tri = false;
      for (const item of c.values) {
        const t = item.kind === 'null' ? undefined : compareTri(v, '=', item);
        if (t === true) acc = true;
        else if (t === undefined && acc === false) acc = undefined;
      }
      return c.negated ? not(acc) : acc;
    }
    case 'and': {
      let acc: Tri = true;
      for (const item of c.items) {
        const t = reference(item, r);
        if (t === false) return false;
        if (t === undefined) acc = undefined;
      }
      return acc;
    }
    case 'or': {
      let acc: Tri = false;
      for (const item of c.items) {
        const t = reference(item, r);
        if (t === true) return true;
        if (t === undefined) acc = undefined;
      }
      return acc;
    }
  }
}

// ---- properties ------------------------------------------------------------------------------

describe('conditions properties', () => {
  it('print → parse gives back the same tree', () => {
    fc.assert(
      fc.property(conditionOf(wide, likePattern, anyField), (c) => {
        expect(parseConditions(printConditions(c))).toEqual(c);
      }),
      { numRuns: 2000 },
    );
  });

  it('printing is canonical: print ∘ parse ∘ print = print', () => {
    fc.assert(
      fc.property(conditionOf(wide, likePattern), (c) => {
        const text = printConditions(c);
        expect(printConditions(parseConditions(text))).toBe(text);
      }),
    );
  });

  it('the compiled predicate agrees with the reference filter', () => {
    fc.assert(
      fc.property(
        conditionOf(narrow, likePattern),
        fc.array(record, { minLength: 1, maxLength: 20 }),
        (c, records) => {
          const predicate = compileConditions(c);
          for (const r of records) expect(predicate(r)).toBe(reference(c, r) === true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('the generators reach every operator, literal kind and both outcomes', () => {
    const seen = new Set<string>();
    const visit = (c: Condition): void => {
      switch (c.type) {
        case 'compare':
          seen.add(`${c.negated ? 'not ' : ''}${c.op}`);
          seen.add(c.value.kind);
          break;
        case 'in':
          seen.add(c.negated ? 'not in' : 'in');
          for (const v of c.values) seen.add(v.kind);
          break;
        default:
          seen.add(c.type);
          c.items.forEach(visit);
      }
    };
    const outcomes = new Set<boolean>();
    fc.assert(
      fc.property(conditionOf(narrow, likePattern), record, (c, r) => {
        visit(c);
        outcomes.add(compileConditions(c)(r));
      }),
      { numRuns: 500, seed: 42 },
    );
    for (const k of [
      '=',
      '!=',
      '<',
      '<=',
      '>',
      '>=',
      'contains',
      'not contains',
      'like',
      'not like',
      'in',
      'not in',
    ]) {
      expect(seen).toContain(k);
    }
    for (const k of ['and', 'or', 'string', 'number', 'boolean', 'datetime', 'null'])
      expect(seen).toContain(k);
    expect(outcomes).toEqual(new Set([true, false]));
  });
});
