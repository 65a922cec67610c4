// Checks the JSON we produce (simulator responses, client fixtures) against ConnectWise's real
// OpenAPI document (GET subset, 2026.4). Test-only: reads the spec from ../shared/connectwise/ or
// CW_OPENAPI_PATH. See docs/simulator-query.md, section "Checking JSON against CW's OpenAPI".
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';

type OasSchema = {
  readonly $ref?: string;
  readonly type?: string;
  readonly format?: string;
  readonly nullable?: boolean;
  readonly enum?: readonly unknown[];
  readonly description?: string;
  readonly properties?: Readonly<Record<string, OasSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: OasSchema | boolean;
  readonly items?: OasSchema;
};

type OasParameter = {
  readonly name: string;
  readonly in: 'query' | 'path' | 'header' | 'cookie';
  readonly required?: boolean;
  readonly schema?: OasSchema;
};

type OasOperation = {
  readonly operationId?: string;
  readonly parameters?: readonly OasParameter[];
  readonly responses?: Readonly<
    Record<string, { readonly content?: Readonly<Record<string, { readonly schema?: OasSchema }>> }>
  >;
};

type OasDocument = {
  readonly info: { readonly version: string };
  readonly paths: Readonly<Record<string, Readonly<Record<string, OasOperation>>>>;
  readonly components: { readonly schemas: Readonly<Record<string, OasSchema>> };
};

/** A JSON Schema (draft-07 subset) as ajv takes it. */
export type JsonSchema = { readonly [key: string]: unknown };

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** Where the spec is read from: CW_OPENAPI_PATH, else ../shared/connectwise/ next to the repo. */
export function cwOpenApiPath(): string {
  const fromEnv = process.env['CW_OPENAPI_PATH'];
  if (fromEnv !== undefined && fromEnv !== '') return path.resolve(repoRoot, fromEnv);
  return path.resolve(repoRoot, '../shared/connectwise/manage-2026.4-get-subset.openapi.json');
}

let spec: OasDocument | undefined;

/** The parsed spec, read once per process. */
export function cwSpec(): OasDocument {
  if (spec === undefined) {
    const file = cwOpenApiPath();
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error(
        `ConnectWise OpenAPI document not found at ${file} (set CW_OPENAPI_PATH): ${String(e)}`,
      );
    }
    spec = JSON.parse(text) as OasDocument;
  }
  return spec;
}

/** Names of every component schema in the spec. */
export function cwSchemaNames(): string[] {
  return Object.keys(cwSpec().components.schemas);
}

function component(name: string): OasSchema {
  const s = cwSpec().components.schemas[name];
  if (s === undefined) {
    throw new Error(`No schema '${name}' in the CW OpenAPI document (${cwSpec().info.version}, GET subset)`);
  }
  return s;
}

function refName(ref: string): string {
  const prefix = '#/components/schemas/';
  if (!ref.startsWith(prefix)) throw new Error(`Unsupported $ref '${ref}'`);
  return ref.slice(prefix.length);
}

const MAX_LENGTH = /Max length:\s*(\d+)\s*;/i;

/** The `Max length: N;` the spec writes into descriptions (it has no maxLength keyword). */
export function maxLengthOf(description: string | undefined): number | undefined {
  const m = description === undefined ? null : MAX_LENGTH.exec(description);
  return m === null ? undefined : Number(m[1]);
}

export interface CwSchemaOptions {
  /** Refuse properties the spec does not list (default true). */
  readonly closed?: boolean;
  /** Turn `Max length: N;` descriptions into maxLength (default true). */
  readonly maxLength?: boolean;
}

const INT32 = { minimum: -2147483648, maximum: 2147483647 };

/**
 * A component schema as plain JSON Schema for ajv: `$ref`s inlined (the spec has no cycles),
 * OAS 3.0 `nullable: true` turned into a `null` type (and a `null` enum member), `int32` into bounds,
 * `double` dropped (every JSON number is one), `date-time`/`uuid` kept for ajv-formats, and every
 * object with listed properties closed with `additionalProperties: false`. `required` is copied as the
 * spec states it. A bare `{type: "object"}` (e.g. CustomFieldValue.value, a .NET `object`) accepts any
 * JSON value: real responses put strings, numbers and booleans there.
 */
export function cwSchema(name: string, options: CwSchemaOptions = {}): JsonSchema {
  const opts = { closed: options.closed ?? true, maxLength: options.maxLength ?? true };
  return { title: name, ...convert(component(name), [name], opts) };
}

