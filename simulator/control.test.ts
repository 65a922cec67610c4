import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from './index.ts';
import { authHeaders, control, cw, type Json } from './testing.ts';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 'demo', today: '2026-03-10', quiet: true });
});
afterAll(() => sim.close());
beforeEach(async () => {
  await control(sim, 'DELETE', 'faults');
});

describe('/__sim/ state control', () => {
  it('resets to another seed and back, and refuses an unknown seed', async () => {
    const empty = await control(sim, 'POST', 'reset', { seed: 'empty' });
    expect(empty.body.counts).toMatchObject({ companies: 0, agreements: 0, tickets: 0 });
    expect((await cw(sim, 'GET', 'company/companies')).body).toEqual([]);
    expect((await cw(sim, 'GET', 'service/boards/count')).body.count).toBe(2);
    const scale = await control(sim, 'POST', 'reset', { seed: 'scale:50' });
    expect(scale.body.counts).toMatchObject({ companies: 50, agreements: 50 });
    expect((await control(sim, 'POST', 'reset', { seed: 'bogus' })).status).toBe(400);
    const demo = await control(sim, 'POST', 'reset', { seed: 'demo', today: '2026-03-10' });
    expect(demo.body.counts.companies).toBe(25);
  });

  it('moves the clock: dates written follow it and agreements expire', async () => {
    await control(sim, 'POST', 'reset', { seed: 'demo', today: '2026-03-10' });
    expect((await control(sim, 'POST', 'clock', { today: '2026-13-01' })).status).toBe(400);
    const future = await control(sim, 'POST', 'clock', { today: '2031-01-15' });
    expect(future.body).toEqual({ today: '2031-01-15' });
    const t = await cw(sim, 'POST', 'service/tickets', { summary: 'later', company: { id: 251 } });
    expect(t.body._info.dateEntered).toMatch(/^2031-01-15T/);
    const state = await control(sim, 'GET', 'state');
    expect(state.body.today).toBe('2031-01-15');
    expect(state.body.tables.tickets.length).toBeGreaterThan(0);
    await control(sim, 'POST', 'reset', { seed: 'demo', today: '2026-03-10' });
  });

  it('logs requests with counters by member, method, route and status', async () => {
    await control(sim, 'DELETE', 'requests');
    await cw(sim, 'GET', 'company/companies/251');
    await cw(sim, 'GET', 'company/companies/252', undefined, { member: 'restricted' });
    await cw(sim, 'GET', 'company/companies/1');
    const log = await control(sim, 'GET', 'requests');
    expect(log.body.requests.map((r: Json) => r.status)).toEqual([200, 200, 404]);
    expect(log.body.counters).toMatchObject({
      total: 3,
      byMember: { IntegrationAPI: 2, RestrictedAPI: 1 },
      byMethod: { GET: 3 },
      byStatus: { '200': 2, '404': 1 },
    });
    expect(log.body.counters.byRoute['GET /v4_6_release/apis/3.0/company/companies/{id}']).toBe(3);
    await cw(sim, 'POST', 'service/tickets/5000/notes', { text: 'logged', internalAnalysisFlag: true });
    const withBody = (await control(sim, 'GET', 'requests')).body.requests.at(-1);
    expect(JSON.parse(withBody.body)).toEqual({ text: 'logged', internalAnalysisFlag: true });
    const since = log.body.requests[1].seq;
    expect((await control(sim, 'GET', `requests?since=${since}`)).body.requests).toHaveLength(2);
  });

  it('moves the codebase like a hosted upgrade: companyinfo follows, the old codebase 404s', async () => {
    await control(sim, 'POST', 'reset', { seed: 'demo', today: '2026-03-10' });
    const info = async () => (await fetch(`${sim.url}/login/companyinfo/sandbox`)).json() as Promise<Json>;
    expect((await info()).Codebase).toBe('v2025_1/');
    expect((await cw(sim, 'GET', 'system/info', undefined, { codebase: 'v2025_1/' })).status).toBe(200);

    const moved = await control(sim, 'POST', 'codebase', { codebase: 'v2026_1' });
    expect(moved.body).toEqual({ path: 'v2026_1/', versionCode: 'v2026.1' });
    expect(await info()).toMatchObject({ Codebase: 'v2026_1/', VersionCode: 'v2026.1' });
    expect((await cw(sim, 'GET', 'system/info', undefined, { codebase: 'v2025_1/' })).status).toBe(404);
    const now = await cw(sim, 'GET', 'company/companies?pageSize=1', undefined, { codebase: 'v2026_1/' });
    expect(now.status).toBe(200);
    expect(now.body[0].status._info.status_href).toContain('/v2026_1/apis/3.0/');
    expect((await cw(sim, 'GET', 'system/info', undefined, { codebase: 'v2026_1/' })).body.version).toMatch(
      /^v2026\.1\./,
    );
    expect((await cw(sim, 'GET', 'system/info', undefined, { codebase: 'v4_6_release/' })).status).toBe(200);
    expect((await control(sim, 'GET', 'codebase')).body.path).toBe('v2026_1/');

    expect((await control(sim, 'POST', 'codebase', { codebase: '../x' })).status).toBe(400);
    expect((await control(sim, 'POST', 'codebase', {})).status).toBe(400);
    await control(sim, 'POST', 'reset', {});
    expect((await info()).Codebase).toBe('v2025_1/');
  });

  it('answers unknown control paths with 404', async () => {
    expect((await control(sim, 'GET', 'nothing')).status).toBe(404);
    expect((await control(sim, 'GET', '')).body.endpoints.length).toBeGreaterThan(5);
  });
});

