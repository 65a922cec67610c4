import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/index.ts';
import { login, seedPartner, seedUser, TEST_PASSWORD, testConfig } from '../support/console.ts';
import { freshStore, type TestStore } from '../support/databases.ts';

// T20: cookie attributes, CSRF (Fetch Metadata, Origin, token), rotation at login, idle and absolute
// timeouts on an injected clock, and no replay after logout. ASVS 3.3.x, 3.5.x, 7.x.

const PUBLIC_URL = 'https://bridge.example.test';

describe('session cookie and CSRF (T20)', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let clock = new Date('2026-12-01T09:00:00Z');
  const advance = (minutes: number) => {
    clock = new Date(clock.getTime() + minutes * 60_000);
  };

  beforeAll(async () => {
    store = await freshStore('sqlite');
    const partner = await seedPartner(store, 'Acme MSP');
    await seedUser(store, partner, 'msp_admin', 'admin@acme.test');
    app = await buildApp({
      config: testConfig({
        PUBLIC_URL,
        SESSION_IDLE_MINUTES: '30',
        SESSION_ABSOLUTE_HOURS: '8',
        LOGIN_RATE_LIMIT: '3',
      }),
      store,
      clock: () => clock,
    });
  });
  afterAll(async () => {
    await app?.close();
    await store?.dispose();
  });

  it('sets a __Host- cookie that is Secure, HttpOnly, SameSite=Strict, Path=/ and has no Domain', async () => {
    const client = await login(app, 'admin@acme.test');
    const attrs = client.setCookie.split(';').map((a) => a.trim().toLowerCase());
    expect(client.cookie.startsWith('__Host-psa_session=')).toBe(true);
    expect(attrs).toContain('secure');
    expect(attrs).toContain('httponly');
    expect(attrs).toContain('samesite=strict');
    expect(attrs).toContain('path=/');
    expect(attrs.some((a) => a.startsWith('domain='))).toBe(false);
    // ≥128 bits from the CSPRNG: 32 bytes base64url.
    expect(client.cookie.split('=')[1]!.length).toBeGreaterThanOrEqual(43);
  });

  it('answers GET /api/v1/session with the user, partner, role and the same CSRF token', async () => {
    const client = await login(app, 'admin@acme.test');
    const res = await client.request('GET', '/api/v1/session');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      role: 'msp_admin',
      user: { email: 'admin@acme.test' },
      partner: { name: 'Acme MSP' },
    });
    expect(body.csrfToken).toBe(client.csrf);
  });

  it('refuses cross-site, cross-origin and token-less writes with 403', async () => {
    const client = await login(app, 'admin@acme.test');
    const logout = (headers: Record<string, string>) =>
      client.request('POST', '/api/v1/auth/logout', undefined, headers);
    expect((await logout({ 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    // The refusal is audited against the account whose cookie came along.
    const me = (await client.request('GET', '/api/v1/session')).json().user.id as string;
    const denied = await store.db
      .selectFrom('audit_log')
      .select('details')
      .where('actor', '=', `user:${me}`)
      .where('outcome', '=', 'denied')
      .execute();
    expect(denied.some((r) => r.details.includes('cross_site'))).toBe(true);
    expect((await logout({ 'sec-fetch-site': 'same-site' })).statusCode).toBe(403);
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: client.cookie, 'x-csrf-token': client.csrf, origin: 'https://evil.test' },
    });
    expect(bad.statusCode).toBe(403);
    const missing = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: client.cookie, 'sec-fetch-site': 'same-origin' },
    });
    expect(missing.statusCode).toBe(403);
    const wrong = await logout({ 'x-csrf-token': `${client.csrf.slice(0, -2)}xx` });
    expect(wrong.statusCode).toBe(403);
    // The session survived every refused attempt; a proper request with a good Origin works.
    const ok = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: client.cookie, 'x-csrf-token': client.csrf, origin: PUBLIC_URL },
    });
    expect(ok.statusCode).toBe(204);
  });

  it('refuses a cross-site login (login CSRF)', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'admin@acme.test', password: TEST_PASSWORD },
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(res.statusCode).toBe(403);
  });

  it('issues a new session id at login and revokes the one the browser had', async () => {
    const first = await login(app, 'admin@acme.test');
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'admin@acme.test', password: TEST_PASSWORD },
      headers: { cookie: first.cookie, 'sec-fetch-site': 'same-origin' },
    });
    expect(res.statusCode).toBe(200);
    const second = String(res.headers['set-cookie']).split(';')[0];
    expect(second).not.toBe(first.cookie);
    expect(res.json().csrfToken).not.toBe(first.csrf);
    expect((await first.request('GET', '/api/v1/session')).statusCode).toBe(401);
  });

  it('ends a session after the idle timeout', async () => {
    const client = await login(app, 'admin@acme.test');
    advance(29);
    expect((await client.request('GET', '/api/v1/session')).statusCode).toBe(200);
    advance(29);
    expect((await client.request('GET', '/api/v1/session')).statusCode).toBe(200);
    advance(31);
    expect((await client.request('GET', '/api/v1/session')).statusCode).toBe(401);
  });

  it('ends a session at the absolute timeout however active it is', async () => {
    const client = await login(app, 'admin@acme.test');
    for (let minutes = 0; minutes < 8 * 60 - 20; minutes += 20) {
      advance(20);
      expect((await client.request('GET', '/api/v1/session')).statusCode).toBe(200);
    }
    advance(20);
    expect((await client.request('GET', '/api/v1/session')).statusCode).toBe(401);
  });

  it('refuses the old cookie after logout (server-side invalidation)', async () => {
    const client = await login(app, 'admin@acme.test');
    const out = await client.request('POST', '/api/v1/auth/logout');
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/__Host-psa_session=;.*Path=\/.*Secure/);
    const replay = await client.request('GET', '/api/v1/session');
    expect(replay.statusCode).toBe(401);
    expect(String(replay.headers['set-cookie'])).toMatch(/__Host-psa_session=;.*Secure/);
    expect((await client.request('POST', '/api/v1/auth/logout')).statusCode).toBe(401);
  });

  it('ends every session of an account the moment it is disabled', async () => {
    const client = await login(app, 'admin@acme.test');
    await store.db.updateTable('users').set({ disabled: 1 }).where('email', '=', 'admin@acme.test').execute();
    try {
      expect((await client.request('GET', '/api/v1/session')).statusCode).toBe(401);
    } finally {
      await store.db
        .updateTable('users')
        .set({ disabled: 0 })
        .where('email', '=', 'admin@acme.test')
        .execute();
    }
  });

  it('limits failed logins per address and e-mail, with Retry-After', async () => {
    const attempt = (password: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'admin@acme.test', password },
        headers: { 'sec-fetch-site': 'same-origin' },
        remoteAddress: '203.0.113.7',
      });
    for (let i = 0; i < 3; i++) expect((await attempt('wrong password!')).statusCode).toBe(401);
    const limited = await attempt(TEST_PASSWORD);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    advance(16);
    expect((await attempt(TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('names the field when a login body is malformed, and never answers 500', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'not-an-email', password: 'x' },
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues[0].field).toBe('body.email');
    const junk = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: '{"email": "a@b.test", "password": ',
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
    });
    expect(junk.statusCode).toBe(400);
  });
});

describe('session cookie over plain http (localhost development)', () => {
  it('drops the __Host- prefix and Secure, keeps HttpOnly and SameSite', async () => {
    const store = await freshStore('sqlite');
    try {
      const partner = await seedPartner(store, 'Dev MSP');
      await seedUser(store, partner, 'msp_viewer', 'dev@dev.test');
      const app = await buildApp({ config: testConfig({ PUBLIC_URL: 'http://localhost:3000' }), store });
      const client = await login(app, 'dev@dev.test');
      const attrs = client.setCookie.split(';').map((a) => a.trim().toLowerCase());
      expect(client.cookie.startsWith('psa_session=')).toBe(true);
      expect(attrs).not.toContain('secure');
      expect(attrs).toContain('httponly');
      expect(attrs).toContain('samesite=strict');
      await app.close();
    } finally {
      await store.dispose();
    }
  });
});