function convert(node: OasSchema, stack: readonly string[], opts: Required<CwSchemaOptions>): JsonSchema {
  if (node.$ref !== undefined) {
    const name = refName(node.$ref);
    if (stack.includes(name)) throw new Error(`Recursive schema ${[...stack, name].join(' → ')}`);
    return convert(component(name), [...stack, name], opts);
  }
  const out: Record<string, unknown> = {};
  switch (node.type) {
    case 'integer':
      out['type'] = 'integer';
      if (node.format === 'int32') Object.assign(out, INT32);
      break;
    case 'number':
    case 'boolean':
      out['type'] = node.type;
      break;
    case 'string': {
      out['type'] = 'string';
      if (node.format === 'date-time' || node.format === 'uuid' || node.format === 'date') {
        out['format'] = node.format;
      }
      const max = opts.maxLength ? maxLengthOf(node.description) : undefined;
      if (max !== undefined) out['maxLength'] = max;
      break;
    }
    case 'array':
      out['type'] = 'array';
      if (node.items !== undefined) out['items'] = convert(node.items, stack, opts);
      break;
    case 'object':
    case undefined: {
      if (node.properties !== undefined) {
        out['type'] = 'object';
        out['properties'] = Object.fromEntries(
          Object.entries(node.properties).map(([k, v]) => [k, convert(v, stack, opts)]),
        );
        if (node.required !== undefined && node.required.length > 0) out['required'] = [...node.required];
        out['additionalProperties'] = !opts.closed;
      } else if (typeof node.additionalProperties === 'object') {
        out['type'] = 'object';
        out['additionalProperties'] = convert(node.additionalProperties, stack, opts);
      } else if (node.type === undefined && node.enum === undefined) {
        return {}; // untyped: anything
      } else if (node.type === 'object') {
        return {}; // .NET `object`: any JSON value
      }
      break;
    }
    default:
      throw new Error(`Unsupported type '${node.type}' in the CW OpenAPI document`);
  }
  if (node.enum !== undefined) {
    out['enum'] = node.nullable === true && !node.enum.includes(null) ? [...node.enum, null] : [...node.enum];
  }
  if (node.nullable === true && typeof out['type'] === 'string') out['type'] = [out['type'], 'null'];
  return out;
}

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
ajvFormats.default(ajv);
const validators = new Map<string, ValidateFunction>();

function validatorFor(name: string): ValidateFunction {
  let v = validators.get(name);
  if (v === undefined) {
    const isList = name.endsWith('[]');
    const item = cwSchema(isList ? name.slice(0, -2) : name);
    v = ajv.compile(isList ? { type: 'array', items: item } : item);
    validators.set(name, v);
  }
  return v;
}

export interface CwValidation {
  readonly ok: boolean;
  /** One line per problem: `<JSON pointer>: <what is wrong>`. */
  readonly errors: string[];
}

/**
 * Validates a value we produce against CW's schema `name` (`Company`, or `Company[]` for a list
 * response). Strict: wrong types, unknown properties, strings over `Max length`, values outside an enum
 * all fail; `required` is the spec's own list.
 */
export function validateCw(name: string, value: unknown): CwValidation {
  const validate = validatorFor(name);
  if (validate(value)) return { ok: true, errors: [] };
  return { ok: false, errors: (validate.errors ?? []).map((e) => describeError(name, e)) };
}

function describeError(name: string, e: ErrorObject): string {
  const at = e.instancePath === '' ? '/' : e.instancePath;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return `${at}: unknown property '${String(params['additionalProperty'])}' (not in CW's ${name})`;
    case 'required':
      return `${at}: missing required property '${String(params['missingProperty'])}'`;
    case 'enum':
      return `${at}: must be one of ${JSON.stringify(params['allowedValues'])}`;
    default:
      return `${at}: ${e.message ?? e.keyword}`;
  }
}

export type CwType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';

export interface CwProperty {
  readonly type: CwType;
  /** Component name when the property is a `$ref` (for arrays: of the items). */
  readonly ref?: string;
  /** For arrays: the item type. */
  readonly items?: CwType;
  readonly format?: string;
  readonly nullable: boolean;
  readonly required: boolean;
  readonly enum?: readonly string[];
  readonly maxLength?: number;
  readonly description?: string;
}

/**
 * The properties of schema `name`, one entry each, for comparing a zod schema's fields, types and
 * enums with the spec. References are `type: 'object'` with `ref` (call cwProperties(ref) to go down).
 */
