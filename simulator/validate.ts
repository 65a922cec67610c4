import { CwError, type Problems } from './errors.ts';
import { parseCwDate } from './time.ts';
import type { Rec } from './types.ts';

/**
 * Field readers for write bodies. Each reports into `Problems` (CW's InvalidObject list) and returns
 * the clean value or undefined, so a handler collects every problem before answering once.
 */

export type Body = Record<string, unknown>;

/** A write body must be a JSON object; anything else fails JSON binding in CW (ConnectWiseApi 400). */
export function objectBody(body: unknown, typeName: string): Body {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new CwError(400, {
      code: 'ConnectWiseApi',
      message: `Cannot deserialize the request body into type '${typeName}': a JSON object is expected.`,
    });
  }
  return body as Body;
}

export function text(
  p: Problems,
  body: Body,
  field: string,
  opts: { required?: boolean; max?: number } = {},
) {
  const value = body[field];
  if (value === undefined || value === null || value === '') {
    if (opts.required) p.missing(field);
    return undefined;
  }
  if (typeof value !== 'string') {
    p.add(field, `${field} must be a string.`);
    return undefined;
  }
  if (opts.max !== undefined && value.length > opts.max) {
    p.add(field, `${field} must be a string with a maximum length of ${opts.max}.`);
    return undefined;
  }
  return value;
}

export function num(p: Problems, body: Body, field: string, opts: { required?: boolean; min?: number } = {}) {
  const value = body[field];
  if (value === undefined || value === null) {
    if (opts.required) p.missing(field);
    return undefined;
  }
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    p.add(field, `${field} must be a number.`);
    return undefined;
  }
  if (opts.min !== undefined && n < opts.min) {
    p.add(field, `${field} must be at least ${opts.min}.`);
    return undefined;
  }
  return n;
}

export function flag(p: Problems, body: Body, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') {
    p.add(field, `${field} must be true or false.`);
    return undefined;
  }
  return value;
}

export function oneOf<T extends string>(
  p: Problems,
  body: Body,
  field: string,
  values: readonly T[],
  opts: { required?: boolean } = {},
): T | undefined {
  const value = body[field];
  if (value === undefined || value === null || value === '') {
    if (opts.required) p.missing(field);
    return undefined;
  }
  const found = values.find((v) => typeof value === 'string' && v.toLowerCase() === value.toLowerCase());
  if (!found) p.add(field, `${field} must be one of: ${values.join(', ')}.`);
  return found;
}

export function date(p: Problems, body: Body, field: string, opts: { required?: boolean } = {}) {
  const value = body[field];
  if (value === undefined || value === null || value === '') {
    if (opts.required) p.missing(field);
    return undefined;
  }
  const parsed = parseCwDate(value);
  if (!parsed) p.add(field, `${field} must be a date-time such as 2026-01-01T00:00:00Z.`);
  return parsed;
}

/**
 * The records a reference may name: looked up directly by id, scanned in id order by name. A
 * `Collection` is one; a parent's children are another (see `Collection.child`).
 */
export interface RefSource {
  get(id: number): Rec | undefined;
  all(): readonly Rec[];
}

/**
 * A reference field (`{"id": 1}` or `{"name": "…"}` / `{"identifier": "…"}`). A bare value is a JSON
 * binding error in CW, answered as ConnectWiseApi with .NET's conversion message.
 */
export function reference(
  p: Problems,
  body: Body,
  field: string,
  typeName: string,
  candidates: RefSource,
  opts: { required?: boolean; keys?: string[]; label?: string } = {},
): Rec | undefined {
  const value = body[field];
  if (value === undefined || value === null) {
    if (opts.required) p.missing(field);
    return undefined;
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new CwError(400, {
      code: 'ConnectWiseApi',
      message: `Error converting value ${JSON.stringify(value)} to type 'ConnectWise.Apis.v3_0.v2015_3.Common.Models.${typeName}'. Path '${field}'.`,
    });
  }
  const given = value as Record<string, unknown>;
  const label = opts.label ?? field;
  let found: Rec | undefined;
  if (given['id'] !== undefined && given['id'] !== null) {
    found = candidates.get(Number(given['id']));
  } else {
    const key = (opts.keys ?? ['name']).find((k) => typeof given[k] === 'string');
    if (!key) {
      if (opts.required) p.missing(field, `${label} is required: give its id.`);
      return undefined;
    }
    const wanted = String(given[key]).toLowerCase();
    found = candidates.all().find((r) => String(r[key] ?? '').toLowerCase() === wanted);
  }
  if (!found)
    p.add(
      field,
      `The ${label} ${JSON.stringify(given['id'] ?? given['name'] ?? given['identifier'])} was not found.`,
    );
  return found;
}
