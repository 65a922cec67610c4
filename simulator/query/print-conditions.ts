import type { Condition, Literal } from './ast.ts';
import { formatNumber } from './values.ts';

/**
 * Canonical text for a condition: lower-case keywords, double-quoted strings with `\"` and `\\`
 * escapes, parentheses only where the tree needs them. `parseConditions(printConditions(c))` gives
 * back `c` for every tree that keeps the AST invariants (see ast.ts).
 */
export function printConditions(c: Condition): string {
  switch (c.type) {
    case 'compare':
      return `${c.field} ${c.negated ? 'not ' : ''}${c.op} ${printLiteral(c.value)}`;
    case 'in':
      return `${c.field} ${c.negated ? 'not ' : ''}in (${c.values.map(printLiteral).join(', ')})`;
    default: {
      if (c.items.length === 0) throw new RangeError(`An '${c.type}' condition needs at least one item`);
      if (c.items.length === 1) return printConditions(c.items[0]!);
      return c.items.map((item) => printChild(item, c.type)).join(` ${c.type} `);
    }
  }
}

function printChild(item: Condition, parent: 'and' | 'or'): string {
  const text = printConditions(item);
  const needsParens =
    (item.type === 'and' || item.type === 'or') &&
    item.items.length > 1 &&
    (item.type === parent || (parent === 'and' && item.type === 'or'));
  return needsParens ? `(${text})` : text;
}

function printLiteral(v: Literal): string {
  switch (v.kind) {
    case 'string':
      return `"${v.value.replace(/[\\"]/g, '\\$&')}"`;
    case 'number':
      return formatNumber(v.value);
    case 'boolean':
      return v.value ? 'true' : 'false';
    case 'datetime':
      return `[${v.value}]`;
    case 'null':
      return 'null';
  }
}