describe('/__sim/faults', () => {
  it("answers 429 with Retry-After and CW's body, only for the chosen methods and path prefix", async () => {
    const set = await control(sim, 'POST', 'faults', {
      rate429: 1,
      retryAfterSeconds: 7,
      methods: ['post'],
      pathPrefix: '/service/tickets',
    });
    expect(set.status).toBe(200);
    const limited = await cw(sim, 'POST', 'service/tickets', { summary: 'x', company: { id: 251 } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.body.message).toMatch(/Too many requests/);
    expect((await cw(sim, 'GET', 'service/tickets?pageSize=1')).status).toBe(200);
    expect(
      (await cw(sim, 'POST', 'service/tickets/5000/notes', { text: 'x', internalAnalysisFlag: true })).status,
    ).toBe(429);
    expect((await cw(sim, 'GET', 'company/companies?pageSize=1')).status).toBe(200);
  });

  it('injects error statuses, limited by count, and DELETE clears them', async () => {
    await control(sim, 'POST', 'faults', { errorRate: 1, errorStatuses: [503], count: 2 });
    expect((await cw(sim, 'GET', 'system/info')).status).toBe(503);
    expect((await cw(sim, 'GET', 'system/info')).status).toBe(503);
    expect((await cw(sim, 'GET', 'system/info')).status).toBe(200);
    await control(sim, 'POST', 'faults', { errorRate: 1 });
    expect((await cw(sim, 'GET', 'system/info')).status).toBeGreaterThanOrEqual(500);
    expect((await control(sim, 'DELETE', 'faults')).status).toBe(204);
    expect((await cw(sim, 'GET', 'system/info')).status).toBe(200);
  });

  it('refuses an invalid fault body, naming the field', async () => {
    const res = await control(sim, 'POST', 'faults', { errorRate: 2 });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('errorRate');
    expect((await control(sim, 'POST', 'faults', { surprise: true })).status).toBe(400);
  });

  it('resets connections, and can lose the response after the write happened', async () => {
    await control(sim, 'POST', 'faults', { resetRate: 1, count: 1 });
    await expect(cw(sim, 'GET', 'system/info')).rejects.toThrow();
    const before = (await cw(sim, 'GET', 'service/tickets/count')).body.count;
    await control(sim, 'POST', 'faults', { lostResponseRate: 1, methods: ['POST'], count: 1 });
    await expect(
      cw(sim, 'POST', 'service/tickets', { summary: 'lost', company: { id: 251 }, externalXRef: 'lost-1' }),
    ).rejects.toThrow();
    const after = await cw(
      sim,
      'GET',
      `service/tickets?conditions=${encodeURIComponent('externalXRef = "lost-1"')}`,
    );
    expect(after.body).toHaveLength(1);
    expect((await cw(sim, 'GET', 'service/tickets/count')).body.count).toBe(before + 1);
    const log = await control(sim, 'GET', 'requests');
    expect(log.body.requests.map((r: Json) => r.fault).filter(Boolean)).toEqual(
      expect.arrayContaining(['reset', 'lost-response']),
    );
  });

  it('sends Retry-After as an HTTP date when asked, never earlier than the seconds given', async () => {
    await control(sim, 'POST', 'faults', { rate429: 1, retryAfterSeconds: 3, retryAfterFormat: 'http-date' });
    const before = Date.now();
    const limited = await cw(sim, 'GET', 'system/info');
    expect(limited.status).toBe(429);
    const value = limited.headers.get('retry-after') ?? '';
    expect(value).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    const at = Date.parse(value);
    expect(at).toBeGreaterThanOrEqual(before + 3000 - 1000);
    expect(at).toBeLessThanOrEqual(Date.now() + 3000 + 1000);
    expect((await control(sim, 'POST', 'faults', { retryAfterFormat: 'date' })).status).toBe(400);
  });

  it('answers a web page, as a CW UI host does, and redirects without following', async () => {
    await control(sim, 'POST', 'faults', { htmlRate: 1, pathPrefix: '/login/companyinfo', count: 1 });
    const page = await fetch(`${sim.url}/login/companyinfo/sandbox`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toMatch(/^<!DOCTYPE html>/);
    expect((await fetch(`${sim.url}/login/companyinfo/sandbox`)).headers.get('content-type')).toMatch(/json/);

    await control(sim, 'POST', 'faults', { redirectRate: 1, count: 2 });
    const moved = await fetch(`${sim.apiBase()}/system/info`, {
      headers: authHeaders(sim),
      redirect: 'manual',
    });
    expect(moved.status).toBe(302);
    expect(moved.headers.get('location')).toBe(`${sim.url}/`);
    await control(sim, 'POST', 'faults', {
      redirectRate: 1,
      redirectStatus: 301,
      redirectLocation: 'https://na.myconnectwise.net/',
    });
    const elsewhere = await fetch(`${sim.apiBase()}/system/info`, { redirect: 'manual' });
    expect(elsewhere.status).toBe(301);
    expect(elsewhere.headers.get('location')).toBe('https://na.myconnectwise.net/');
    const faults = (await control(sim, 'GET', 'requests')).body.requests.map((r: Json) => r.fault);
    expect(faults).toEqual(expect.arrayContaining(['html', 'redirect']));
  });

  it('logs a held request when it arrives, and its duration once the connection ends', async () => {
    await control(sim, 'DELETE', 'requests');
    await control(sim, 'POST', 'faults', { hangMs: 60_000, count: 1 });
    const controller = new AbortController();
    const held = fetch(`${sim.apiBase()}/system/info`, {
      headers: authHeaders(sim),
      signal: controller.signal,
    });
    held.catch(() => undefined);
    let entry: Json;
    for (let i = 0; i < 100 && !entry; i++) {
      entry = (await control(sim, 'GET', 'requests')).body.requests.find((r: Json) => r.fault === 'hang');
      if (!entry) await new Promise((r) => setTimeout(r, 20));
    }
    expect(entry).toMatchObject({
      status: 0,
      fault: 'hang',
      open: true,
      path: '/v4_6_release/apis/3.0/system/info',
    });
    controller.abort();
    await expect(held).rejects.toThrow();
    let ended: Json;
    for (let i = 0; i < 100; i++) {
      ended = (await control(sim, 'GET', 'requests')).body.requests.find((r: Json) => r.seq === entry.seq);
      if (ended.open === undefined) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(ended.open).toBeUndefined();
    expect(ended.durationMs).toBeGreaterThan(0);
    expect((await control(sim, 'GET', 'requests')).body.counters.total).toBe(1);
  });

  it('delays answers by latencyMs and hangs without answering for hangMs', async () => {
    await control(sim, 'POST', 'faults', { latencyMs: 150, count: 1 });
    const started = Date.now();
    expect((await cw(sim, 'GET', 'system/info')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await control(sim, 'POST', 'faults', { hangMs: 100, count: 1 });
    await expect(cw(sim, 'GET', 'system/info')).rejects.toThrow();
    expect((await cw(sim, 'GET', 'system/info')).status).toBe(200);
  });
});
