/**
 * The parsed form of a CW `conditions` string. Invariants the parser guarantees and the printer
 * relies on: `and`/`or` nodes have at least two items; a node is nested in one of the same type only
 * when the text had parentheses there (`(a and b) and c` keeps its shape), so printing and parsing
 * again gives back the same tree.
 */
export type Literal =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'boolean'; readonly value: boolean }
  /** `value` is the text between the brackets, already checked to be an ISO 8601 date or datetime. */
  | { readonly kind: 'datetime'; readonly value: string }
  | { readonly kind: 'null' };

export type LiteralKind = Literal['kind'];

export type ComparisonOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'contains' | 'like';

export interface Comparison {
  readonly type: 'compare';
  /** Slash path, e.g. `company/id`. */
  readonly field: string;
  readonly op: ComparisonOp;
  /** `not contains` / `not like`; only allowed with those two operators. */
  readonly negated: boolean;
  readonly value: Literal;
}

export interface InList {
  readonly type: 'in';
  readonly field: string;
  /** `not in` */
  readonly negated: boolean;
  readonly values: readonly Literal[];
}

export interface Junction {
  readonly type: 'and' | 'or';
  readonly items: readonly Condition[];
}

export type Condition = Comparison | InList | Junction;

/** What a caller may know about a field: its value kind lets the parser reject mismatched literals. */
export type FieldKind = 'string' | 'number' | 'boolean' | 'datetime';

/**
 * The fields a resource has. A set or predicate only checks names; a map also checks literal kinds
 * (a map entry of `undefined` means "exists, kind unknown").
 */
export type FieldCatalog =
  | ReadonlySet<string>
  | ReadonlyMap<string, FieldKind | undefined>
  | ((path: string) => boolean);

/** A slash path of names, as `conditions` and `orderBy` accept it: `company/id`. */
export const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\/[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Whether `catalog` has `path`; the one lookup conditions, orderBy and fields all make. */
export function knowsField(catalog: FieldCatalog, path: string): boolean {
  return typeof catalog === 'function' ? catalog(path) : catalog.has(path);
}
