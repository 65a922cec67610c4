// The only way to build a CW `conditions` string. Callers pass field paths and values; quoting,
// escaping, `[datetime]` brackets and `in (…)` lists are done here, so no caller ever concatenates
// a condition (and no tenant-controlled string can change a query's meaning).

declare const conditionBrand: unique symbol;
/** An opaque, already-rendered condition. Build it with `where`, `and`, `or`. */
export interface Condition {
  readonly [conditionBrand]: true;
  readonly text: string;
  /** Whether `text` is an and/or list that needs parentheses when nested. */
  readonly compound: boolean;
}

/** A datetime literal: rendered as `[2026-05-01T00:00:00Z]`. */
export interface CwDateTime {
  readonly kind: 'datetime';
  readonly iso: string;
}

export type ConditionValue = string | number | boolean | null | Date | CwDateTime;

const FIELD = /^[A-Za-z_][A-Za-z0-9_]*(\/[A-Za-z_][A-Za-z0-9_]*)*$/;

function make(text: string, compound: boolean): Condition {
  return { text, compound } as Condition;
}

function field(path: string): string {
  if (!FIELD.test(path)) throw new TypeError(`Invalid CW field path "${path}" (expected e.g. company/id).`);
  return path;
}

/** `2026-05-01`, an ISO datetime string or a Date → CW datetime literal (UTC, seconds precision). */
export function dateTime(value: Date | string): CwDateTime {
  const date =
    typeof value === 'string'
      ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value)
      : value;
  if (Number.isNaN(date.getTime())) throw new TypeError(`Invalid date for a CW condition: ${String(value)}`);
  return { kind: 'datetime', iso: date.toISOString().replace(/\.\d{3}Z$/, 'Z') };
}

/**
 * Quotes a string. CW documents no escape for quotes inside condition strings, so we pick the quote
 * character the value does not contain (both `"` and `'` are accepted); only a value holding both gets
 * backslash escapes. Backslashes are doubled. Control characters are refused rather than guessed at.
 */
export function quote(value: string): string {
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    throw new TypeError('A CW condition value cannot contain control characters (line breaks, tabs).');
  }
  const escaped = value.replace(/\\/g, '\\\\');
  if (!value.includes('"')) return `"${escaped}"`;
  if (!value.includes("'")) return `'${escaped}'`;
  return `"${escaped.replace(/"/g, '\\"')}"`;
}

export function literal(value: ConditionValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    const text = String(value);
    if (!Number.isFinite(value) || /e/i.test(text))
      throw new TypeError(`Unsupported number ${text} in a condition.`);
    return text;
  }
  if (typeof value === 'string') return quote(value);
  if (value instanceof Date) return `[${dateTime(value).iso}]`;
  return `[${value.iso}]`;
}

function compare(op: string, path: string, value: ConditionValue): Condition {
  if (value === null && op !== '=' && op !== '!=')
    throw new TypeError(`null can only be compared with = or !=.`);
  return make(`${field(path)} ${op} ${literal(value)}`, false);
}

/** Escapes LIKE metacharacters in a literal so `startsWith`/`endsWith` match it exactly. */
export function likeLiteral(text: string): string {
  return text.replace(/[[%_*]/g, (c) => `[${c}]`);
}

export const where = {
  eq: (path: string, value: ConditionValue) => compare('=', path, value),
  ne: (path: string, value: ConditionValue) => compare('!=', path, value),
  lt: (path: string, value: ConditionValue) => compare('<', path, value),
  le: (path: string, value: ConditionValue) => compare('<=', path, value),
  gt: (path: string, value: ConditionValue) => compare('>', path, value),
  ge: (path: string, value: ConditionValue) => compare('>=', path, value),
  contains: (path: string, text: string) => make(`${field(path)} contains ${quote(text)}`, false),
  notContains: (path: string, text: string) => make(`${field(path)} not contains ${quote(text)}`, false),
  /** A raw LIKE pattern (`%` wildcards are the caller's); prefer startsWith for literals. */
  like: (path: string, pattern: string) => make(`${field(path)} like ${quote(pattern)}`, false),
  startsWith: (path: string, text: string) =>
    make(`${field(path)} like ${quote(`${likeLiteral(text)}%`)}`, false),
  isNull: (path: string) => compare('=', path, null),
  notNull: (path: string) => compare('!=', path, null),
  in(path: string, values: readonly (string | number)[]): Condition {
    if (values.length === 0) throw new TypeError(`An "in" condition on ${path} needs at least one value.`);
    return make(`${field(path)} in (${values.map((v) => literal(v)).join(', ')})`, false);
  },
};

type Part = Condition | undefined | null | false;

function join(word: 'and' | 'or', parts: Part[]): Condition | undefined {
  const present = parts.filter((p): p is Condition => Boolean(p));
  if (present.length === 0) return undefined;
  if (present.length === 1) return present[0];
  const text = present.map((p) => (p.compound ? `(${p.text})` : p.text)).join(` ${word} `);
  return make(text, true);
}

/** All of the parts; falsy parts are skipped so optional filters compose. Undefined when none are left. */
export function and(...parts: Part[]): Condition | undefined {
  return join('and', parts);
}

export function or(...parts: Part[]): Condition | undefined {
  return join('or', parts);
}

export function render(condition: Condition | undefined): string | undefined {
  return condition?.text;
}
