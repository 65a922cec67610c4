// The platform API over real HTTP on SQLite and Postgres: tenants, usage, and the webhook tamper and
// replay matrix of docs/reliability-and-security.md (T2–T5; T1 at scale is in ingest-at-scale.test.ts).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addWebhookSecret,
  PLATFORM_EVENT_JOB,
  revokeWebhookSecret,
  signWebhook,
} from '../../src/platform/index.ts';
import { describeStores } from '../support/databases.ts';
import { deliver, eventBody, type PlatformHarness, send, signedEvent, startPlatform } from './harness.ts';
import { jobCount } from './queue.ts';

describeStores('platform API', ({ store }) => {
  let h: PlatformHarness;
  const json = () => ({ authorization: `Bearer ${h.token}`, 'content-type': 'application/json' });
  const inboxCount = async (webhookId?: string) => {
    let q = store().db.selectFrom('event_inbox').select(sql<number>`count(*)`.as('n'));
    if (webhookId) q = q.where('webhook_id', '=', webhookId);
    return Number((await q.executeTakeFirstOrThrow()).n);
  };

  beforeAll(async () => {
    h = await startPlatform(store());
  });
  afterAll(async () => {
    await h?.close();
  });

  describe('authentication', () => {
    it('refuses a missing or unknown bearer token with 401 before reading the body', async () => {
      const none = await send(h.url, 'PUT', '/tenants/acme', { 'content-type': 'application/json' }, '{}');
      expect(none.status).toBe(401);
      expect(none.json['error']).toBe('unauthorized');
      const wrong = await send(
        h.url,
        'PUT',
        '/tenants/acme',
        { authorization: 'Bearer psab_not-a-real-token-at-all', 'content-type': 'application/json' },
        '{}',
      );
      expect(wrong.status).toBe(401);
    });
  });

  describe('tenants', () => {
    it('creates (201) then replaces (200) a tenant', async () => {
      const body = { name: 'Acme Corp', domains: ['Acme.example', 'acme.example'], status: 'active' };
      const created = await send(h.url, 'PUT', '/tenants/acme', json(), JSON.stringify(body));
      expect(created.status).toBe(201);
      expect(created.json['tenant']).toMatchObject({ tenantId: 'acme', domains: ['acme.example'] });
      const updated = await send(
        h.url,
        'PUT',
        '/tenants/acme',
        json(),
        JSON.stringify({ ...body, status: 'suspended' }),
      );
      expect(updated.status).toBe(200);
      const row = await store()
        .db.selectFrom('tenants')
        .selectAll()
        .where('tenant_id', '=', 'acme')
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('suspended');
      await send(h.url, 'PUT', '/tenants/acme', json(), JSON.stringify(body));
    });

    it('names the field of an invalid tenant', async () => {
      const bad = await send(
        h.url,
        'PUT',
        '/tenants/acme',
        json(),
        JSON.stringify({ name: 'A', domains: [], status: 'gone' }),
      );
      expect(bad.status).toBe(400);
      expect(bad.json['issues']).toEqual([expect.objectContaining({ field: 'body.status' })]);
      const badId = await send(
        h.url,
        'PUT',
        '/tenants/%20x',
        json(),
        JSON.stringify({ name: 'A', domains: [], status: 'active' }),
      );
      expect(badId.status).toBe(400);
      expect(badId.json['issues']).toEqual([expect.objectContaining({ field: 'params.tenantId' })]);
    });
  });

  describe('usage', () => {
    it('upserts daily snapshots with absolute quantities', async () => {
      const body = (q: number) =>
        JSON.stringify({
          date: '2026-12-01',
          items: [
            { tenantId: 'acme', sku: 'email-protect', quantity: q },
            { tenantId: 'acme', sku: 'dmarc', quantity: 2 },
          ],
        });
      expect((await send(h.url, 'POST', '/usage', json(), body(10))).status).toBe(200);
      const again = await send(h.url, 'POST', '/usage', json(), body(12));
      expect(again).toMatchObject({ status: 200, json: { upserted: 2 } });
      const rows = await store()
        .db.selectFrom('usage_snapshots')
        .select(['sku', 'quantity'])
        .where('tenant_id', '=', 'acme')
        .orderBy('sku')
        .execute();
      expect(rows).toEqual([
        { sku: 'dmarc', quantity: 2 },
        { sku: 'email-protect', quantity: 12 },
      ]);
    });

    it('refuses an unknown tenant naming the item, and applies nothing of that request', async () => {
      const res = await send(
        h.url,
        'POST',
        '/usage',
        json(),
        JSON.stringify({
          date: '2026-12-02',
          items: [
            { tenantId: 'acme', sku: 'email-protect', quantity: 5 },
            { tenantId: 'nobody', sku: 'email-protect', quantity: 5 },
          ],
        }),
      );
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({
        error: 'unknown_tenant',
        issues: [{ field: 'body.items.1.tenantId' }],
      });
      const stored = await store()
        .db.selectFrom('usage_snapshots')
        .selectAll()
        .where('date', '=', '2026-12-02')
        .execute();
      expect(stored).toEqual([]);
    });

    it('names a negative or fractional quantity and a bad date', async () => {
      const item = (quantity: number) =>
        JSON.stringify({ date: '2026-12-03', items: [{ tenantId: 'acme', sku: 'core', quantity }] });
      const negative = await send(h.url, 'POST', '/usage', json(), item(-1));
      expect(negative.json['issues']).toEqual([expect.objectContaining({ field: 'body.items.0.quantity' })]);
      const fraction = await send(h.url, 'POST', '/usage', json(), item(1.5));
      expect(fraction.status).toBe(400);
      const date = await send(
        h.url,
        'POST',
        '/usage',
        json(),
        JSON.stringify({ date: '2026-02-30', items: [] }),
      );
      expect(date.json['issues']).toEqual([expect.objectContaining({ field: 'body.date' })]);
    });
  });

  describe('events', () => {
    it('accepts a signed event: 202 after one inbox row and one job', async () => {
      const jobsBefore = await jobCount(store(), PLATFORM_EVENT_JOB);
      const d = signedEvent(h.token, h.secret);
      const res = await deliver(h.url, d);
      expect(res).toMatchObject({ status: 202, json: { id: d.id, status: 'accepted' } });
      expect(await inboxCount(d.id)).toBe(1);
      expect(await jobCount(store(), PLATFORM_EVENT_JOB)).toBe(jobsBefore + 1);
      const row = await store()
        .db.selectFrom('event_inbox')
        .selectAll()
        .where('webhook_id', '=', d.id)
        .executeTakeFirstOrThrow();
      expect(row.raw_body).toBe(d.body);
      expect(row.partner_id).toBe(h.partnerId);
    });

    it('T3: refuses every tampered delivery with 401 and enqueues nothing', async () => {
      const jobsBefore = await jobCount(store(), PLATFORM_EVENT_JOB);
      const inboxBefore = await inboxCount();
      const flip = (s: string, i: number) =>
        s.slice(0, i) + String.fromCharCode(s.charCodeAt(i) ^ 1) + s.slice(i + 1);
      const base = signedEvent(h.token, h.secret);
      const wrongSecret = signedEvent(h.token, `whsec_${Buffer.alloc(32, 9).toString('base64')}`);
      const v1a = signedEvent(h.token, h.secret);
      v1a.headers['webhook-signature'] = v1a.headers['webhook-signature']!.replace(/^v1,/, 'v1a,');
      const cases: Array<[string, Record<string, string>, string]> = [
        ['body byte', base.headers, flip(base.body, 10)],
        ['id byte', { ...base.headers, 'webhook-id': flip(base.id, 5) }, base.body],
        ['timestamp', { ...base.headers, 'webhook-timestamp': String(base.timestamp - 1) }, base.body],
        ['wrong secret', wrongSecret.headers, wrongSecret.body],
        ['v1a only', v1a.headers, v1a.body],
        ['no signature', { ...base.headers, 'webhook-signature': '' }, base.body],
      ];
      for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
        const headers = { ...base.headers };
        delete headers[name];
        cases.push([`missing ${name}`, headers, base.body]);
      }
      for (const [name, headers, body] of cases) {
        const res = await send(h.url, 'POST', '/events', headers, body);
        expect([name, res.status, res.json['error']]).toEqual([name, 401, 'invalid_signature']);
      }
      expect(await inboxCount()).toBe(inboxBefore);
      expect(await jobCount(store(), PLATFORM_EVENT_JOB)).toBe(jobsBefore);
    });

    it('T3: accepts a valid signature among three invalid ones', async () => {
      const d = signedEvent(h.token, h.secret);
      const other = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
      d.headers['webhook-signature'] = [
        signWebhook(other, d.id, d.timestamp, d.body),
        'v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
        `v1a,${signWebhook(h.secret, d.id, d.timestamp, d.body).slice(3)}`,
        signWebhook(h.secret, d.id, d.timestamp, d.body),
      ].join(' ');
      expect((await deliver(h.url, d)).status).toBe(202);
    });

    it('T4: ±301 s rejected, −299 s accepted, a replay has no second effect', async () => {
      const at = (offset: number) =>
        signedEvent(h.token, h.secret, { timestamp: Math.floor(Date.now() / 1000) + offset });
      expect((await deliver(h.url, at(-301))).status).toBe(401);
      expect((await deliver(h.url, at(301))).status).toBe(401);
      const ok = at(-299);
      expect((await deliver(h.url, ok)).json).toMatchObject({ status: 'accepted' });
      const jobs = await jobCount(store(), PLATFORM_EVENT_JOB);
      // The sender's retry: same webhook-id, new timestamp and signature.
      const resent = signedEvent(h.token, h.secret, {
        id: ok.id,
        body: ok.body,
        timestamp: ok.timestamp + 60,
      });
      expect(await deliver(h.url, resent)).toMatchObject({ status: 202, json: { status: 'duplicate' } });
      expect(await inboxCount(ok.id)).toBe(1);
      expect(await jobCount(store(), PLATFORM_EVENT_JOB)).toBe(jobs);
    });

    it('T2: 50 parallel copies give one inbox row, one job and no 5xx', async () => {
      const jobs = await jobCount(store(), PLATFORM_EVENT_JOB);
      const d = signedEvent(h.token, h.secret);
      const results = await Promise.all(Array.from({ length: 50 }, () => deliver(h.url, d)));
      expect(results.map((r) => r.status)).toEqual(Array(50).fill(202));
      expect(results.filter((r) => r.json['status'] === 'accepted')).toHaveLength(1);
      expect(await inboxCount(d.id)).toBe(1);
      expect(await jobCount(store(), PLATFORM_EVENT_JOB)).toBe(jobs + 1);
    });

    it('T5: accepts either secret during a rotation, refuses the revoked one after', async () => {
      const old = (
        await store()
          .db.selectFrom('webhook_secrets')
          .select('id')
          .where('partner_id', '=', h.partnerId)
          .executeTakeFirstOrThrow()
      ).id;
      const next = await store().writeTransaction((tx) => addWebhookSecret(tx, h.box, h.partnerId));
      const both = Array.from({ length: 5 }, () => signedEvent(h.token, [h.secret, next.secret]));
      const oldOnly = signedEvent(h.token, h.secret);
      const newOnly = signedEvent(h.token, next.secret);
      for (const d of [...both, oldOnly, newOnly]) expect((await deliver(h.url, d)).status).toBe(202);
      expect(await revokeWebhookSecret(store().db, h.partnerId, old)).toBe(true);
      const after = Array.from({ length: 5 }, () => signedEvent(h.token, h.secret));
      for (const d of after) expect((await deliver(h.url, d)).status).toBe(401);
      expect((await deliver(h.url, signedEvent(h.token, [h.secret, next.secret]))).status).toBe(202);
      h.secret = next.secret;
    });

    it('names the field of an invalid event with 400, and nothing is stored', async () => {
      const before = await inboxCount();
      const cases: Array<[string, string]> = [
        [eventBody({ type: 'incident.exploded' }), 'body.type'],
        [eventBody({}, { caseId: undefined }), 'body.data.caseId'],
        [eventBody({ type: 'quarantine.release_resolved' }, { decision: 'maybe' }), 'body.data.decision'],
        [eventBody({ occurredAt: 'yesterday' }), 'body.occurredAt'],
        ['{"type":', 'body'],
      ];
      for (const [body, field] of cases) {
        const res = await deliver(h.url, signedEvent(h.token, h.secret, { body }));
        expect([field, res.status, (res.json['issues'] as Array<{ field: string }>)?.[0]?.field]).toEqual([
          field,
          400,
          field,
        ]);
      }
      expect(await inboxCount()).toBe(before);
    });

    it('accepts an event for a tenant not seen yet, and refuses an over-long webhook-id', async () => {
      const unknownTenant = signedEvent(h.token, h.secret, {
        body: eventBody({ tenantId: 'not-yet-known' }),
      });
      expect((await deliver(h.url, unknownTenant)).status).toBe(202);
      const longId = signedEvent(h.token, h.secret, { id: `msg_${'x'.repeat(260)}` });
      const res = await deliver(h.url, longId);
      expect(res.status).toBe(400);
      expect(res.json['issues']).toEqual([expect.objectContaining({ field: 'headers.webhook-id' })]);
    });

    it('keeps the exact signed bytes and never lets a __proto__ key through', async () => {
      const body = eventBody({}, { __proto__: { polluted: true } }).replace(
        '"data":{',
        '"data":{"__proto__":{"x":1},',
      );
      const d = signedEvent(h.token, h.secret, { body });
      expect((await deliver(h.url, d)).status).toBe(202);
      const row = await store()
        .db.selectFrom('event_inbox')
        .select('raw_body')
        .where('webhook_id', '=', d.id)
        .executeTakeFirstOrThrow();
      expect(row.raw_body).toBe(body);
      expect(({} as Record<string, unknown>)['x']).toBeUndefined();
    });

    it('refuses a body over the size limit with 413', async () => {
      const body = eventBody({}, { summary: 'x'.repeat(70 * 1024) });
      const res = await deliver(h.url, signedEvent(h.token, h.secret, { body }));
      expect(res.status).toBe(413);
      expect(res.json['error']).toBe('payload_too_large');
    });
  });
});
