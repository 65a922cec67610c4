// Rate limits, 5xx bursts, hangs, resets and the breaker, with faults injected by the simulator.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CircuitOpenError,
  type ConnectWiseClient,
  type ConnectWiseConfig,
  createConnectWiseClient,
  NetworkError,
  type RequestEvent,
  TimeoutError,
  UnavailableError,
} from '../../src/connectwise/index.ts';
import { type Sim, startSim } from './sim.ts';

let s: Sim;
const clients: ConnectWiseClient[] = [];
function client(overrides: Partial<ConnectWiseConfig> = {}, events: RequestEvent[] = []) {
  const c = createConnectWiseClient(
    s.config({ retry: { baseDelayMs: 20 }, hooks: { onRequest: (e) => events.push(e) }, ...overrides }),
  );
  clients.push(c);
  return c;
}

beforeAll(async () => {
  s = await startSim();
});
afterEach(async () => {
  await s.clearFaults();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await s?.close();
});

const apiCalls = async (since = 0) => (await s.requests(since)).filter((r) => r.path.includes('/apis/3.0/'));

describe('resilience against CW faults', () => {
  it('429 with Retry-After: 2 holds every request to the site for at least 2 s', async () => {
    const cw = client();
    await cw.companyInfo();
    await s.clearRequests();
    await s.faults({ rate429: 1, retryAfterSeconds: 2, count: 1, pathPrefix: '/system/info' });
    const events: RequestEvent[] = [];
    const c2 = client({}, events);
    await c2.companyInfo();
    // The moment the 429 is seen, a second, unrelated request to the same site is started.
    const info = c2.system.info();
    while (!events.some((e) => e.status === 429)) await sleep(5);
    const other = c2.companies.count();
    await Promise.all([info, other]);
    const log = await apiCalls();
    const limited = log.find((r) => r.status === 429)!;
    const after = log.filter((r) => r.seq > limited.seq && r.member !== '');
    expect(after.length).toBeGreaterThanOrEqual(2);
    for (const r of after) expect(Date.parse(r.at) - Date.parse(limited.at)).toBeGreaterThanOrEqual(2000);
    expect(events.find((e) => e.status === 429)?.retryInMs).toBe(2000);
  });

  it('rides out a burst of 5xx on a GET', async () => {
    const events: RequestEvent[] = [];
    const cw = client({ retry: { maxAttempts: 4, baseDelayMs: 20 } }, events);
    await cw.companyInfo();
    await s.faults({ errorRate: 1, errorStatuses: [500, 502, 503], count: 3 });
    const info = await cw.system.info();
    expect(info.version).toBeTruthy();
    expect(events.filter((e) => e.path === '/system/info').map((e) => e.attempt)).toEqual([1, 2, 3, 4]);
    expect(events.at(-1)).toMatchObject({ outcome: 'ok', status: 200 });
  });

  it('times out a hung response and retries the GET', async () => {
    const events: RequestEvent[] = [];
    const cw = client({ timeouts: { totalMs: 400 } }, events);
    await cw.companyInfo();
    await s.faults({ hangMs: 5_000, count: 1 });
    await cw.system.info();
    expect(events.filter((e) => e.path === '/system/info').map((e) => e.outcome)).toEqual(['timeout', 'ok']);
  });

  it('does not re-send a POST that hung or was reset', async () => {
    const cw = client({ timeouts: { totalMs: 400 } });
    const [company] = await cw.companies.all({ pageSize: 1 });
    const before = await cw.tickets.count();
    const seq = (await s.requests()).at(-1)?.seq ?? 0;
    await s.faults({ resetRate: 1, methods: ['POST'], count: 1 });
    const reset = await cw.tickets.create({ summary: 'reset', company: { id: company!.id } }).catch((e) => e);
    await s.faults({ hangMs: 1_000, methods: ['POST'], count: 1 });
    const hung = await cw.tickets.create({ summary: 'hung', company: { id: company!.id } }).catch((e) => e);
    expect(reset).toBeInstanceOf(NetworkError);
    expect(hung).toBeInstanceOf(TimeoutError);
    await sleep(1_000); // the simulator logs a hung request when it drops it
    const posts = (await apiCalls(seq)).filter((r) => r.method === 'POST');
    expect(posts.length).toBe(2);
    expect(await cw.tickets.count()).toBe(before);
  });

  it('a POST whose answer is lost is not re-sent; the caller finds it by externalXRef', async () => {
    const cw = client();
    const [company] = await cw.companies.all({ pageSize: 1 });
    const seq = (await s.requests()).at(-1)?.seq ?? 0;
    await s.faults({ lostResponseRate: 1, methods: ['POST'], count: 1 });
    const xref = `lost-${Date.now()}`;
    const err = await cw.tickets
      .create({ summary: 'lost', company: { id: company!.id }, externalXRef: xref })
      .catch((e) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((await apiCalls(seq)).filter((r) => r.method === 'POST').length).toBe(1);
    expect(await cw.tickets.count({ conditions: undefined })).toBeGreaterThan(0);
    expect((await cw.tickets.findByExternalXRef(xref))?.summary).toBe('lost');
  });

  it('the breaker opens after consecutive failures, sends nothing while open, and recovers', async () => {
    const states: string[] = [];
    const cw = client({
      retry: { maxAttempts: 1 },
      breaker: { failureThreshold: 3, halfOpenAfterMs: 300 },
      hooks: { onBreakerChange: (st) => states.push(st) },
    });
    await cw.companyInfo();
    await s.faults({ errorRate: 1, errorStatuses: [503] });
    for (let i = 0; i < 3; i++) await expect(cw.system.info()).rejects.toBeInstanceOf(UnavailableError);
    expect(cw.breakerState()).toBe('open');
    const seq = (await s.requests()).at(-1)?.seq ?? 0;
    await expect(cw.system.info()).rejects.toBeInstanceOf(CircuitOpenError);
    expect(await apiCalls(seq)).toEqual([]);
    await s.clearFaults();
    await sleep(300);
    expect(cw.breakerState()).toBe('half-open');
    expect((await cw.system.info()).version).toBeTruthy();
    expect(cw.breakerState()).toBe('closed');
    expect(states).toEqual(['open', 'closed']);
  });
});
