import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createQueueMetrics } from '../../src/http/index.ts';
import { createJobQueue, type JobQueue } from '../../src/queue/index.ts';
import { createSecretBox, keyringOf } from '../../src/secrets/index.ts';
import { login, seedPartner, seedUser, testConfig } from '../support/console.ts';
import { freshStore, type TestStore } from '../support/databases.ts';

describe('HTTP app', () => {
  let store: TestStore;
  let queue: JobQueue;
  let app: FastifyInstance;
  let queueStarted = false;

  beforeAll(async () => {
    store = await freshStore('sqlite');
    const partner = await seedPartner(store, 'Ops MSP');
    await seedUser(store, partner, 'msp_admin', 'admin@ops.test');
    const queueMetrics = createQueueMetrics();
    queue = createJobQueue(store, {
      queues: [{ name: 'test.noop' }],
      logger: pino({ level: 'silent' }),
      metrics: queueMetrics,
    });
    app = await buildApp({
      config: testConfig({ PUBLIC_URL: 'https://bridge.example.test' }),
      store,
      queue,
      queueMetrics,
      secrets: createSecretBox(keyringOf(randomBytes(32))),
      readiness: { queueStarted: () => queueStarted },
    });
  });
  afterAll(async () => {
    await app?.close();
    await queue?.stop({ graceful: false });
    await store?.dispose();
  });

  it('is live at once and ready only when the queue has started', async () => {
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    const before = await app.inject('/readyz');
    expect(before.statusCode).toBe(503);
    expect(before.json().checks).toMatchObject({ database: 'ok', migrations: 'ok', queueStarted: 'failing' });
    await queue.start();
    queueStarted = true;
    const after = await app.inject('/readyz');
    expect(after.statusCode).toBe(200);
    expect(after.json().checks.queue).toBe('ok');
  });

  it('answers a person at / with what is running and links that work, without a session', async () => {
    const page = await app.inject('/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    const links = [...page.body.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
    expect(links).toEqual(expect.arrayContaining(['/api/openapi.json', '/healthz', '/readyz', '/metrics']));
    for (const link of links) expect((await app.inject(link)).statusCode, link).not.toBe(404);
  });

  it('serves Prometheus metrics with request durations by route pattern, queue depth and attempts', async () => {
    await app.inject('/healthz');
    let done!: () => void;
    const ran = new Promise<void>((resolve) => {
      done = resolve;
    });
    await queue.work('test.noop', { concurrency: 1 }, async () => done());
    await queue.send('test.noop', {});
    await ran;
    let res = await app.inject('/metrics');
    for (let i = 0; i < 50 && !res.body.includes('psa_bridge_queue_attempts_total{queue="test.noop"'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      res = await app.inject('/metrics');
    }
    expect(res.body).toMatch(/psa_bridge_queue_attempts_total\{queue="test.noop",outcome="completed"\} 1/);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.body).toMatch(
      /psa_bridge_http_request_duration_seconds_count\{method="GET",route="\/healthz",status_code="200"\}/,
    );
    expect(res.body).toMatch(/psa_bridge_queue_jobs\{state="queued"\} 0/);
  });

  it('publishes an OpenAPI document generated from the route schemas', async () => {
    const res = await app.inject('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/login',
        '/api/v1/session',
        '/api/v1/connection',
        '/api/v1/tenants',
      ]),
    );
    // Every $ref points at a schema the document holds.
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(
      (m) => m[1]!,
    );
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(Object.keys(doc.components.schemas)).toContain(ref);
    expect(doc.paths['/api/v1/connection'].put.security).toEqual([{ session: [], csrf: [] }]);
    expect(doc.paths['/api/v1/auth/login'].post.security).toBeUndefined();
    const put = doc.paths['/api/v1/connection'].put;
    expect(JSON.stringify(put.requestBody)).toContain('privateKey');
    // The response shape has no privateKey property, only privateKeySet / privateKeyLast4.
    expect(JSON.stringify(put.responses['200'])).toContain('#/components/schemas/Connection');
    const ok = JSON.stringify(doc.components.schemas.Connection);
    expect(ok).toContain('privateKeySet');
    expect(ok).not.toMatch(/"privateKey"/);
  });

  it('sends security headers', async () => {
    const res = await app.inject('/api/v1/session');
    expect(res.headers['content-security-policy']).toMatch(/object-src 'none'/);
    expect(res.headers['content-security-policy']).toMatch(/base-uri 'none'/);
    expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('answers client mistakes with 4xx naming the field, never 500', async () => {
    const admin = await login(app, 'admin@ops.test');
    const wrongType = await admin.request('PUT', '/api/v1/connection', {
      site: 'na.myconnectwise.net',
      companyId: 'acme',
      publicKey: 42,
    });
    expect(wrongType.statusCode).toBe(400);
    const fields = (wrongType.json().issues as Array<{ field: string; message: string }>).map((i) => i.field);
    expect(fields).toContain('body.publicKey');
    expect(wrongType.json().error).toBe('invalid_request');

    const badQuery = await admin.request('GET', '/api/v1/tenants?limit=9999');
    expect(badQuery.statusCode).toBe(400);
    expect(badQuery.json().issues[0]).toEqual({ field: 'query.limit', message: 'expected at most 500' });

    const ssrf = await admin.request('PUT', '/api/v1/connection', {
      site: 'http://169.254.169.254/',
      companyId: 'acme',
      publicKey: 'PubKey1234',
      privateKey: 'PrivKey12345678',
    });
    expect(ssrf.statusCode).toBe(400);
    expect(ssrf.json().issues[0].field).toBe('body.site');

    const firstWithoutKey = await admin.request('PUT', '/api/v1/connection', {
      site: 'na.myconnectwise.net',
      companyId: 'acme',
      publicKey: 'PubKey1234',
    });
    expect(firstWithoutKey.statusCode).toBe(400);
    expect(firstWithoutKey.json().issues[0].field).toBe('body.privateKey');

    const tooBig = await admin.request('PUT', '/api/v1/connection', { site: 'x'.repeat(70_000) });
    expect(tooBig.statusCode).toBe(413);

    const unknown = await app.inject('/api/v1/nothing-here');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toBe('not_found');
  });

  it('writes one audit row per configuration change, with control characters encoded (T21)', async () => {
    const admin = await login(app, 'admin@ops.test');
    const before = await store.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', 'like', 'connection.%')
      .execute();
    const res = await admin.request('PUT', '/api/v1/connection', {
      site: 'na.myconnectwise.net',
      companyId: 'acme',
      publicKey: 'PubKey1234',
      privateKey: 'PrivKey12345678',
    });
    expect(res.statusCode).toBe(200);
    const rows = await store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', 'like', 'connection.%')
      .execute();
    expect(rows.length).toBe(before.length + 1);
    const row = rows.at(-1)!;
    expect(row).toMatchObject({ action: 'connection.create', outcome: 'success', target: 'cw_connection' });
    expect(row.actor).toMatch(/^user:/);
    expect(row.at).toMatch(/Z$/);
    expect(row.details).not.toContain('PrivKey12345678');

    // CR/LF and an ANSI escape in a value the client chose and the audit records (a dead-letter id that
    // does not exist: refused and audited) stay encoded. (An e-mail cannot carry them: login answers 400
    // before anything is audited.)
    const redrive = await admin.request('POST', '/api/v1/queue/dead-letters/redrive', {
      ids: ['evil\r\n\u001b[31m'],
    });
    expect(redrive.statusCode).toBe(404);
    const refused = await store.db
      .selectFrom('audit_log')
      .select('target')
      .where('action', '=', 'queue.redrive')
      .where('outcome', '=', 'denied')
      .executeTakeFirstOrThrow();
    expect(refused.target).toBe('evil\\u000d\\u000a\\u001b[31m');
    const all = await store.db.selectFrom('audit_log').select(['target', 'details', 'actor']).execute();
    for (const r of all) expect(`${r.target}${r.details}${r.actor}`).not.toMatch(/[\r\n\u001b]/);

    // The trail is append-only: the database itself refuses changes.
    await expect(store.db.deleteFrom('audit_log').execute()).rejects.toThrow();
    await expect(store.db.updateTable('audit_log').set({ outcome: 'success' }).execute()).rejects.toThrow();
  });
});
