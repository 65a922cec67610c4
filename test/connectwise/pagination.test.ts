// Paging through many pages keeps the conditions on every page and never loses or repeats a record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectWiseClient, createConnectWiseClient, or, where } from '../../src/connectwise/index.ts';
import { type Sim, startSim } from './sim.ts';

let s: Sim;
let cw: ConnectWiseClient;

beforeAll(async () => {
  s = await startSim({ seed: 'scale:2500' });
  cw = createConnectWiseClient(s.config());
});
afterAll(async () => {
  await cw?.close();
  await s?.close();
});

describe('pagination (scale:2500)', () => {
  it('walks forward-only pages with the conditions on every request', async () => {
    await s.clearRequests();
    const conditions = or(
      where.startsWith('identifier', 'Customer001'),
      where.eq('identifier', 'Customer002222'),
    );
    const seen: number[] = [];
    let pages = 0;
    for await (const page of cw.companies.pages({ conditions, pageSize: 100 })) {
      pages += 1;
      expect(page.length).toBeLessThanOrEqual(100);
      for (const c of page) {
        expect(c.identifier.startsWith('Customer001') || c.identifier === 'Customer002222').toBe(true);
        seen.push(c.id);
      }
    }
    expect(seen.length).toBe(1001);
    expect(new Set(seen).size).toBe(1001);
    expect(pages).toBe(11);
    expect(await cw.companies.count({ conditions })).toBe(1001);

    const calls = (await s.requests()).filter(
      (r) => r.method === 'GET' && r.path.endsWith('/company/companies'),
    );
    expect(calls.length).toBeGreaterThanOrEqual(11);
    const rendered = 'identifier like "Customer001%" or identifier = "Customer002222"';
    for (const call of calls) {
      const q = new URLSearchParams(call.query);
      expect(q.get('conditions')).toBe(rendered);
      expect(q.get('pageSize')).toBe('100');
      expect(q.has('page')).toBe(false);
    }
    // Each page after the first starts after the last id of the one before.
    const pageIds = calls
      .map((c) => new URLSearchParams(c.query).get('pageId'))
      .filter(Boolean)
      .map(Number);
    expect(pageIds).toEqual([...pageIds].sort((a, b) => a - b));
  });

  it('uses page numbers when the caller orders the results, keeping order and conditions', async () => {
    await s.clearRequests();
    const conditions = where.startsWith('identifier', 'Customer0010');
    const names: string[] = [];
    for await (const c of cw.companies.iterate({ conditions, orderBy: 'name desc', pageSize: 30 }))
      names.push(c.name);
    expect(names.length).toBe(100);
    expect(names).toEqual([...names].sort().reverse());
    const calls = (await s.requests()).filter((r) => r.path.endsWith('/company/companies'));
    expect(calls.map((c) => new URLSearchParams(c.query).get('page'))).toEqual(['1', '2', '3', '4']);
    for (const c of calls) expect(new URLSearchParams(c.query).get('orderBy')).toBe('name desc');
  });

  it('stops cleanly when the caller stops early: at most one page was asked for ahead', async () => {
    await s.clearRequests();
    let read = 0;
    for await (const page of cw.companies.pages({ pageSize: 200 })) {
      read += page.length;
      break;
    }
    expect(read).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    const calls = (await s.requests()).filter((r) => r.path.endsWith('/company/companies'));
    expect(calls.length).toBeLessThanOrEqual(2);
  });

  it('reads all 2,500 companies with 1000-record pages', async () => {
    let n = 0;
    let last = 0;
    for await (const c of cw.companies.iterate()) {
      expect(c.id).toBeGreaterThan(last);
      last = c.id;
      n += 1;
    }
    expect(n).toBe(await cw.companies.count());
    expect(n).toBeGreaterThanOrEqual(2500);
  });
});
