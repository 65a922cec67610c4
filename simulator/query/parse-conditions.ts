import {
  type ComparisonOp,
  type Condition,
  FIELD_PATH,
  type FieldCatalog,
  type FieldKind,
  knowsField,
  type Literal,
  type LiteralKind,
} from './ast.ts';
import { ConditionsError, LITERAL_HINT } from './errors.ts';
import { type Token, tokenize } from './lexer.ts';
import { NUMBER, parseDateTime } from './values.ts';

export interface ParseConditionsOptions {
  /** Known field paths of the resource; omitted = any syntactically valid path is accepted. */
  readonly fields?: FieldCatalog;
}

/** Deep enough for any real filter; shallow enough that a hostile one cannot overflow the stack. */
export const MAX_NESTING = 64;

const OPERATOR_LIST = '=, !=, <, <=, >, >=, contains, like, in, not contains, not like, not in';
const SYMBOL_OPS = new Set(['=', '!=', '<', '<=', '>', '>=']);
/** Literal kind names as CW's message spells them ("not a numeric"). */
const KIND_NAME: Record<LiteralKind | FieldKind, string> = {
  string: 'string',
  number: 'numeric',
  boolean: 'boolean',
  datetime: 'datetime',
  null: 'null',
};

/**
 * Parses a CW `conditions` string. `and` binds tighter than `or`; keywords are case-insensitive.
 * Throws ConditionsError with CW's wording where CW's is known.
 */
export function parseConditions(text: string, options: ParseConditionsOptions = {}): Condition {
  const p = new Parser(tokenize(text), options.fields);
  if (p.peek().type === 'eof') throw new ConditionsError('Conditions are empty.', 1);
  const c = p.expression(0);
  const t = p.peek();
  if (t.type === 'rparen') {
    throw new ConditionsError(`Unbalanced parentheses: ')' at position ${t.pos} has no matching '('.`, t.pos);
  }
  if (t.type !== 'eof') {
    throw new ConditionsError(
      `Expected 'and', 'or' or the end of the conditions at position ${t.pos}, found '${t.text}'.`,
      t.pos,
    );
  }
  return c;
}

class Parser {
  private readonly tokens: Token[];
  private readonly fields: FieldCatalog | undefined;
  private i = 0;

  constructor(tokens: Token[], fields: FieldCatalog | undefined) {
    this.tokens = tokens;
    this.fields = fields;
  }

  peek(): Token {
    return this.tokens[this.i]!;
  }

  private next(): Token {
    return this.tokens[this.i++]!;
  }

  private isKeyword(t: Token, word: string): boolean {
    return t.type === 'word' && t.text.toLowerCase() === word;
  }

  expression(depth: number): Condition {
    const items = [this.conjunction(depth)];
    while (this.isKeyword(this.peek(), 'or')) {
      this.i++;
      items.push(this.conjunction(depth));
    }
    return items.length === 1 ? items[0]! : { type: 'or', items };
  }

  private conjunction(depth: number): Condition {
    const items = [this.primary(depth)];
    while (this.isKeyword(this.peek(), 'and')) {
      this.i++;
      items.push(this.primary(depth));
    }
    return items.length === 1 ? items[0]! : { type: 'and', items };
  }

  private primary(depth: number): Condition {
    const t = this.next();
    if (t.type === 'lparen') {
      if (depth >= MAX_NESTING) {
        throw new ConditionsError(`Conditions are nested more than ${MAX_NESTING} parentheses deep.`, t.pos);
      }
      const inner = this.expression(depth + 1);
      const close = this.next();
      if (close.type === 'rparen') return inner;
      if (close.type === 'eof') {
        throw new ConditionsError(`Unbalanced parentheses: '(' at position ${t.pos} is never closed.`, t.pos);
      }
      throw new ConditionsError(
        `Expected 'and', 'or' or ')' at position ${close.pos}, found '${close.text}'.`,
        close.pos,
      );
    }
    if (t.type === 'word') return this.comparison(t);
    if (t.type === 'eof') {
      throw new ConditionsError("Unexpected end of conditions: expected a field name or '('.", t.pos);
    }
    if (t.type === 'rparen') {
      throw new ConditionsError(`Unexpected ')' at position ${t.pos}: expected a field name or '('.`, t.pos);
    }
    throw new ConditionsError(`Expected a field name or '(' at position ${t.pos}, found '${t.text}'.`, t.pos);
  }

