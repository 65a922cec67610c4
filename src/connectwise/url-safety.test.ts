import { describe, expect, it } from 'vitest';
import { SiteNotAllowedError } from './errors.ts';
import { type Connector, classifyAddress, guardedConnector, type LookupFn } from './url-safety.ts';

describe('classifyAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '100.64.0.1',
    '169.254.169.254',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    'fc00::1',
    'fe80::1',
    '255.255.255.255',
  ])('refuses %s by default', (address) => {
    expect(classifyAddress(address, {}).allowed).toBe(false);
  });

  it('allows public unicast, and private/loopback only when asked (never link-local or multicast)', () => {
    expect(classifyAddress('93.184.216.34', {}).allowed).toBe(true);
    expect(classifyAddress('2606:4700::1111', {}).allowed).toBe(true);
    for (const a of ['127.0.0.1', '10.0.0.1', '::ffff:127.0.0.1', 'fd00::1']) {
      expect(classifyAddress(a, { allowPrivateAddresses: true }).allowed, a).toBe(true);
    }
    for (const a of ['169.254.169.254', '224.0.0.1', '0.0.0.0', 'fe80::1']) {
      expect(classifyAddress(a, { allowPrivateAddresses: true }).allowed, a).toBe(false);
    }
  });
});

function harness(lookup: LookupFn, hostname = 'cw.example.com') {
  const dialled: string[] = [];
  const base: Connector = (opts, cb) => {
    dialled.push(`${opts.hostname}|${opts.servername ?? ''}`);
    cb(new Error('not dialling in tests'), null);
  };
  const connect = guardedConnector({ hostname, lookup }, base);
  const run = (host = hostname) =>
    new Promise<unknown>((resolve) =>
      connect(
        { hostname: host, host: `${host}:443`, protocol: 'https:', port: '443' },
        (...args: unknown[]) => resolve(args[0]),
      ),
    );
  return { dialled, run };
}

describe('guardedConnector', () => {
  it('refuses a name that resolves to loopback, checking every answer', async () => {
    const h = harness((_h, cb) =>
      cb(null, [
        { address: '93.184.216.34', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ]),
    );
    expect(await h.run()).toBeInstanceOf(SiteNotAllowedError);
    expect(h.dialled).toEqual([]);
  });

  it('checks at every connection: a rebinding answer is refused on the second lookup', async () => {
    let calls = 0;
    const h = harness((_h, cb) =>
      cb(null, [{ address: calls++ === 0 ? '93.184.216.34' : '127.0.0.1', family: 4 }]),
    );
    expect(await h.run()).not.toBeInstanceOf(SiteNotAllowedError);
    expect(await h.run()).toBeInstanceOf(SiteNotAllowedError);
    // The first connection dialled the checked address, with SNI on the configured name.
    expect(h.dialled).toEqual(['93.184.216.34|cw.example.com']);
  });

  it('refuses literal IPs before connecting, and any host other than the site', async () => {
    const h = harness((_h, cb) => cb(null, [{ address: '93.184.216.34', family: 4 }]), '127.0.0.1');
    expect(await h.run()).toBeInstanceOf(SiteNotAllowedError);
    const other = harness((_h, cb) => cb(null, [{ address: '93.184.216.34', family: 4 }]));
    expect(await other.run('evil.example')).toBeInstanceOf(SiteNotAllowedError);
    expect([...h.dialled, ...other.dialled]).toEqual([]);
  });

  it('reports unresolvable hosts', async () => {
    const h = harness((_h, cb) => cb(Object.assign(new Error('nx'), { code: 'ENOTFOUND' }), []));
    const err = await h.run();
    expect(err).toBeInstanceOf(SiteNotAllowedError);
    expect((err as Error).message).toMatch(/could not be resolved/);
  });
});
