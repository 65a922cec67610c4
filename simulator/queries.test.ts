import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from './index.ts';
import { type CwResponse, cw, type Json } from './testing.ts';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 'scale:120', today: '2026-03-10', quiet: true });
});
afterAll(() => sim.close());

const ids = (rows: Json[]) => rows.map((r: Json) => r.id);

function links(header: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(',')) {
    const m = /<([^>]+)>;\s*rel="(\w+)"/.exec(part.trim());
    if (m) out[m[2]!] = m[1]!;
  }
  return out;
}

describe('navigable pagination', () => {
  it('defaults to 25 rows in id order with next/last links and no first/prev on page 1', async () => {
    const res = await cw(sim, 'GET', 'company/companies');
    expect(res.body).toHaveLength(25);
    expect(ids(res.body)).toEqual([...ids(res.body)].sort((a, b) => a - b));
    const l = links(res.headers.get('link'));
    expect(Object.keys(l).sort()).toEqual(['last', 'next']);
    expect(l['next']).toBe(`${sim.apiBase()}/company/companies?pageSize=25&page=2`);
    expect(l['last']).toMatch(/page=5$/);
  });

  it('keeps conditions in the links and walks every page to the same set as /count', async () => {
    const q = 'conditions=' + encodeURIComponent('name like "Customer 0000%"');
    const count = (await cw(sim, 'GET', `company/companies/count?${q}`)).body.count;
    expect(count).toBe(99);
    let url: string | undefined = `${sim.apiBase()}/company/companies?${q}&pageSize=10`;
    const seen: number[] = [];
    while (url) {
      const res = await cw(sim, 'GET', url.slice(sim.apiBase().length + 1));
      seen.push(...ids(res.body));
      const l = links(res.headers.get('link'));
      if (seen.length > 10) expect(l['prev']).toBeDefined();
      url = l['next'];
      if (url) expect(url).toContain('conditions=name%20like');
    }
    expect(new Set(seen).size).toBe(count);
  });

  it('clamps pageSize to 1000, answers an empty page past the end, and refuses a bad page', async () => {
    expect((await cw(sim, 'GET', 'company/companies?pageSize=5000')).body).toHaveLength(120);
    expect((await cw(sim, 'GET', 'company/companies?page=99')).body).toEqual([]);
    const bad = await cw(sim, 'GET', 'company/companies?page=0');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('page');
  });
});

