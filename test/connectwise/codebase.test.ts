// Codebase discovery and the one rediscovery after a hosted upgrade moves the codebase: the
// simulator's `/__sim/codebase` plays the upgrade (companyinfo changes, the old codebase 404s).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectWiseClient, NotFoundError } from '../../src/connectwise/index.ts';
import { type Sim, startSim } from './sim.ts';

let s: Sim;
beforeAll(async () => {
  s = await startSim();
});
afterAll(() => s?.close());

const calls = async (since = 0) => (await s.requests(since)).map((r) => `${r.method} ${r.path}`);
const lastSeq = async () => (await s.requests()).at(-1)?.seq ?? 0;

describe('codebase discovery', () => {
  it('discovers once, caches, and rediscovers once when a GET 404s after an upgrade', async () => {
    await s.reset();
    await s.clearRequests();
    const cw = createConnectWiseClient(s.config());
    expect((await cw.system.info()).version).toMatch(/^v2025\.1\./);
    await cw.system.info();
    expect((await calls()).filter((c) => c.includes('companyinfo'))).toEqual([
      'GET /login/companyinfo/sandbox',
    ]);

    await s.upgrade('v2026_1/'); // the hosted upgrade
    const before = await lastSeq();
    expect((await cw.system.info()).version).toMatch(/^v2026\.1\./);
    expect(await calls(before)).toEqual([
      'GET /v2025_1/apis/3.0/system/info', // 404: the old codebase is gone
      'GET /login/companyinfo/sandbox',
      'GET /v2026_1/apis/3.0/system/info',
    ]);
    expect((await cw.companyInfo()).codebase).toBe('v2026_1/');

    // A genuine 404 (codebase unchanged) is not retried more than once.
    const then = await lastSeq();
    await expect(cw.tickets.get(1)).rejects.toBeInstanceOf(NotFoundError);
    expect(await calls(then)).toEqual([
      'GET /v2026_1/apis/3.0/service/tickets/1',
      'GET /login/companyinfo/sandbox',
    ]);
    await cw.close();
  });

  it('a fixed codebase skips discovery', async () => {
    await s.reset();
    await s.upgrade('v2026_1/');
    await s.clearRequests();
    const cw = createConnectWiseClient(s.config({ codebase: 'v2026_1/' }));
    await cw.system.info();
    expect(await calls()).toEqual(['GET /v2026_1/apis/3.0/system/info']);
    await cw.close();
  });
});
