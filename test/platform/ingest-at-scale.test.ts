// T1 of docs/reliability-and-security.md at full scale, on SQLite and Postgres: 1,000 distinct signed
// events from 50 tenants, each delivered three times — twice at once with the same bytes, and once more
// ten minutes later (the sender's retry: same webhook-id and body, new timestamp and signature). The
// server's clock is injected, so "ten minutes later" is real to the signature check without waiting.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PLATFORM_EVENT_JOB, type PlatformEventJob } from '../../src/platform/index.ts';
import { describeStores } from '../support/databases.ts';
import {
  type Delivery,
  deliver,
  eventBody,
  type PlatformHarness,
  send,
  signedEvent,
  startPlatform,
} from './harness.ts';
import { jobPayloads } from './queue.ts';

const EVENTS = 1_000;
const TENANTS = 50;
const RESEND_AFTER_SECONDS = 10 * 60;

describeStores('T1: signed event ingest at scale', ({ store }) => {
  let h: PlatformHarness;
  let clock = Math.floor(Date.now() / 1000);
  let events: Delivery[] = [];
  const tenantOf = (i: number) => `tenant-${String(i % TENANTS).padStart(2, '0')}`;

  beforeAll(async () => {
    h = await startPlatform(store(), { nowSeconds: () => clock });
    for (let t = 0; t < TENANTS; t++) {
      const res = await send(
        h.url,
        'PUT',
        `/tenants/${tenantOf(t)}`,
        { authorization: `Bearer ${h.token}`, 'content-type': 'application/json' },
        JSON.stringify({ name: `Tenant ${t}`, domains: [`t${t}.example`], status: 'active' }),
      );
      expect(res.status).toBe(201);
    }
  });
  afterAll(async () => {
    await h?.close();
  });

  it('1,000 events × 3 deliveries → 3,000 × 202, 1,000 inbox rows, each row in exactly one job', async () => {
    const sentAt = clock;
    events = Array.from({ length: EVENTS }, (_, i) =>
      signedEvent(h.token, h.secret, { timestamp: sentAt, body: eventBody({ tenantId: tenantOf(i) }) }),
    );
    expect(new Set(events.map((d) => d.id)).size).toBe(EVENTS);

    // Each event and its copy: the same bytes, sent at the same time.
    const concurrent = await Promise.all(
      events.map((d) => Promise.all([deliver(h.url, d), deliver(h.url, d)])),
    );

    // Ten minutes later by the server's clock: the original signature is now stale, so the retry is
    // signed afresh over the same id and body.
    clock = sentAt + RESEND_AFTER_SECONDS;
    const resends: Delivery[] = events.map((d) =>
      signedEvent(h.token, h.secret, { id: d.id, body: d.body, timestamp: clock }),
    );
    expect(
      resends.every((r, i) => r.headers['webhook-signature'] !== events[i]!.headers['webhook-signature']),
    ).toBe(true);
    const resent = await Promise.all(resends.map((d) => deliver(h.url, d)));

    const all = [...concurrent.flat(), ...resent];
    const byStatus: Record<number, number> = {};
    for (const r of all) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    expect(byStatus).toEqual({ 202: 3 * EVENTS });
    expect(all.filter((r) => r.status >= 500)).toHaveLength(0);

    // Per event: exactly one of its three deliveries was accepted, and never the late resend.
    const wrong = events.flatMap((d, i) => {
      const outcomes = [...concurrent[i]!, resent[i]!].map((r) => r.json['status']);
      const accepted = outcomes.filter((s) => s === 'accepted').length;
      const ids = [...concurrent[i]!, resent[i]!].every((r) => r.json['id'] === d.id);
      return accepted === 1 && outcomes[2] === 'duplicate' && ids ? [] : [{ id: d.id, outcomes }];
    });
    expect(wrong).toEqual([]);

    const rows = await store()
      .db.selectFrom('event_inbox')
      .select(['id', 'webhook_id', 'partner_id', 'tenant_id', 'raw_body'])
      .execute();
    expect(rows).toHaveLength(EVENTS);
    const bodyOf = new Map(events.map((d) => [d.id, d.body]));
    expect(
      rows.filter((r) => bodyOf.get(r.webhook_id) !== r.raw_body || r.partner_id !== h.partnerId),
    ).toEqual([]);
    const perTenant = new Map<string, number>();
    for (const r of rows) perTenant.set(r.tenant_id, (perTenant.get(r.tenant_id) ?? 0) + 1);
    expect(perTenant.size).toBe(TENANTS);
    expect([...perTenant.values()].every((n) => n === EVENTS / TENANTS)).toBe(true);

    // The transactional outbox: across all jobs every inbox id appears once — none twice, none missing.
    const jobs = await jobPayloads<PlatformEventJob>(store(), PLATFORM_EVENT_JOB);
    expect(jobs.every((j) => j.partnerId === h.partnerId && j.inboxIds.length > 0)).toBe(true);
    const times = new Map<string, number>();
    for (const id of jobs.flatMap((j) => j.inboxIds)) times.set(id, (times.get(id) ?? 0) + 1);
    const rowIds = new Set(rows.map((r) => r.id));
    expect({
      twice: [...times].filter(([, n]) => n > 1).map(([id]) => id),
      missing: [...rowIds].filter((id) => !times.has(id)),
      unknown: [...times.keys()].filter((id) => !rowIds.has(id)),
    }).toEqual({ twice: [], missing: [], unknown: [] });
  });

  it('after those ten minutes refuses the original bytes and a stale new event, storing nothing', async () => {
    expect(events).toHaveLength(EVENTS);
    for (const d of events.slice(0, 10)) {
      const res = await deliver(h.url, d);
      expect([res.status, res.json['error']]).toEqual([401, 'invalid_signature']);
    }
    const stale = signedEvent(h.token, h.secret, { timestamp: clock - RESEND_AFTER_SECONDS });
    expect((await deliver(h.url, stale)).status).toBe(401);
    const fresh = signedEvent(h.token, h.secret, { timestamp: clock });
    expect((await deliver(h.url, fresh)).json['status']).toBe('accepted');
    const rows = await store().db.selectFrom('event_inbox').select('webhook_id').execute();
    expect(rows.map((r) => r.webhook_id)).not.toContain(stale.id);
    expect(rows).toHaveLength(EVENTS + 1);
  });
});
