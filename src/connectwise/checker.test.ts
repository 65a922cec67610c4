import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkerFor } from './checker.ts';
import { SCHEMAS_BY_CW_NAME } from './schemas/index.ts';

describe('checkerFor', () => {
  it('compiles every response schema', () => {
    for (const [name, schema] of Object.entries(SCHEMAS_BY_CW_NAME))
      expect(checkerFor(schema), name).not.toBeNull();
  });

  it('agrees with zod on values near the schema (property)', () => {
    const schema = z.looseObject({
      id: z.number().int(),
      name: z.string(),
      flag: z.boolean().nullish(),
      kind: z.enum(['A', 'B']).nullish(),
      amount: z.number().nullish(),
      ref: z
        .looseObject({ id: z.number().int().nullish(), _info: z.record(z.string(), z.string()).nullish() })
        .nullish(),
      tags: z.array(z.number().int()).nullish(),
      code: z
        .string()
        .regex(/^v\d+\/$/)
        .optional(),
    });
    const check = checkerFor(schema)!;
    const anyValue = fc.oneof(
      fc.integer(),
      fc.double(),
      fc.string(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.constantFrom('A', 'B', 'C', 'v1/', 'v1'),
      fc.constant(Number.NaN),
    );
    const candidate = fc.record(
      {
        id: anyValue,
        name: anyValue,
        flag: anyValue,
        kind: anyValue,
        amount: anyValue,
        ref: fc.oneof(
          anyValue,
          fc.record({ id: anyValue, _info: fc.oneof(anyValue, fc.dictionary(fc.string(), anyValue)) }),
        ),
        tags: fc.oneof(anyValue, fc.array(anyValue)),
        code: anyValue,
        extra: anyValue,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(candidate, (value) => {
        expect(check(value)).toBe(schema.safeParse(value).success);
      }),
      { numRuns: 2000 },
    );
  });

  it('declines schemas that transform or check more than it knows (zod is used instead)', () => {
    expect(checkerFor(z.string().min(1))).toBeNull();
    expect(checkerFor(z.object({ a: z.string() }).strict())).toBeNull();
    expect(checkerFor(z.string().transform((s) => s.length))).toBeNull();
  });
});
