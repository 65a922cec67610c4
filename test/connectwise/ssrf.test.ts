// T16: the SSRF matrix. A canary listener on 127.0.0.1 must see no connection at all, whatever the
// operator allowed by name, because the address checks run before any socket is opened.
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectWiseConfig, testConnection } from '../../src/connectwise/index.ts';
import { type Sim, startSim } from './sim.ts';

let canary: net.Server;
let canaryPort: number;
let connections = 0;
// Allowed hosts that answer every request with a redirect to the canary: the simulator over plain
// HTTP, and over TLS (https → http), each with a redirect fault.
let redirector: Sim;
let tlsRedirector: Sim;

beforeAll(async () => {
  canary = net.createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((r) => canary.listen(0, '127.0.0.1', r));
  canaryPort = (canary.address() as AddressInfo).port;
  redirector = await startSim();
  tlsRedirector = await startSim({ tls: true });
  for (const sim of [redirector, tlsRedirector])
    await sim.faults({ redirectRate: 1, redirectLocation: `http://127.0.0.1:${canaryPort}/` });
});

afterAll(async () => {
  await new Promise<void>((r) => canary.close(() => r()));
  await redirector?.close();
  await tlsRedirector?.close();
});

const keys = { companyId: 'acme', publicKey: 'pub-key-x', privateKey: 'priv-key-x', clientId: 'client-x' };

function attempt(site: string, extra: Partial<ConnectWiseConfig> = {}) {
  return testConnection({ site, ...keys, ...extra });
}

describe('SSRF matrix (canary on 127.0.0.1)', () => {
  const p = () => canaryPort;
  const loopbackForms = () => [
    `https://127.0.0.1:${p()}`,
    `http://127.0.0.1:${p()}`,
    `localhost:${p()}`,
    `[::1]:${p()}`,
    `127.1:${p()}`,
    `0:${p()}`,
    `0x7f.1:${p()}`,
    `2130706433:${p()}`,
    `017700000001:${p()}`,
    `[::ffff:127.0.0.1]:${p()}`,
    `[::ffff:7f00:1]:${p()}`,
    `https://na.myconnectwise.net@127.0.0.1:${p()}/`,
  ];

  it('refuses loopback in every spelling, even when the operator allowed the name', async () => {
    for (const site of loopbackForms()) {
      // Allowing the exact host:port by name must not be enough: private addresses are not allowed.
      const host = site
        .replace(/^https?:\/\//, '')
        .replace(/^.*@/, '')
        .replace(/\/$/, '');
      const result = await attempt(site, { allowedHosts: [host, `127.0.0.1:${p()}`, `localhost:${p()}`] });
      expect(result, site).toMatchObject({ ok: false, field: 'site' });
    }
    expect(connections).toBe(0);
  });

  it('refuses metadata, private and special ranges, other schemes and non-443 ports', async () => {
    const sites = [
      'http://169.254.169.254',
      '169.254.169.254',
      'metadata.google.internal',
      '10.0.0.1',
      '100.64.0.1',
      '172.16.0.1',
      '192.168.0.1',
      '[fc00::1]',
      '[fe80::1]',
      '224.0.0.1',
      'file:///etc/passwd',
      'gopher://api-na.myconnectwise.net',
      'ftp://api-na.myconnectwise.net',
      'api-na.myconnectwise.net:8443',
      `api-na.myconnectwise.net:${p()}`,
    ];
    for (const site of sites) {
      const result = await attempt(site, { allowedHosts: [site.replace(/^\w+:\/\//, '')] });
      expect(result, site).toMatchObject({ ok: false, field: 'site' });
      if (!result.ok) expect(result.code, site).toMatch(/CW_SITE_NOT_ALLOWED|CW_INVALID_INPUT/);
    }
    expect(connections).toBe(0);
  });

  it('refuses a host name that resolves to loopback, checked at connect time', async () => {
    const lookup: ConnectWiseConfig['lookup'] = (_h, cb) => cb(null, [{ address: '127.0.0.1', family: 4 }]);
    const result = await attempt(`https://cw.example.test:${p()}`, {
      allowedHosts: [`cw.example.test:${p()}`],
      lookup,
    });
    expect(result).toMatchObject({ ok: false, code: 'CW_SITE_NOT_ALLOWED', field: 'site' });
    // Rebinding (public first, loopback on the next lookup) is covered in src/connectwise/url-safety.test.ts.
    expect(connections).toBe(0);
  });

  it('does not follow a redirect to loopback (302, and https → http)', async () => {
    const plain = await attempt(redirector.sim.url, {
      allowedHosts: [`127.0.0.1:${redirector.sim.port}`],
      allowPrivateAddresses: true,
      allowInsecureHttp: true,
    });
    const downgrade = await attempt(tlsRedirector.sim.url, {
      allowedHosts: [`127.0.0.1:${tlsRedirector.sim.port}`],
      allowPrivateAddresses: true,
      ca: tlsRedirector.sim.ca!,
    });
    for (const result of [plain, downgrade]) {
      expect(result).toMatchObject({ ok: false, code: 'CW_NOT_CONNECTWISE', field: 'site' });
      if (!result.ok) expect(result.message).toMatch(/redirect/);
    }
    expect(connections).toBe(0);
    for (const sim of [redirector, tlsRedirector])
      expect((await sim.requests()).map((r) => `${r.status} ${r.fault}`)).toEqual(['302 redirect']);
  });
});
