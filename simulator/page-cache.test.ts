// Whole pages of a table are cached as bytes (serialize.ts); a write must show on the next read of
// the same page, forward-only or numbered, and a filtered or projected page is never a cached one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from './index.ts';
import { cw, type Json } from './testing.ts';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 'demo', today: '2026-03-10', quiet: true });
});
afterAll(() => sim.close());

const forward = { headers: { 'pagination-type': 'forward-only' } };

describe('cached pages', () => {
  it('a changed record shows on the next read of its page, in both paging modes', async () => {
    const first = await cw(sim, 'GET', 'service/tickets?pageSize=3&page=1');
    const again = await cw(sim, 'GET', 'service/tickets?pageSize=3', undefined, forward);
    expect(again.body).toEqual(first.body);
    const target = first.body[1];
    const patched = await cw(sim, 'PATCH', `service/tickets/${target.id}`, [
      { op: 'replace', path: 'summary', value: 'changed after caching' },
    ]);
    expect(patched.status).toBe(200);
    for (const read of [
      await cw(sim, 'GET', 'service/tickets?pageSize=3&page=1'),
      await cw(sim, 'GET', 'service/tickets?pageSize=3', undefined, forward),
    ]) {
      expect(read.body.map((t: Json) => t.id)).toEqual(first.body.map((t: Json) => t.id));
      expect(read.body[1].summary).toBe('changed after caching');
      expect(read.body[0]).toEqual(first.body[0]);
    }
  });

  it('a new record shows on the last page, and `orderBy=id asc` is the natural order', async () => {
    const count = (await cw(sim, 'GET', 'service/tickets/count')).body.count as number;
    const lastPage = Math.ceil((count + 1) / 5);
    const before = await cw(sim, 'GET', `service/tickets?pageSize=5&page=${lastPage}`);
    const created = await cw(sim, 'POST', 'service/tickets', { summary: 'newest', company: { id: 251 } });
    expect(created.status).toBe(201);
    const after = await cw(sim, 'GET', `service/tickets?pageSize=5&page=${lastPage}`);
    expect(after.body.map((t: Json) => t.id)).toEqual([
      ...before.body.map((t: Json) => t.id),
      created.body.id,
    ]);
    const byId = await cw(sim, 'GET', `service/tickets?pageSize=5&page=${lastPage}&orderBy=id%20asc`);
    expect(byId.body).toEqual(after.body);
    const desc = await cw(sim, 'GET', 'service/tickets?pageSize=1&orderBy=id%20desc');
    expect(desc.body[0].id).toBe(created.body.id);
  });

  it('conditions and fields are applied, not served from a whole-table page', async () => {
    const all = await cw(sim, 'GET', 'company/companies?pageSize=5');
    const some = await cw(
      sim,
      'GET',
      `company/companies?pageSize=5&conditions=${encodeURIComponent('id > 252')}`,
    );
    expect(some.body.every((c: Json) => c.id > 252)).toBe(true);
    const slim = await cw(sim, 'GET', 'company/companies?pageSize=5&fields=id,name');
    expect(slim.body.map((c: Json) => Object.keys(c).sort())).toEqual(all.body.map(() => ['id', 'name']));
  });
});
