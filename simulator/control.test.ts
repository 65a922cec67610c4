import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from './index.ts';
import { control, cw, type Json } from './testing.ts';

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
