// Codebase discovery and the one rediscovery after a hosted upgrade moves the codebase. The
// simulator serves fixed codebases, so a small stub plays a CW whose codebase changes.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectWiseClient, NotFoundError } from '../../src/connectwise/index.ts';

let server: http.Server;
let port: number;
let codebase = 'v2025_1/';
const hits: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/login/companyinfo/acme') {
      return json(200, {
        CompanyName: 'Acme MSP',
        Codebase: codebase,
        VersionCode: 'v2025.1',
        CompanyID: 'acme',
        IsCloud: 'True',
      });
    }
    if (req.url?.startsWith('/login/companyinfo/')) return res.writeHead(200).end('null');
    if (req.url === `/${codebase}apis/3.0/system/info`)
      return json(200, { version: `v-${codebase}`, isCloud: true });
    if (req.url === `/${codebase}apis/3.0/service/tickets/1`)
      return json(404, { code: 'NotFound', message: 'Ticket 1 not found' });
    return json(404, { code: 'NotFound', message: 'No HTTP resource was found' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const config = () => ({
  site: `http://127.0.0.1:${port}`,
  companyId: 'acme',
  publicKey: 'p',
  privateKey: 'q',
  clientId: 'c',
  allowedHosts: [`127.0.0.1:${port}`],
  allowPrivateAddresses: true,
  allowInsecureHttp: true,
});

describe('codebase discovery', () => {
  it('discovers once, caches, and rediscovers once when a GET 404s after an upgrade', async () => {
    const cw = createConnectWiseClient(config());
    expect((await cw.system.info()).version).toBe('v-v2025_1/');
    await cw.system.info();
    expect(hits.filter((h) => h.includes('companyinfo')).length).toBe(1);

    codebase = 'v2026_1/'; // the hosted upgrade
    expect((await cw.system.info()).version).toBe('v-v2026_1/');
    expect((await cw.companyInfo()).codebase).toBe('v2026_1/');
    expect(hits.filter((h) => h.includes('companyinfo')).length).toBe(2);

    // A genuine 404 (codebase unchanged) is not retried more than once.
    const before = hits.length;
    await expect(cw.tickets.get(1)).rejects.toBeInstanceOf(NotFoundError);
    expect(hits.slice(before)).toEqual([
      'GET /v2026_1/apis/3.0/service/tickets/1',
      'GET /login/companyinfo/acme',
    ]);
    await cw.close();
  });

  it('a fixed codebase skips discovery', async () => {
    const cw = createConnectWiseClient({ ...config(), codebase: 'v2026_1/' });
    const before = hits.filter((h) => h.includes('companyinfo')).length;
    await cw.system.info();
    expect(hits.filter((h) => h.includes('companyinfo')).length).toBe(before);
    await cw.close();
  });
});
