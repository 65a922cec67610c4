import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth } from './auth.ts';
import { type RunningSimulator, startSimulator } from './index.ts';
import { cw } from './testing.ts';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 'demo', today: '2026-03-10', quiet: true });
});
afterAll(() => sim.close());

const get = (headers: Record<string, string>, path = 'company/companies') =>
  fetch(`${sim.apiBase()}/${path}`, { headers }).then(async (r) => ({
    status: r.status,
    body: await r.json(),
  }));

describe('authentication as CW does it', () => {
  it('accepts Basic companyId+public:private with the clientId header, company id in any case', async () => {
    const auth = basicAuth('SANDBOX', 'sandbox-public', 'sandbox-private');
    expect((await get({ Authorization: auth, clientId: sim.credentials.clientId })).status).toBe(200);
  });

  it.each([
    ['no Authorization header', {}],
    ['a Bearer token', { Authorization: 'Bearer abc' }],
    [
      'no companyId+ prefix',
      { Authorization: `Basic ${Buffer.from('sandbox-public:sandbox-private').toString('base64')}` },
    ],
    ['the wrong company', { Authorization: basicAuth('other', 'sandbox-public', 'sandbox-private') }],
    ['a wrong private key', { Authorization: basicAuth('sandbox', 'sandbox-public', 'nope') }],
    ['an unknown public key', { Authorization: basicAuth('sandbox', 'who', 'sandbox-private') }],
  ])('answers 401 Unauthorized for %s', async (_, headers: Record<string, string>) => {
    const res = await get({ clientId: sim.credentials.clientId, ...headers });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('Unauthorized');
  });

  it('answers 401 without a clientId header and with an unregistered clientId', async () => {
    const auth = basicAuth('sandbox', 'sandbox-public', 'sandbox-private');
    const missing = await get({ Authorization: auth });
    expect(missing.status).toBe(401);
    expect(missing.body.message).toMatch(/clientId/);
    const wrong = await get({ Authorization: auth, clientId: '00000000-0000-0000-0000-000000000000' });
    expect(wrong.status).toBe(401);
  });

  it('checks credentials before routing, so a bad login never learns which paths exist', async () => {
    const res = await get({}, 'no/such/thing');
    expect(res.status).toBe(401);
  });
});

describe('codebases, companyinfo and routing', () => {
  it('serves /login/companyinfo unauthenticated with PascalCase fields and a cloud-style codebase', async () => {
    const res = await fetch(`${sim.url}/login/companyinfo/sandbox`);
    const body = await res.json();
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ CompanyID: 'sandbox', Codebase: 'v2025_1/', IsCloud: true });
    expect(typeof body.VersionCode).toBe('string');
  });

  it('answers an unknown company with a body of null', async () => {
    const res = await fetch(`${sim.url}/login/companyinfo/nobody`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('null');
  });

  it('serves the same API under v4_6_release/ and the cloud codebase, with hrefs pointing back at each', async () => {
    for (const codebase of ['v4_6_release/', 'v2025_1/']) {
      const res = await cw(sim, 'GET', 'company/companies/251', undefined, { codebase });
      expect(res.status).toBe(200);
      expect(res.body.status._info.status_href).toBe(`${sim.apiBase(codebase)}/company/companies/statuses/1`);
    }
    expect((await cw(sim, 'GET', 'company/companies', undefined, { codebase: 'v2019_1/' })).status).toBe(404);
  });

  it('answers 404 for unknown resources and records, 405 for unsupported verbs', async () => {
    const unknown = await cw(sim, 'GET', 'company/nothing');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('NotFound');
    const missing = await cw(sim, 'GET', 'service/tickets/999999');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('Ticket 999999 not found');
    const verb = await cw(sim, 'DELETE', 'company/companies/251');
    expect(verb.status).toBe(405);
    expect(verb.headers.get('allow')).toContain('GET');
  });

  it('routes case-insensitively like CW and serves system/info to any member', async () => {
    expect((await cw(sim, 'GET', 'Company/Companies/count')).body).toEqual({ count: 25 });
    const info = await cw(sim, 'GET', 'system/info', undefined, { member: 'restricted' });
    expect(info.status).toBe(200);
    expect(info.body.version).toMatch(/^v\d{4}\./);
  });
});