describe('forward-only pagination', () => {
  it('walks by pageId with a Link to the next pageId, ending with an empty Link', async () => {
    const headers = { 'pagination-type': 'forward-only' };
    let path: string | undefined = 'finance/agreements?pageSize=50';
    const seen: number[] = [];
    let pagesRead = 0;
    while (path) {
      const res: CwResponse<Json> = await cw(sim, 'GET', path, undefined, { headers });
      pagesRead++;
      seen.push(...ids(res.body));
      expect(res.headers.has('link')).toBe(true);
      const next: string | undefined = links(res.headers.get('link'))['next'];
      if (next) expect(next).toContain(`pageId=${seen[seen.length - 1]}`);
      path = next?.slice(sim.apiBase().length + 1);
    }
    expect(pagesRead).toBe(3);
    expect(seen).toHaveLength(120);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('ignores page, filters with conditions, and refuses orderBy', async () => {
    const headers = { 'pagination-type': 'forward-only' };
    const first = await cw(sim, 'GET', 'company/companies?pageSize=5&page=7&pageId=300', undefined, {
      headers,
    });
    expect(ids(first.body)).toEqual([301, 302, 303, 304, 305]);
    const filtered = await cw(
      sim,
      'GET',
      `company/companies?pageSize=5&conditions=${encodeURIComponent('id > 360')}`,
      undefined,
      { headers },
    );
    expect(ids(filtered.body)).toEqual([361, 362, 363, 364, 365]);
    expect((await cw(sim, 'GET', 'company/companies?orderBy=name', undefined, { headers })).status).toBe(400);
  });
});

describe('conditions, orderBy, fields', () => {
  it('filters on nested references, datetimes, in-lists and booleans', async () => {
    const byCompany = await cw(
      sim,
      'GET',
      `finance/agreements?conditions=${encodeURIComponent('company/id = 260')}`,
    );
    expect(byCompany.body).toHaveLength(1);
    expect(byCompany.body[0].company.id).toBe(260);
    const inList = await cw(
      sim,
      'GET',
      `company/companies?conditions=${encodeURIComponent('id in (250, 251, 999)')}`,
    );
    expect(ids(inList.body)).toEqual([250, 251]);
    const dated = await cw(
      sim,
      'GET',
      `finance/agreements/count?conditions=${encodeURIComponent('nextInvoiceDate >= [2026-03-01T00:00:00Z] and cancelledFlag = false')}`,
    );
    expect(dated.body.count).toBe(120);
    const star = await cw(
      sim,
      'GET',
      `company/companies/count?conditions=${encodeURIComponent("identifier like 'Customer00011*'")}`,
    );
    expect(star.body.count).toBe(10);
  });

  it("answers a bad condition with 400 carrying CW's message", async () => {
    const res = await cw(
      sim,
      'GET',
      `company/companies?conditions=${encodeURIComponent('deletedFlag = 1 and (')}`,
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('InvalidObject');
    expect(res.body.errors[0].field).toBe('conditions');
    const literal = await cw(sim, 'GET', `company/companies?conditions=${encodeURIComponent('name = Acme')}`);
    expect(literal.status).toBe(400);
    expect(literal.body.message).toMatch(/String values should be enclosed with double or single quotes/);
  });

  it("knows each resource's fields: a typo or a literal of the wrong kind is a 400, lastUpdated reads _info", async () => {
    const typo = await cw(
      sim,
      'GET',
      `service/tickets?conditions=${encodeURIComponent('externalXref = "x"')}`,
    );
    expect(typo.status).toBe(400);
    expect(typo.body.message).toMatch(/externalXref/);
    const kind = await cw(sim, 'GET', `service/tickets?conditions=${encodeURIComponent('closedFlag = 1')}`);
    expect(kind.status).toBe(400);
    expect(kind.body.message).toMatch(/^Expected a boolean value, not a numeric\./);
    expect((await cw(sim, 'GET', 'company/companies?orderBy=nmae')).status).toBe(400);
    expect((await cw(sim, 'GET', 'company/companies?fields=id,nmae')).status).toBe(400);
    const recent = await cw(
      sim,
      'GET',
      `company/companies/count?conditions=${encodeURIComponent('lastUpdated > [2020-01-01T00:00:00Z]')}`,
    );
    expect(recent.body.count).toBe(120);
    const byInfo = await cw(
      sim,
      'GET',
      'company/companies?orderBy=lastUpdated desc&pageSize=1&fields=id,_info/lastUpdated',
    );
    expect(byInfo.status).toBe(200);
    expect(Object.keys(byInfo.body[0]._info)).toEqual(['lastUpdated']);
  });

  it('orders by any field, descending too, and projects fields including nested ones', async () => {
    const res = await cw(
      sim,
      'GET',
      'company/companies?orderBy=name desc&pageSize=3&fields=id,name,status/name',
    );
    expect(res.body.map((c: Json) => c.name)).toEqual([
      'Customer 000120',
      'Customer 000119',
      'Customer 000118',
    ]);
    expect(res.body[0]).toEqual({ id: 369, name: 'Customer 000120', status: { name: 'Active' } });
    const one = await cw(sim, 'GET', 'company/companies/250?fields=identifier');
    expect(one.body).toEqual({ identifier: 'Customer000001' });
  });

  it('searches tickets by externalXRef with GET conditions and POST /search', async () => {
    const created = await cw(sim, 'POST', 'service/tickets', {
      summary: 'xref',
      company: { id: 250 },
      externalXRef: 'psa-bridge:p1:incident:inc-42',
    });
    expect(created.status).toBe(201);
    const cond = `externalXRef = "psa-bridge:p1:incident:inc-42"`;
    const viaGet = await cw(sim, 'GET', `service/tickets?conditions=${encodeURIComponent(cond)}`);
    expect(ids(viaGet.body)).toEqual([created.body.id]);
    const viaSearch = await cw(sim, 'POST', 'service/tickets/search?pageSize=10', {
      conditions: cond,
      orderBy: 'id desc',
    });
    expect(viaSearch.status).toBe(200);
    expect(ids(viaSearch.body)).toEqual([created.body.id]);
    const none = await cw(sim, 'POST', 'service/tickets/search', { conditions: 'externalXRef = "nope"' });
    expect(none.body).toEqual([]);
    const typo = await cw(sim, 'POST', 'service/tickets/search', { conditions: 'externalXref = "nope"' });
    expect(typo.status).toBe(400);
  });
});