export function cwProperties(name: string): Map<string, CwProperty> {
  const schema = component(name);
  const required = new Set(schema.required ?? []);
  const out = new Map<string, CwProperty>();
  for (const [prop, node] of Object.entries(schema.properties ?? {})) {
    const entry: {
      type: CwType;
      ref?: string;
      items?: CwType;
      format?: string;
      nullable: boolean;
      required: boolean;
      enum?: readonly string[];
      maxLength?: number;
      description?: string;
    } = { type: 'object', nullable: node.nullable === true, required: required.has(prop) };
    if (node.$ref !== undefined) entry.ref = refName(node.$ref);
    else {
      entry.type = (node.type ?? 'object') as CwType;
      if (node.type === 'array' && node.items !== undefined) {
        if (node.items.$ref !== undefined) {
          entry.ref = refName(node.items.$ref);
          entry.items = 'object';
        } else entry.items = (node.items.type ?? 'object') as CwType;
      }
    }
    if (node.format !== undefined) entry.format = node.format;
    if (node.enum !== undefined) entry.enum = node.enum.filter((v): v is string => typeof v === 'string');
    const max = maxLengthOf(node.description);
    if (max !== undefined) entry.maxLength = max;
    if (node.description !== undefined && node.description.trim() !== '')
      entry.description = node.description.trim();
    out.set(prop, entry);
  }
  return out;
}

export interface CwParameter {
  readonly name: string;
  readonly type: string;
  readonly format?: string;
  readonly nullable: boolean;
  readonly required: boolean;
}

export interface CwOperation {
  /** The spec's path template, e.g. `/company/companies/{id}`. */
  readonly path: string;
  readonly method: string;
  readonly operationId: string | undefined;
  readonly pathParameters: CwParameter[];
  readonly queryParameters: CwParameter[];
  readonly headerParameters: CwParameter[];
  /** The 200 response body: a component name, and whether it is a list of them. */
  readonly response: { readonly schema: string; readonly list: boolean } | undefined;
}

/**
 * The spec's operation for `method` (default GET) on `urlPath`, which may be a template
 * (`/company/companies/{id}`) or a concrete path (`/company/companies/250`, query string ignored);
 * undefined when the spec has none. A literal segment wins over a parameter (`…/count` is not `{id}`).
 * The document is the GET subset: other methods are never found.
 */
export function cwOperation(urlPath: string, method = 'get'): CwOperation | undefined {
  const paths = cwSpec().paths;
  const wanted = urlPath.split('?')[0]!.replace(/\/+$/, '') || '/';
  const m = method.toLowerCase();
  let template: string | undefined;
  if (paths[wanted]?.[m] !== undefined) template = wanted;
  else if (paths[`${wanted}/`]?.[m] !== undefined) template = `${wanted}/`;
  else {
    const segs = wanted.split('/');
    let best = -1;
    for (const candidate of Object.keys(paths)) {
      if (paths[candidate]?.[m] === undefined) continue;
      const cs = candidate.replace(/\/+$/, '').split('/');
      if (cs.length !== segs.length) continue;
      let literals = 0;
      let matches = true;
      for (let i = 0; i < cs.length; i++) {
        const c = cs[i]!;
        if (c.startsWith('{') && c.endsWith('}')) continue;
        if (c !== segs[i]) {
          matches = false;
          break;
        }
        literals++;
      }
      if (matches && literals > best) {
        best = literals;
        template = candidate;
      }
    }
  }
  if (template === undefined) return undefined;
  const op = paths[template]![m]!;
  const params = (where: OasParameter['in']) =>
    (op.parameters ?? [])
      .filter((p) => p.in === where)
      .map((p) => {
        const param: { name: string; type: string; format?: string; nullable: boolean; required: boolean } = {
          name: p.name,
          type: p.schema?.type ?? 'string',
          nullable: p.schema?.nullable === true,
          required: p.required === true,
        };
        if (p.schema?.format !== undefined) param.format = p.schema.format;
        return param;
      });
  return {
    path: template,
    method: m,
    operationId: op.operationId,
    pathParameters: params('path'),
    queryParameters: params('query'),
    headerParameters: params('header'),
    response: responseOf(op),
  };
}

function responseOf(op: OasOperation): CwOperation['response'] {
  const ok = op.responses?.['200'] ?? op.responses?.['201'];
  const schema = Object.values(ok?.content ?? {})[0]?.schema;
  if (schema === undefined) return undefined;
  if (schema.$ref !== undefined) return { schema: refName(schema.$ref), list: false };
  if (schema.type === 'array' && schema.items?.$ref !== undefined) {
    return { schema: refName(schema.items.$ref), list: true };
  }
  return undefined;
}
