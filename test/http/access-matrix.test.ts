import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp, type RouteEntry } from '../../src/http/index.ts';
import { PLATFORM_QUEUES, platformApi } from '../../src/platform/index.ts';
import { createJobQueue, type JobQueue, NonRetryableError } from '../../src/queue/index.ts';
import { createSecretBox, keyringOf } from '../../src/secrets/index.ts';
import type { Store } from '../../src/store/index.ts';
import { type Client, login, seedPartner, seedTenant, seedUser, testConfig } from '../support/console.ts';
import { describeStores } from '../support/databases.ts';

// T19 and the role matrix: every console route, enumerated from the app's route table, called
// (a) by an admin of partner A with partner B's object ids, (b) by a tenant user, (c) by a viewer
// (writes), (d) without a session. Refusals are 401/403/404, and each denial leaves an audit row.

const FAIL_QUEUE = 'test.always-fails';

interface World {
  app: FastifyInstance;
  store: Store;
  queue: JobQueue;
  partnerA: string;
  partnerB: string;
  adminA: Client;
  viewerA: Client;
  tenantA: Client;
  adminB: Client;
  ids: { tenantUserA: string; viewerA: string; adminA: string };
  b: { site: string; tenantId: string; deadLetterId: string; auditIds: Set<string> };
}

/** A request that is valid in shape, so a refusal can only come from access control. */
const VALID_BODIES: Record<string, unknown> = {
  'PUT /api/v1/connection': {
    site: 'na.myconnectwise.net',
    companyId: 'acme',
    publicKey: 'PUBLICKEYA1',
    privateKey: 'PRIVATEKEYA1234',
  },
  'POST /api/v1/queue/dead-letters/redrive': { ids: ['01ZZZZZZZZZZZZZZZZZZZZZZZZ'] },
  'POST /api/v1/auth/logout': undefined,
};

/**
 * How admin A tries to reach partner B through each route. A route added without an entry here fails
 * the suite: whoever adds it must say how it is scoped.
 */
