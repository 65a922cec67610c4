import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/index.ts';
import { login, seedPartner, seedUser, testConfig } from '../support/console.ts';
import { freshStore, type TestStore } from '../support/databases.ts';

// Refusals of callers without a session are coalesced in the audit log (one row per address and route
// per minute, with a count of the rest), so a scanner cannot grow the append-only trail without limit.
// Refusals of signed-in users stay one row each.

describe('audit rows for anonymous refusals', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let clock = new Date('2026-12-01T09:00:00Z');
  const advance = (seconds: number) => {
    clock = new Date(clock.getTime() + seconds * 1000);
  };

  beforeAll(async () => {
    store = await freshStore('sqlite');
    const partner = await seedPartner(store, 'Acme MSP');
    await seedUser(store, partner, 'msp_viewer', 'viewer@acme.test');
    app = await buildApp({ config: testConfig({ LOGIN_RATE_LIMIT: '2' }), store, clock: () => clock });
  });
  afterAll(async () => {
    await app?.close();
    await store?.dispose();
  });

  const anonymous = (url: string, ip: string): Promise<LightMyRequestResponse> =>
    app.inject({ method: 'GET', url, remoteAddress: ip });

  const rows = async (ip: string, action = 'access.denied') => {
    const found = await store.db
      .selectFrom('audit_log')
      .select(['actor', 'target', 'details'])
      .where('ip', '=', ip)
      .where('action', '=', action)
      .where('outcome', '=', 'denied')
      .orderBy('id')
      .execute();
    return found.map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
  };

  it('writes one row for 50 anonymous refusals of one route from one address', async () => {
    const ip = '198.51.100.7';
    const answers = await Promise.all(Array.from({ length: 50 }, () => anonymous('/api/v1/connection', ip)));
    expect(answers.every((a) => a.statusCode === 401)).toBe(true);
    // Every refusal still clears the cookie, and still counts on /metrics.
    expect(answers.every((a) => String(a.headers['set-cookie']).startsWith('psa_session=;'))).toBe(true);
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/psa_bridge_access_denied_total\{reason="no_session"\} 50\b/);

    const written = await rows(ip);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({
      actor: 'anonymous',
      target: 'GET /api/v1/connection',
      details: { reason: 'no_session', status: 401, suppressed: 0 },
    });
  });

  it('writes a new row for another route or address, and after the window with the suppressed count', async () => {
    const ip = '198.51.100.8';
    for (let i = 0; i < 5; i++) await anonymous('/api/v1/connection', ip);
    await anonymous('/api/v1/tenants', ip);
    await anonymous('/api/v1/tenants', '198.51.100.9');
    expect((await rows(ip)).map((r) => r.target)).toEqual(['GET /api/v1/connection', 'GET /api/v1/tenants']);
    expect(await rows('198.51.100.9')).toHaveLength(1);

    advance(59);
    await anonymous('/api/v1/connection', ip);
    expect(await rows(ip)).toHaveLength(2);
    advance(2);
    await anonymous('/api/v1/connection', ip);
    const written = await rows(ip);
    expect(written).toHaveLength(3);
    expect(written[2]).toMatchObject({ target: 'GET /api/v1/connection', details: { suppressed: 5 } });
  });

  it('coalesces refusals with a session that has ended like those without one', async () => {
    const ip = '198.51.100.10';
    const cookie = 'psa_session=not-a-session-anyone-issued';
    for (let i = 0; i < 10; i++) {
      const res = await app.inject({
        method: 'GET',
        url: '/api/v1/session',
        headers: { cookie },
        remoteAddress: ip,
      });
      expect(res.statusCode).toBe(401);
    }
    expect(await rows(ip)).toHaveLength(1);
  });

  it('still writes one row per refusal of a signed-in user', async () => {
    const viewer = await login(app, 'viewer@acme.test');
    const me = (await viewer.request('GET', '/api/v1/session')).json().user.id as string;
    for (let i = 0; i < 5; i++) {
      const res = await viewer.request('PUT', '/api/v1/connection', {
        site: 'na.myconnectwise.net',
        companyId: 'acme',
        publicKey: 'PUBLICKEY1',
        privateKey: 'PRIVATEKEY1234',
      });
      expect(res.statusCode).toBe(403);
    }
    const written = await rows('127.0.0.1');
    const mine = written.filter((r) => r.actor === `user:${me}`);
    expect(mine).toHaveLength(5);
    expect(mine.every((r) => r.details.reason === 'role_msp_viewer' && !('suppressed' in r.details))).toBe(
      true,
    );
  });

  it('coalesces rate-limited login attempts, which cost the caller no password hash', async () => {
    const ip = '203.0.113.50';
    const attempt = () =>
      app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'viewer@acme.test', password: 'not the password!' },
        headers: { 'sec-fetch-site': 'same-origin' },
        remoteAddress: ip,
      });
    for (let i = 0; i < 2; i++) expect((await attempt()).statusCode).toBe(401);
    for (let i = 0; i < 20; i++) expect((await attempt()).statusCode).toBe(429);
    const limited = (await rows(ip, 'auth.login')).filter((r) => r.details.reason === 'rate_limited');
    expect(limited).toHaveLength(1);
    advance(61);
    expect((await attempt()).statusCode).toBe(429);
    const again = (await rows(ip, 'auth.login')).filter((r) => r.details.reason === 'rate_limited');
    expect(again.map((r) => r.details.suppressed)).toEqual([0, 19]);
  });
});
