// Connect-time SSRF guard. Every socket the client opens goes through `guardedConnector`: literal IPs
// are classified before connecting, host names are resolved here (all A/AAAA answers checked) and the
// socket is opened to the address we checked, so a rebinding DNS answer cannot slip in between.
import { lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';
import { createSecureContext, rootCertificates } from 'node:tls';
import ipaddr from 'ipaddr.js';
import { buildConnector } from 'undici';
import { SiteNotAllowedError } from './errors.ts';

export interface LookupAddress {
  address: string;
  family: number;
}
export type LookupFn = (
  hostname: string,
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

export interface AddressPolicy {
  allowPrivateAddresses?: boolean;
}

/** Ranges refused even when private addresses are allowed: metadata, multicast, this-host, reserved. */
const PRIVATE_RANGES = new Set(['private', 'loopback', 'carrierGradeNat', 'uniqueLocal']);

export function isIpLiteral(hostname: string): boolean {
  return isIP(hostname.replace(/^\[(.*)\]$/, '$1')) !== 0;
}

/** Classifies the parsed bytes (IPv4-mapped IPv6 unwrapped), never the spelling. */
export function classifyAddress(
  address: string,
  policy: AddressPolicy,
): { allowed: true } | { allowed: false; reason: string } {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(address.replace(/^\[(.*)\]$/, '$1'));
  } catch {
    return { allowed: false, reason: 'an address that cannot be parsed' };
  }
  const range = parsed.range();
  if (range === 'unicast') return { allowed: true };
  if (PRIVATE_RANGES.has(range) && policy.allowPrivateAddresses) return { allowed: true };
  const what = PRIVATE_RANGES.has(range) ? 'a private or loopback address' : `a ${range} address`;
  return { allowed: false, reason: `${what}, which is not allowed` };
}

const defaultLookup: LookupFn = (hostname, callback) =>
  dnsLookup(hostname, { all: true }, (err, addresses) => callback(err, addresses ?? []));

export interface GuardOptions extends AddressPolicy {
  /** The only host name this connector will open sockets for (the site's). */
  hostname: string;
  lookup?: LookupFn | undefined;
  /** Extra TLS options, e.g. the simulator's CA. */
  ca?: string | Buffer | undefined;
  connectTimeoutMs?: number | undefined;
}

export type Connector = buildConnector.connector;

/**
 * An undici `connect` function that refuses disallowed addresses. `base` is injectable so tests can
 * see which address would have been dialled without touching the network.
 */
export function guardedConnector(options: GuardOptions, base?: Connector): Connector {
  const inner =
    base ??
    buildConnector({
      // One secure context for every connection: passing `ca` alone makes Node build (and parse the
      // CA into) a fresh context on each TLS handshake.
      ...(options.ca === undefined
        ? {}
        : { secureContext: createSecureContext({ ca: [...rootCertificates, String(options.ca)] }) }),
      ...(options.connectTimeoutMs === undefined ? {} : { timeout: options.connectTimeoutMs }),
    });
  const lookup = options.lookup ?? defaultLookup;
  const expected = options.hostname.toLowerCase();

  return (connectOptions, callback) => {
    const requested = connectOptions.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
    if (requested !== expected) {
      callback(new SiteNotAllowedError(`Refused to connect to ${requested}: not the configured site.`), null);
      return;
    }
    if (isIP(requested) !== 0) {
      const verdict = classifyAddress(requested, options);
      if (!verdict.allowed) {
        callback(new SiteNotAllowedError(`The ConnectWise site points to ${verdict.reason}.`), null);
        return;
      }
      inner(connectOptions, callback);
      return;
    }
    lookup(requested, (err, addresses) => {
      if (err || addresses.length === 0) {
        const e = new SiteNotAllowedError(
          `The host ${requested} could not be resolved; check the site name.`,
        );
        callback(Object.assign(e, { errno: err?.code ?? 'ENOTFOUND' }), null);
        return;
      }
      for (const { address } of addresses) {
        const verdict = classifyAddress(address, options);
        if (!verdict.allowed) {
          callback(new SiteNotAllowedError(`The host ${requested} resolves to ${verdict.reason}.`), null);
          return;
        }
      }
      const chosen = addresses[0]!;
      inner(
        {
          ...connectOptions,
          hostname: chosen.address,
          // Keeps SNI and certificate checks on the name the operator configured.
          servername: connectOptions.servername ?? requested,
        },
        callback,
      );
    });
  };
}
