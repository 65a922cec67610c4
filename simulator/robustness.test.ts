import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from './index.ts';
import { cw } from './testing.ts';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 'demo', today: '2026-03-10', quiet: true });
});
afterAll(() => sim.close());

const PATHS = [
  'service/tickets',
  'service/tickets/5000',
  'service/tickets/5000/notes',
  'service/tickets/search',
  'finance/agreements/508/additions',
  'finance/agreements/508/additions/3000',
  'company/companies',
  'service/boards/1/statuses',
];

/** Whatever a client sends, the answer is CW-shaped JSON and never a 500 (CONTRIBUTING: errors a client can cause are 4xx). */
describe('robustness', () => {
  it('answers arbitrary bodies, queries and verbs without a 500', async () => {
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.object({ maxDepth: 2 }),
    );
    const body = fc.oneof(
      fc.dictionary(
        fc.constantFrom(
          'summary',
          'company',
          'board',
          'status',
          'product',
          'quantity',
          'billCustomer',
          'effectiveDate',
          'text',
          'resolutionFlag',
          'conditions',
        ),
        value,
      ),
      fc.array(fc.record({ op: fc.constantFrom('add', 'replace', 'remove', 'x'), path: fc.string(), value })),
      value,
    );
    const query = fc.dictionary(
      fc.constantFrom('conditions', 'orderBy', 'fields', 'page', 'pageSize', 'pageId'),
      fc.string(),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PATCH', 'PUT', 'DELETE'),
        fc.constantFrom(...PATHS),
        query,
        body,
        async (method, path, q, b) => {
          const qs = new URLSearchParams(q).toString();
          const res = await cw(
            sim,
            method,
            qs ? `${path}?${qs}` : path,
            method === 'GET' || method === 'DELETE' ? undefined : b,
            {
              member: 'admin',
            },
          );
          expect(
            res.status,
            `${method} ${path}?${qs} ${JSON.stringify(b)} → ${JSON.stringify(res.body)}`,
          ).toBeLessThan(500);
          if (res.status >= 400) expect(typeof res.body.message).toBe('string');
        },
      ),
      { numRuns: 300 },
    );
  });
});
