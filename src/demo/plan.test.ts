import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, platformEventSchema } from '../platform/index.ts';
import { DemoEventSource } from './events.ts';
import { DEMO_HISTORY_DAYS, DEMO_TENANTS, usageHistory } from './plan.ts';

describe('demo plan', () => {
  it('has about 20 tenants with unique ids', () => {
    expect(DEMO_TENANTS.length).toBeGreaterThanOrEqual(18);
    expect(new Set(DEMO_TENANTS.map((t) => t.tenantId)).size).toBe(DEMO_TENANTS.length);
  });

  it('builds 90 days of whole, positive usage per tenant and SKU, ending on the given day', () => {
    const days = usageHistory(DEMO_TENANTS, '2026-12-02');
    expect(days).toHaveLength(DEMO_HISTORY_DAYS);
    expect(days.at(-1)!.date).toBe('2026-12-02');
    expect(days[0]!.date).toBe('2026-09-04');
    const pairs = DEMO_TENANTS.reduce((n, t) => n + Object.keys(t.skus).length, 0);
    for (const day of days) {
      expect(day.items).toHaveLength(pairs);
      for (const item of day.items) expect(Number.isInteger(item.quantity) && item.quantity >= 1).toBe(true);
    }
    const acme = days.at(-1)!.items.find((i) => i.tenantId === 't-acme' && i.sku === 'core');
    expect(acme?.quantity).toBe(120);
  });

  it('emits valid events of every type', () => {
    const source = new DemoEventSource(DEMO_TENANTS, 42);
    const events = [...source.burst(), ...Array.from({ length: 200 }, () => source.next())];
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(EVENT_TYPES));
    for (const e of events) expect(platformEventSchema.safeParse(e).success).toBe(true);
  });
});
