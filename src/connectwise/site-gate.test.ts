import { describe, expect, it } from 'vitest';
import { type GateClock, SiteGate } from './site-gate.ts';

function fakeClock(): GateClock & { t: number; slept: number[] } {
  const c = {
    t: 0,
    slept: [] as number[],
    now: () => c.t,
    sleep: async (ms: number) => {
      c.slept.push(ms);
      c.t += ms;
    },
  };
  return c;
}

describe('SiteGate', () => {
  it('holds every request until a Retry-After deadline', async () => {
    const clock = fakeClock();
    const gate = new SiteGate(2, clock);
    gate.pauseUntil(2000);
    gate.pauseUntil(500); // never shortens
    const release = await gate.enter();
    expect(clock.t).toBeGreaterThanOrEqual(2000);
    expect(clock.slept).toEqual([2000]);
    release();
  });

  it('admits at most maxConcurrent at once, in arrival order', async () => {
    const gate = new SiteGate(2, fakeClock());
    const order: number[] = [];
    const r1 = await gate.enter();
    const r2 = await gate.enter();
    const third = gate.enter().then((r) => {
      order.push(3);
      return r;
    });
    const fourth = gate.enter().then((r) => {
      order.push(4);
      return r;
    });
    await Promise.resolve();
    expect(gate.active).toBe(2);
    expect(order).toEqual([]);
    r1();
    (await third)();
    r2();
    (await fourth)();
    expect(order).toEqual([3, 4]);
    expect(gate.active).toBe(0);
  });

  it('a waiting request can be aborted', async () => {
    const gate = new SiteGate(1, fakeClock());
    const release = await gate.enter();
    const ac = new AbortController();
    const waiting = gate.enter(ac.signal);
    ac.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    release();
    expect(gate.active).toBe(0);
  });
});
