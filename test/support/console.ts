import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { hashPassword, type Role, usersRepository } from '../../src/auth/index.ts';
import { type Config, loadConfig } from '../../src/config/index.ts';
import { upsertTenant } from '../../src/platform/index.ts';
import { createPartner, now, type Store } from '../../src/store/index.ts';

/**
 * Helpers for console API tests: partners, tenants and users written straight into a fresh store, and a
 * signed-in client that carries the session cookie and CSRF token like the web app does.
 */

export const TEST_PASSWORD = 'correct horse battery staple';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: ':memory:', ...overrides });
}

export async function seedPartner(store: Store, name: string): Promise<string> {
  return (await createPartner(store.db, { name })).id;
}

export async function seedTenant(
  store: Store,
  partnerId: string,
  tenantId: string,
  name = tenantId,
): Promise<void> {
  await upsertTenant(store.db, partnerId, tenantId, { name, domains: [], status: 'active' }, now());
}

let passwordHash: Promise<string> | undefined;

export async function seedUser(
  store: Store,
  partnerId: string,
  role: Role,
  email: string,
  tenantId: string | null = null,
): Promise<string> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const user = await usersRepository(store.db).create({
    partnerId,
    email,
    passwordHash: await passwordHash,
    role,
    tenantId,
  });
  return user.id;
}

export interface Client {
  cookie: string;
  csrf: string;
  /** The raw Set-Cookie header of the login response. */
  setCookie: string;
  request(
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
}

export async function login(app: FastifyInstance, email: string, password = TEST_PASSWORD): Promise<Client> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password },
    headers: { 'sec-fetch-site': 'same-origin' },
  });
  if (res.statusCode !== 200) throw new Error(`login ${email} failed: ${res.statusCode} ${res.body}`);
  const setCookie = String(res.headers['set-cookie']);
  const cookie = setCookie.split(';')[0] ?? '';
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  return {
    cookie,
    csrf,
    setCookie,
    request(method, url, body, headers = {}) {
      return app.inject({
        method: method as 'GET',
        url,
        ...(body === undefined ? {} : { payload: body as object }),
        headers: { cookie, 'x-csrf-token': csrf, 'sec-fetch-site': 'same-origin', ...headers },
      });
    },
  };
}