const CROSS_PARTNER: Record<string, (w: World) => Promise<void>> = {
  'POST /api/v1/auth/login': async (w) => {
    // A's password does not open B's account, and naming B's partner does not help.
    const res = await w.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'admin@b.test', password: 'not the password of B!', partnerId: w.partnerB },
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    expect(res.statusCode).toBe(401);
  },
  'POST /api/v1/auth/logout': async (w) => {
    // Logging out with B's partner id in the body ends A's own session only.
    const other = await login(w.app, 'admin@a.test');
    const res = await other.request('POST', `/api/v1/auth/logout?partnerId=${w.partnerB}`, {
      partnerId: w.partnerB,
    });
    expect(res.statusCode).toBe(204);
    expect((await w.adminB.request('GET', '/api/v1/session')).statusCode).toBe(200);
  },
  'GET /api/v1/session': async (w) => {
    const res = await w.adminA.request('GET', `/api/v1/session?partnerId=${w.partnerB}`, undefined, {
      'x-partner-id': w.partnerB,
    });
    expect(res.json().partner.id).toBe(w.partnerA);
  },
  'GET /api/v1/connection': async (w) => {
    const res = await w.adminA.request('GET', `/api/v1/connection?partnerId=${w.partnerB}`, undefined, {
      'x-partner-id': w.partnerB,
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain(w.b.site);
  },
  'PUT /api/v1/connection': async (w) => {
    // A partner id in the body is refused as an unknown field; B's settings stay as they were.
    const res = await w.adminA.request('PUT', '/api/v1/connection', {
      ...(VALID_BODIES['PUT /api/v1/connection'] as object),
      partnerId: w.partnerB,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues[0].field).toBe('body.partnerId');
    const b = await w.adminB.request('GET', '/api/v1/connection');
    expect(b.json().site).toBe(w.b.site);
  },
  'GET /api/v1/tenants': async (w) => {
    const res = await w.adminA.request('GET', `/api/v1/tenants?after=`);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain(w.b.tenantId);
  },
  'GET /api/v1/queue/dead-letters': async (w) => {
    const res = await w.adminA.request('GET', '/api/v1/queue/dead-letters');
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain(w.b.deadLetterId);
  },
  'POST /api/v1/queue/dead-letters/redrive': async (w) => {
    const before = await deniedCount(w.store, `user:${w.ids.adminA}`);
    const res = await w.adminA.request('POST', '/api/v1/queue/dead-letters/redrive', {
      ids: [w.b.deadLetterId],
    });
    expect(res.statusCode).toBe(404);
    expect(await deniedCount(w.store, `user:${w.ids.adminA}`)).toBe(before + 1);
    const still = await w.adminB.request('GET', '/api/v1/queue/dead-letters');
    expect(still.body).toContain(w.b.deadLetterId);
  },
  'GET /api/v1/audit': async (w) => {
    const res = await w.adminA.request('GET', '/api/v1/audit?limit=500');
    expect(res.statusCode).toBe(200);
    const ids = (res.json().items as Array<{ id: string }>).map((e) => e.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.filter((id) => w.b.auditIds.has(id))).toEqual([]);
  },
};

async function deniedCount(store: Store, actor: string): Promise<number> {
  const row = await store.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('actor', '=', actor)
    .where('outcome', '=', 'denied')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function key(route: RouteEntry): string {
  return `${route.method} ${route.url}`;
}

async function call(
  client: Client | undefined,
  w: World,
  route: RouteEntry,
): Promise<LightMyRequestResponse> {
  const body = VALID_BODIES[key(route)];
  if (client) return client.request(route.method, route.url, body);
  return w.app.inject({
    method: route.method as 'GET',
    url: route.url,
    ...(body === undefined ? {} : { payload: body as object }),
    headers: { 'sec-fetch-site': 'same-origin', 'x-csrf-token': 'guess' },
  });
}

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describeStores('console access matrix', ({ store: testStore }) => {
  let w: World;
  let consoleRoutes: RouteEntry[];

  beforeAll(async () => {
    const store = testStore();
    const secrets = createSecretBox(keyringOf(randomBytes(32)));
    const queue = createJobQueue(store, {
      queues: [{ name: FAIL_QUEUE, retryLimit: 0 }, ...PLATFORM_QUEUES],
      logger: pino({ level: 'silent' }),
      pollIntervalMs: 500,
    });
    await queue.start();
    await queue.work(FAIL_QUEUE, { concurrency: 1 }, async () => {
      throw new NonRetryableError('always fails');
    });
    const partnerA = await seedPartner(store, 'Partner A');
    const partnerB = await seedPartner(store, 'Partner B');
    await seedTenant(store, partnerA, 'tenant-a-1');
    const tenantIdB = `tenant-b-${randomBytes(4).toString('hex')}`;
    await seedTenant(store, partnerB, tenantIdB);
    const adminA = await seedUser(store, partnerA, 'msp_admin', 'admin@a.test');
    const viewerA = await seedUser(store, partnerA, 'msp_viewer', 'viewer@a.test');
    const tenantUserA = await seedUser(store, partnerA, 'tenant_user', 'user@tenant-a.test', 'tenant-a-1');
    await seedUser(store, partnerB, 'msp_admin', 'admin@b.test');

    const app = await buildApp({
      config: testConfig({ CW_ALLOWED_HOSTS: 'cw-b.example.net' }),
      store,
      queue,
      secrets,
      plugins: [platformApi({ config: testConfig(), store, queue, secrets })],
    });
    const world = {
      app,
      store,
      queue,
      partnerA,
      partnerB,
      adminA: await login(app, 'admin@a.test'),
      viewerA: await login(app, 'viewer@a.test'),
      tenantA: await login(app, 'user@tenant-a.test'),
      adminB: await login(app, 'admin@b.test'),
      ids: { tenantUserA, viewerA, adminA },
    };
    // Partner B's objects: a connection, a dead letter, audit entries.
    const site = 'cw-b.example.net';
    const saved = await world.adminB.request('PUT', '/api/v1/connection', {
      site,
      companyId: 'bravo',
      publicKey: 'PUBLICKEYB1',
      privateKey: 'PRIVATEKEYB1234',
    });
    expect(saved.statusCode).toBe(200);
    await queue.send(FAIL_QUEUE, { partnerId: partnerB, note: 'b job' });
    await queue.send(FAIL_QUEUE, { partnerId: partnerA, note: 'a job' });
    const deadLetterId = await waitFor(async () => {
      const letters = await queue.deadLetters();
      if (letters.length < 2) return undefined;
      return letters.find((d) => (d.data as { partnerId: string }).partnerId === partnerB)?.id;
    }, 'dead letters');
    const auditRows = await store.db
      .selectFrom('audit_log')
      .select('id')
      .where('partner_id', '=', partnerB)
      .execute();
    w = {
      ...world,
      b: { site, tenantId: tenantIdB, deadLetterId, auditIds: new Set(auditRows.map((r) => r.id)) },
    };
    consoleRoutes = app.routeTable.filter((r) => r.kind === 'console');
  });

  afterAll(async () => {
    await w?.app.close();
    await w?.queue.stop({ graceful: false });
  });

  it('enumerates the console routes from the app, each with an access level and a cross-partner probe', () => {
    expect(consoleRoutes.length).toBeGreaterThanOrEqual(9);
    for (const route of consoleRoutes) {
      expect(route.access, key(route)).toBeDefined();
      expect(Object.keys(CROSS_PARTNER), `no cross-partner probe for ${key(route)}`).toContain(key(route));
    }
  });

  it('(a) an admin of partner A cannot read or change anything of partner B', async () => {
    for (const route of consoleRoutes) await CROSS_PARTNER[key(route)]!(w);
  });

  it('(b) a tenant user is refused every integration route with 403, each denial audited', async () => {
    const integration = consoleRoutes.filter((r) => r.access === 'read' || r.access === 'write');
    expect(integration.length).toBeGreaterThanOrEqual(6);
    for (const route of integration) {
      const before = await deniedCount(w.store, `user:${w.ids.tenantUserA}`);
      const res = await call(w.tenantA, w, route);
      expect(res.statusCode, key(route)).toBe(403);
      expect(await deniedCount(w.store, `user:${w.ids.tenantUserA}`), key(route)).toBe(before + 1);
    }
  });

  it('(c) a viewer is refused every write with 403, each denial audited', async () => {
    const writes = consoleRoutes.filter((r) => r.access === 'write');
    expect(writes.length).toBeGreaterThanOrEqual(2);
    for (const route of writes) {
      const before = await deniedCount(w.store, `user:${w.ids.viewerA}`);
      const res = await call(w.viewerA, w, route);
      expect(res.statusCode, key(route)).toBe(403);
      expect(await deniedCount(w.store, `user:${w.ids.viewerA}`), key(route)).toBe(before + 1);
    }
    // …and may read.
    expect((await w.viewerA.request('GET', '/api/v1/connection')).statusCode).toBe(200);
  });

  it('(d) without a session every non-public route answers 401, each denial audited', async () => {
    for (const route of consoleRoutes.filter((r) => r.access !== 'public')) {
      const before = await deniedCount(w.store, 'anonymous');
      const res = await call(undefined, w, route);
      expect(res.statusCode, key(route)).toBe(401);
      expect(await deniedCount(w.store, 'anonymous'), key(route)).toBe(before + 1);
    }
  });

  it('(e) platform routes take no console session, and ops routes show no partner data', async () => {
    const platform = w.app.routeTable.filter((r) => r.kind === 'platform');
    expect(platform.length).toBeGreaterThanOrEqual(3);
    for (const route of platform) {
      const url = route.url.replace(':tenantId', w.b.tenantId);
      // An admin's cookie and CSRF token are not platform credentials.
      const res = await w.adminB.request(route.method, url, { name: 'x', domains: [], status: 'active' });
      expect(res.statusCode, key(route)).toBe(401);
    }
    const ops = w.app.routeTable.filter((r) => r.kind === 'ops' && r.method === 'GET');
    expect(ops.map((r) => r.url)).toEqual(
      expect.arrayContaining(['/healthz', '/readyz', '/metrics', '/api/openapi.json']),
    );
    for (const route of ops) {
      const res = await w.app.inject({ method: 'GET', url: route.url });
      for (const secret of [w.b.site, w.b.tenantId, w.b.deadLetterId, w.partnerB]) {
        expect(res.body.includes(secret), `${route.url} shows ${secret}`).toBe(false);
      }
    }
  });

  it('lets each partner admin see and redrive its own dead letters', async () => {
    const mine = await w.adminA.request('GET', '/api/v1/queue/dead-letters');
    const items = mine.json().items as Array<{ id: string }>;
    expect(items).toHaveLength(1);
    const res = await w.adminA.request('POST', '/api/v1/queue/dead-letters/redrive', { ids: [items[0]!.id] });
    expect(res.statusCode).toBe(200);
    expect(res.json().redriven).toBe(1);
    const audit = await w.adminA.request('GET', '/api/v1/audit?action=queue.redrive');
    expect(audit.json().items.some((e: { outcome: string }) => e.outcome === 'success')).toBe(true);
  });
});
