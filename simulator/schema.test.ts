import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateCw } from '../test/support/cw-openapi.ts';
import { type RunningSimulator, startSimulator } from './index.ts';
import { cw, type Json } from './testing.ts';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 'demo', today: '2026-03-10', quiet: true });
});
afterAll(() => sim.close());

async function all(path: string): Promise<Json[]> {
  const res = await cw(sim, 'GET', `${path}${path.includes('?') ? '&' : '?'}pageSize=1000`, undefined, {
    member: 'admin',
  });
  expect(res.status, path).toBe(200);
  return res.body;
}

/** Every entity the demo seed serves, by the schema CW's OpenAPI document gives its endpoint. */
describe('every entity validates against the real CW OpenAPI document', () => {
  it('serves entities of every kind that validate', async () => {
    const collections: Array<[string, string]> = [
      ['company/companies', 'Company'],
      ['company/companies/statuses', 'CompanyStatus'],
      ['company/contacts', 'Contact'],
      ['finance/agreements', 'Agreement'],
      ['procurement/catalog', 'CatalogItem'],
      ['service/boards', 'Board'],
      ['service/priorities', 'Priority'],
      ['time/workTypes', 'WorkType'],
      ['service/tickets', 'Ticket'],
    ];
    const checked: Record<string, number> = {};
    const check = (schema: string, entities: Json[], where: string) => {
      for (const entity of entities) {
        const result = validateCw(schema, entity);
        expect(result.errors, `${where} #${entity.id}`).toEqual([]);
        checked[schema] = (checked[schema] ?? 0) + 1;
      }
    };
    for (const [path, schema] of collections) check(schema, await all(path), path);
    for (const board of await all('service/boards')) {
      check('BoardStatus', await all(`service/boards/${board.id}/statuses`), 'statuses');
      check('BoardType', await all(`service/boards/${board.id}/types`), 'types');
      check('BoardSubType', await all(`service/boards/${board.id}/subtypes`), 'subtypes');
      check('BoardItem', await all(`service/boards/${board.id}/items`), 'items');
    }
    for (const agreement of await all('finance/agreements')) {
      check('Addition', await all(`finance/agreements/${agreement.id}/additions`), 'additions');
    }
    for (const ticket of await all('service/tickets')) {
      check('ServiceNote', await all(`service/tickets/${ticket.id}/notes`), 'notes');
    }
    check('Count', [(await cw(sim, 'GET', 'service/tickets/count')).body], 'count');
    for (const schema of [
      'Company',
      'Agreement',
      'Addition',
      'Ticket',
      'ServiceNote',
      'BoardStatus',
      'CatalogItem',
    ]) {
      expect(checked[schema], schema).toBeGreaterThan(0);
    }
  });

  it('writes answer with entities that validate too', async () => {
    const ticket = await cw(sim, 'POST', 'service/tickets', {
      summary: 'Schema check',
      company: { identifier: 'AcmeLogistics' },
      board: { name: 'Security' },
      externalXRef: 'schema-1',
      initialDescription: 'created by the schema test',
    });
    expect(ticket.status).toBe(201);
    expect(validateCw('Ticket', ticket.body).errors).toEqual([]);
    const note = await cw(sim, 'POST', `service/tickets/${ticket.body.id}/notes`, {
      text: 'n',
      internalAnalysisFlag: true,
    });
    expect(validateCw('ServiceNote', note.body).errors).toEqual([]);
    const agreement = (await all('finance/agreements?conditions=agreementStatus="Active"'))[0];
    const addition = await cw(sim, 'POST', `finance/agreements/${agreement.id}/additions`, {
      product: { identifier: 'Core' },
      quantity: 3,
      billCustomer: 'Billable',
      effectiveDate: '2026-05-01T00:00:00Z',
    });
    expect(addition.status).toBe(201);
    expect(validateCw('Addition', addition.body).errors).toEqual([]);
  });
});
