import { describe, expect, it } from 'vitest';
import { SiteNotAllowedError } from './errors.ts';
import { hostAllowed, parseSite, toApiHost } from './site.ts';

describe('parseSite', () => {
  it.each([
    ['na.myconnectwise.net', 'https://api-na.myconnectwise.net'],
    ['api-na.myconnectwise.net', 'https://api-na.myconnectwise.net'],
    ['https://eu.myconnectwise.net/v4_6_release/ConnectWise.aspx?x=1', 'https://api-eu.myconnectwise.net'],
    ['  HTTPS://API-AU.MyConnectWise.net/  ', 'https://api-au.myconnectwise.net'],
    ['aus.myconnectwise.net.', 'https://api-aus.myconnectwise.net'],
    ['staging.connectwisedev.com', 'https://api-staging.connectwisedev.com'],
  ])('normalises %s to the cloud API host', (typed, origin) => {
    const site = parseSite(typed);
    expect(site.origin).toBe(origin);
    expect(site.isCloud).toBe(true);
  });

  it('accepts an on-prem host only when the operator allows it', () => {
    expect(() => parseSite('cw.example.com')).toThrow(SiteNotAllowedError);
    const site = parseSite('https://cw.example.com/v4_6_release/apis/3.0', {
      allowedHosts: ['cw.example.com'],
    });
    expect(site).toMatchObject({ origin: 'https://cw.example.com', isCloud: false, port: 443 });
    expect(parseSite('cw.corp.example:8443', { allowedHosts: ['*.corp.example:8443'] }).origin).toBe(
      'https://cw.corp.example:8443',
    );
  });

  it('refuses a non-443 port unless the entry names it', () => {
    expect(() => parseSite('api-na.myconnectwise.net:8443')).toThrow(/not a ConnectWise cloud host/);
    expect(() => parseSite('cw.example.com:8443', { allowedHosts: ['cw.example.com'] })).toThrow(
      SiteNotAllowedError,
    );
  });

  it('refuses other schemes, http without the test switch, and userinfo', () => {
    for (const bad of ['file:///etc/passwd', 'gopher://na.myconnectwise.net', 'ftp://na.myconnectwise.net']) {
      expect(() => parseSite(bad)).toThrow(/https/);
    }
    expect(() => parseSite('http://api-na.myconnectwise.net')).toThrow(/https/);
    expect(() => parseSite('https://na.myconnectwise.net@127.0.0.1/')).toThrow(SiteNotAllowedError);
    expect(() => parseSite('https://user:pw@api-na.myconnectwise.net/')).toThrow(/user name/);
  });

  it('sees through IP encodings of loopback even when the host is allow-listed', () => {
    for (const typed of [
      '127.1',
      '0x7f.1',
      '2130706433',
      '017700000001',
      '[::ffff:127.0.0.1]',
      '[::ffff:7f00:1]',
      '[::1]',
      '0',
    ]) {
      const entries = [typed.replace(/^\[|\]$/g, ''), typed, '127.0.0.1', '::ffff:7f00:1', '::1', '0.0.0.0'];
      expect(() => parseSite(typed, { allowedHosts: entries }), typed).toThrow(SiteNotAllowedError);
    }
  });

  it('allows loopback for the simulator when private addresses are allowed', () => {
    const site = parseSite('http://127.0.0.1:8790', {
      allowedHosts: ['127.0.0.1:8790'],
      allowPrivateAddresses: true,
      allowInsecureHttp: true,
    });
    expect(site).toMatchObject({ origin: 'http://127.0.0.1:8790', hostname: '127.0.0.1', port: 8790 });
  });

  it('never allows link-local metadata addresses', () => {
    expect(() =>
      parseSite('169.254.169.254', { allowedHosts: ['169.254.169.254'], allowPrivateAddresses: true }),
    ).toThrow(/linkLocal/);
  });

  it('gives an actionable message for empty input', () => {
    expect(() => parseSite('  ')).toThrow(/na\.myconnectwise\.net/);
  });
});

describe('toApiHost / hostAllowed', () => {
  it('maps UI hosts only', () => {
    expect(toApiHost('za.myconnectwise.net')).toBe('api-za.myconnectwise.net');
    expect(toApiHost('api-za.myconnectwise.net')).toBe('api-za.myconnectwise.net');
    expect(toApiHost('example.com')).toBe('example.com');
  });
  it('matches wildcard entries on a label boundary', () => {
    expect(hostAllowed('a.corp.example', 443, ['*.corp.example'])).toBe(true);
    expect(hostAllowed('evilcorp.example', 443, ['*.corp.example'])).toBe(false);
    expect(hostAllowed('corp.example', 443, ['*.corp.example'])).toBe(false);
  });
});