  private comparison(fieldToken: Token): Condition {
    const field = fieldToken.text;
    if (!FIELD_PATH.test(field)) {
      throw new ConditionsError(
        `Invalid field name '${field}' at position ${fieldToken.pos}.`,
        fieldToken.pos,
      );
    }
    const kind = this.checkField(field, fieldToken.pos);
    let opToken = this.next();
    let negated = false;
    if (this.isKeyword(opToken, 'not')) {
      negated = true;
      opToken = this.next();
      const word = opToken.type === 'word' ? opToken.text.toLowerCase() : '';
      if (word !== 'contains' && word !== 'like' && word !== 'in') {
        throw this.unknownOperator(field, opToken, `not ${opToken.text}`.trim());
      }
    }
    const word = opToken.type === 'word' ? opToken.text.toLowerCase() : '';
    if (word === 'in') return { type: 'in', field, negated, values: this.list(kind) };
    let op: ComparisonOp;
    if (word === 'contains' || word === 'like') op = word;
    else if (opToken.type === 'symbol' && SYMBOL_OPS.has(opToken.text)) op = opToken.text as ComparisonOp;
    else throw this.unknownOperator(field, opToken, opToken.text);
    const valuePos = this.peek().pos;
    const value = this.literal(kind, opToken);
    if ((op === 'contains' || op === 'like') && value.kind !== 'string') {
      throw new ConditionsError(
        `Expected a string value, not a ${KIND_NAME[value.kind]}. ${LITERAL_HINT}`,
        valuePos,
      );
    }
    return { type: 'compare', field, op, negated, value };
  }

  private unknownOperator(field: string, t: Token, shown: string): ConditionsError {
    if (t.type === 'eof') {
      return new ConditionsError(
        `Unexpected end of conditions: expected an operator after '${field}' (one of ${OPERATOR_LIST}).`,
        t.pos,
      );
    }
    return new ConditionsError(
      `Unknown operator '${shown}' after '${field}' at position ${t.pos}; expected one of ${OPERATOR_LIST}.`,
      t.pos,
    );
  }

  private list(kind: FieldKind | undefined): Literal[] {
    const open = this.next();
    if (open.type !== 'lparen') {
      throw new ConditionsError(
        `Expected '(' after 'in' at position ${open.pos}, found '${open.text || 'end of conditions'}'.`,
        open.pos,
      );
    }
    const values: Literal[] = [];
    for (;;) {
      values.push(this.literal(kind, open));
      const sep = this.next();
      if (sep.type === 'rparen') return values;
      if (sep.type === 'eof') {
        throw new ConditionsError(
          `Unbalanced parentheses: '(' at position ${open.pos} is never closed.`,
          open.pos,
        );
      }
      if (sep.type !== 'comma') {
        throw new ConditionsError(
          `Expected ',' or ')' in the 'in' list at position ${sep.pos}, found '${sep.text}'.`,
          sep.pos,
        );
      }
    }
  }

  private literal(kind: FieldKind | undefined, after: Token): Literal {
    const t = this.next();
    const value = toLiteral(t, after);
    if (kind !== undefined && value.kind !== 'null' && value.kind !== kind) {
      throw new ConditionsError(
        `Expected a ${KIND_NAME[kind]} value, not a ${KIND_NAME[value.kind]}. ${LITERAL_HINT}`,
        t.pos,
      );
    }
    return value;
  }

  private checkField(field: string, pos: number): FieldKind | undefined {
    const fields = this.fields;
    if (fields === undefined) return undefined;
    if (!knowsField(fields, field)) throw new ConditionsError(`Unknown field '${field}' in conditions.`, pos);
    return fields instanceof Map ? fields.get(field) : undefined;
  }
}

function toLiteral(t: Token, after: Token): Literal {
  switch (t.type) {
    case 'string':
      return { kind: 'string', value: t.text };
    case 'datetime':
      if (Number.isNaN(parseDateTime(t.text))) {
        throw new ConditionsError(`Expected a datetime value, not '[${t.text}]'. ${LITERAL_HINT}`, t.pos);
      }
      return { kind: 'datetime', value: t.text };
    case 'raw':
      if (NUMBER.test(t.text)) return { kind: 'number', value: Number(t.text) + 0 };
      throw new ConditionsError(`Expected a value, not '${t.text}'. ${LITERAL_HINT}`, t.pos);
    case 'word': {
      const w = t.text.toLowerCase();
      if (w === 'true' || w === 'false') return { kind: 'boolean', value: w === 'true' };
      if (w === 'null') return { kind: 'null' };
      throw new ConditionsError(`Expected a value, not '${t.text}'. ${LITERAL_HINT}`, t.pos);
    }
    case 'eof':
      throw new ConditionsError(
        `Unexpected end of conditions: expected a value after '${after.text}'. ${LITERAL_HINT}`,
        t.pos,
      );
    default:
      throw new ConditionsError(
        `Expected a value at position ${t.pos}, found '${t.text}'. ${LITERAL_HINT}`,
        t.pos,
      );
  }
}
