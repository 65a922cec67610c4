import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeStores } from '../../test/support/databases.ts';
import { loadConfig } from '../config/index.ts';
import { EVENT_TYPES, PLATFORM_QUEUES, platformApi } from '../platform/index.ts';
import { createJobQueue, type JobQueue } from '../queue/index.ts';
import { createSecretBox, keyringOf } from '../secrets/index.ts';
import { DEMO_TENANTS, type DemoHandle, demoDecision, maybeStartDemo } from './index.ts';

describe('demoDecision', () => {
  it('never runs in production, seeds only a new database unless forced, resumes a demo database', () => {
    const base = { demo: 'auto' as const, production: false, demoPartnerExists: false, partnerCount: 0 };
    expect(demoDecision(base)).toBe('seed');
    expect(demoDecision({ ...base, partnerCount: 2 })).toBe('off');
    expect(demoDecision({ ...base, partnerCount: 1, demoPartnerExists: true })).toBe('resume');
    expect(demoDecision({ ...base, demo: 'true', partnerCount: 3 })).toBe('seed');
    expect(demoDecision({ ...base, demo: 'false' })).toBe('off');
    expect(demoDecision({ ...base, production: true, demo: 'true' })).toBe('off');
  });
});

describeStores('demo mode', ({ store }) => {
  const logger = pino({ level: 'silent' });
  const masterKey = Buffer.alloc(32, 5);
  const box = createSecretBox(keyringOf(masterKey));
  let app: FastifyInstance;
  let queue: JobQueue;
  let url: string;
  const handles: DemoHandle[] = [];
  const config = () =>
    loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: store().databaseUrl,
      PSA_BRIDGE_MASTER_KEY: masterKey.toString('base64'),
      SIMULATOR_PORT: '0',
      DATA_DIR: '/tmp/psa-demo-test',
    });

  beforeAll(async () => {
    queue = createJobQueue(store(), { queues: PLATFORM_QUEUES, logger });
    await queue.start();
    app = Fastify({ logger: false });
    await platformApi({ config: config(), store: store(), queue, secrets: box })(app);
    url = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    for (const h of handles) await h.stop();
    await app?.close();
    await queue?.stop();
  });

  const count = async (table: 'tenants' | 'usage_snapshots' | 'users' | 'event_inbox') =>
    Number(
      (await store().db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n,
    );

  it('seeds a new database, starts the simulator and sends signed events of every kind', async () => {
    const demo = await maybeStartDemo({
      config: config(),
      store: store(),
      logger,
      secrets: box,
      serviceUrl: url,
      trickleIntervalMs: 0,
      firstBurstDelayMs: 0,
    });
    expect(demo?.seeded).toBe(true);
    handles.push(demo!);
    expect(await count('tenants')).toBe(DEMO_TENANTS.length);
    const pairs = DEMO_TENANTS.reduce((n, t) => n + Object.keys(t.skus).length, 0);
    expect(await count('usage_snapshots')).toBe(pairs * 90);
    const users = await store()
      .db.selectFrom('users')
      .select(['role', 'tenant_id'])
      .orderBy('role')
      .execute();
    expect(users).toEqual([
      { role: 'msp_admin', tenant_id: null },
      { role: 'tenant_user', tenant_id: 't-acme' },
    ]);
    for (let i = 0; i < 100 && demo!.eventsSent() < EVENT_TYPES.length; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(demo!.eventsSent()).toBe(EVENT_TYPES.length);
    const types = await store().db.selectFrom('event_inbox').select('type').distinct().execute();
    expect(new Set(types.map((t) => t.type))).toEqual(new Set(EVENT_TYPES));
    const text = demo!.describe();
    expect(text).toContain('admin@demo-msp.example / demo-admin-pass');
    expect(text).toContain('Company ID  sandbox');
    expect(demo!.simulatorUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const info = await fetch(`${demo!.simulatorUrl}/login/companyinfo/sandbox`);
    expect(info.status).toBe(200);
  });

  it('does not seed again on a second start', async () => {
    const before = await count('usage_snapshots');
    const again = await maybeStartDemo({
      config: config(),
      store: store(),
      logger,
      secrets: box,
      serviceUrl: url,
      trickleIntervalMs: 0,
      firstBurstDelayMs: 60_000,
      simulator: false,
    });
    handles.push(again!);
    expect(again?.seeded).toBe(false);
    expect(await count('usage_snapshots')).toBe(before);
    const partners = await store().db.selectFrom('partners').select('id').execute();
    expect(partners).toHaveLength(1);
  });
});
