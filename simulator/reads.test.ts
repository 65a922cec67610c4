import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from './index.ts';
import { cw, type Json } from './testing.ts';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 'demo', today: '2026-03-10', quiet: true });
});
afterAll(() => sim.close());

const COLLECTIONS = [
  'company/companies',
  'company/companies/statuses',
  'company/contacts',
  'finance/agreements',
  'finance/agreements/{agreement}/additions',
  'procurement/catalog',
  'service/boards',
  'service/boards/{board}/statuses',
  'service/boards/{board}/types',
  'service/boards/{board}/subtypes',
  'service/boards/{board}/items',
  'service/priorities',
  'time/workTypes',
  'service/tickets',
  'service/tickets/{ticket}/notes',
];

describe('every collection: list, /count and /{id} agree', () => {
  it.each(COLLECTIONS)('%s', async (template) => {
    const path = template
      .replace('{agreement}', '508') // an agreement with additions in the demo seed
      .replace('{board}', '1')
      .replace('{ticket}', '5001');
    const list = await cw(sim, 'GET', `${path}?pageSize=1000`);
    expect(list.status).toBe(200);
    expect(list.body.length).toBeGreaterThan(0);
    expect((await cw(sim, 'GET', `${path}/count`)).body).toEqual({ count: list.body.length });
    const last: Json = list.body.at(-1);
    expect((await cw(sim, 'GET', `${path}/${last.id}`)).body).toEqual(last);
    expect((await cw(sim, 'GET', `${path}/2147483647`)).status).toBe(404);
    expect((await cw(sim, 'GET', `${path}/99999999999`)).status).toBe(404);
  });

  it('answers 404 for the children of a parent that does not exist', async () => {
    for (const path of [
      'service/boards/999/statuses',
      'finance/agreements/999/additions/count',
      'service/tickets/999/notes',
    ]) {
      const res = await cw(sim, 'GET', path);
      expect(res.status, path).toBe(404);
      expect(res.body.code).toBe('NotFound');
    }
  });
});
