// Every field of our zod schemas must exist in CW's real OpenAPI document with the same type, enum
// values and (for write bodies) maxLength. Catches typos, wrong enum spellings and drift on upgrade.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type CwProperty, cwProperties } from '../../../test/support/cw-openapi.ts';
import { additionCreate, additionPatch } from './finance.ts';
import { SCHEMAS_BY_CW_NAME } from './index.ts';
import { noteCreate, ticketCreate, ticketPatch } from './ticket.ts';

type Any = z.ZodType & { def: { type: string }; unwrap?: () => Any };

function unwrap(schema: Any): Any {
  let s = schema;
  while (['optional', 'nullable', 'default'].includes(s.def.type))
    s = (s.def as unknown as { innerType: Any }).innerType;
  return s;
}

function zodType(schema: Any): { type: string; enum?: string[]; maxLength?: number | null; element?: Any } {
  const s = unwrap(schema) as Any & Record<string, unknown>;
  switch (s.def.type) {
    case 'number':
      return { type: (s as unknown as { isInt: boolean }).isInt ? 'integer' : 'number' };
    case 'string':
      return { type: 'string', maxLength: (s as unknown as { maxLength: number | null }).maxLength };
    case 'enum':
      return { type: 'string', enum: (s as unknown as { options: string[] }).options };
    case 'boolean':
      return { type: 'boolean' };
    case 'object':
    case 'record':
      return { type: 'object' };
    case 'array':
      return { type: 'array', element: (s.def as unknown as { element: Any }).element };
    default:
      return { type: s.def.type };
  }
}

function shapeOf(schema: Any): Record<string, Any> {
  const s = unwrap(schema) as Any & {
    shape?: Record<string, Any>;
    def: { type: string; in?: Any; schema?: Any };
  };
  if (s.shape) return s.shape;
  throw new Error(`not an object schema: ${s.def.type}`);
}

/** Compares one object schema with CW component `name`; recurses into references. */
function compare(
  name: string,
  schema: Any,
  where: string,
  problems: string[],
  checkMaxLength: boolean,
): void {
  const spec = cwProperties(name);
  for (const [field, fieldSchema] of Object.entries(shapeOf(schema))) {
    const prop: CwProperty | undefined = spec.get(field);
    const at = `${where}.${field}`;
    if (!prop) {
      problems.push(`${at}: not a property of CW ${name}`);
      continue;
    }
    const ours = zodType(fieldSchema);
    const numeric = (t: string) => t === 'integer' || t === 'number';
    if (numeric(ours.type) && numeric(prop.type)) {
      if (prop.type === 'number' && ours.type === 'integer')
        problems.push(`${at}: CW allows decimals, we require an integer`);
    } else if (ours.type !== prop.type) {
      problems.push(`${at}: we say ${ours.type}, CW says ${prop.type}`);
    }
    if (ours.enum) {
      if (!prop.enum) problems.push(`${at}: we restrict to an enum, CW has none`);
      else if ([...ours.enum].sort().join('|') !== [...prop.enum].sort().join('|')) {
        problems.push(`${at}: enum ${ours.enum.join('|')} ≠ CW ${prop.enum.join('|')}`);
      }
    }
    if (
      checkMaxLength &&
      ours.type === 'string' &&
      prop.maxLength !== undefined &&
      ours.maxLength !== prop.maxLength
    ) {
      problems.push(`${at}: maxLength ${ours.maxLength} ≠ CW ${prop.maxLength}`);
    }
    if (prop.ref && ours.type === 'object' && unwrap(fieldSchema).def.type === 'object') {
      compare(prop.ref, fieldSchema, at, problems, checkMaxLength);
    }
    if (prop.type === 'array' && ours.element) {
      const element = zodType(ours.element);
      if (prop.ref && unwrap(ours.element).def.type === 'object')
        compare(prop.ref, ours.element, `${at}[]`, problems, checkMaxLength);
      else if (prop.items && element.type !== prop.items)
        problems.push(`${at}[]: we say ${element.type}, CW says ${prop.items}`);
    }
  }
}

describe('zod schemas match the CW OpenAPI document', () => {
  it.each(Object.entries(SCHEMAS_BY_CW_NAME))('%s', (name, schema) => {
    const problems: string[] = [];
    compare(name, schema as unknown as Any, name, problems, false);
    expect(problems).toEqual([]);
  });

  it.each([
    ['Ticket', ticketCreate],
    ['Ticket', ticketPatch],
    ['ServiceNote', noteCreate],
    ['Addition', additionCreate],
    ['Addition', additionPatch],
  ] as const)('write body for %s (fields, enums, maxLength)', (name, schema) => {
    const problems: string[] = [];
    const inner =
      (schema as unknown as Any).def.type === 'pipe'
        ? (schema as unknown as { def: { in: Any } }).def.in
        : schema;
    compare(name, inner as unknown as Any, name, problems, true);
    expect(problems).toEqual([]);
  });

  it('notices a wrong field (the check can fail)', () => {
    const problems: string[] = [];
    compare(
      'Ticket',
      ticketCreate.extend({ sumary: ticketCreate.shape.summary }) as unknown as Any,
      'Ticket',
      problems,
      true,
    );
    expect(problems).toEqual(['Ticket.sumary: not a property of CW Ticket']);
    const wrong: string[] = [];
    const bad = z.looseObject({
      id: z.string(),
      billCustomer: z.enum(['Billable', 'Free']),
      quantity: z.number().int(),
      product: z.looseObject({ identifier: z.number() }),
    });
    compare('Addition', bad as unknown as Any, 'Addition', wrong, false);
    expect(wrong).toEqual([
      'Addition.id: we say string, CW says integer',
      'Addition.billCustomer: enum Billable|Free ≠ CW Billable|DoNotBill|NoCharge',
      'Addition.quantity: CW allows decimals, we require an integer',
      'Addition.product.identifier: we say number, CW says string',
    ]);
  });
});
