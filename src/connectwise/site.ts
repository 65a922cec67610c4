// Turns what an admin types into the one origin we talk to, and decides whether that origin may be
// contacted at all. Pure: no DNS, no sockets (address checks at connect time live in url-safety.ts).
import { SiteNotAllowedError } from './errors.ts';
import { classifyAddress, isIpLiteral } from './url-safety.ts';

export interface SitePolicy {
  /**
   * Hosts allowed besides the ConnectWise cloud API hosts: `host`, `host:port` or `*.domain`.
   * A port other than 443 must be named explicitly (on-prem on 8443, the simulator on 127.0.0.1:PORT).
   */
  allowedHosts?: readonly string[];
  /** Allow loopback, RFC 1918, CGNAT and unique-local addresses (on-prem, the simulator). Never link-local. */
  allowPrivateAddresses?: boolean;
  /** Allow plain http — only for the simulator in tests and the demo. */
  allowInsecureHttp?: boolean;
}

export interface Site {
  /** `https://api-na.myconnectwise.net` — scheme, host and port; never a path. */
  origin: string;
  protocol: 'https:' | 'http:';
  /** Hostname without brackets (IPv6 literals bare), lower case. */
  hostname: string;
  port: number;
  /** One of ConnectWise's hosted API hosts. */
  isCloud: boolean;
}

const CLOUD_API_HOST = /^api-[a-z0-9]+\.myconnectwise\.net$/;
const CLOUD_UI_HOST = /^([a-z0-9]+)\.myconnectwise\.net$/;
const STAGING_UI = 'staging.connectwisedev.com';
const STAGING_API = 'api-staging.connectwisedev.com';

function isCloudApiHost(hostname: string): boolean {
  return CLOUD_API_HOST.test(hostname) || hostname === STAGING_API;
}

/** Maps a cloud UI host (`na.myconnectwise.net`) to its API host; other hosts are returned unchanged. */
export function toApiHost(hostname: string): string {
  if (hostname === STAGING_UI) return STAGING_API;
  const ui = CLOUD_UI_HOST.exec(hostname);
  if (ui && !ui[1]!.startsWith('api-')) return `api-${ui[1]}.myconnectwise.net`;
  return hostname;
}

/**
 * Parses a site as typed (`na.myconnectwise.net`, `https://api-eu.myconnectwise.net/v4_6_release/…`,
 * `cw.example.com:8443`) and checks it against the policy. Throws SiteNotAllowedError with a reason.
 */
export function parseSite(input: string, policy: SitePolicy = {}): Site {
  const typed = input.trim();
  if (typed === '') throw new SiteNotAllowedError('Enter the ConnectWise site, e.g. na.myconnectwise.net.');
  const hasScheme = /^[a-z][a-z0-9+.-]*:/i.test(typed) && !/^[^/]+:\d+(\/|$)/.test(typed);
  let url: URL;
  try {
    url = new URL(hasScheme ? typed : `https://${typed}`);
  } catch {
    throw new SiteNotAllowedError(
      'The ConnectWise site is not a valid host name. Enter it like na.myconnectwise.net.',
    );
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowInsecureHttp)) {
    throw new SiteNotAllowedError('The ConnectWise site must use https://.');
  }
  if (url.username !== '' || url.password !== '') {
    throw new SiteNotAllowedError(
      'The ConnectWise site must not contain a user name or password (user@host).',
    );
  }
  // WHATWG URL has already turned 0x7f.1, 2130706433 and 017700000001 into dotted quads.
  const bare = url.hostname
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase()
    .replace(/\.$/, '');
  const hostname = toApiHost(bare);
  const protocol = url.protocol as 'https:' | 'http:';
  const defaultPort = protocol === 'https:' ? 443 : 80;
  const port = url.port === '' ? defaultPort : Number(url.port);
  const isCloud = isCloudApiHost(hostname) && port === 443 && protocol === 'https:';
  if (!isCloud && !hostAllowed(hostname, port, policy.allowedHosts ?? [])) {
    throw new SiteNotAllowedError(
      `${hostname}${port === 443 ? '' : `:${port}`} is not a ConnectWise cloud host. Use your region's ` +
        'API host (e.g. api-na.myconnectwise.net); an on-premises server must be allowed by the operator.',
    );
  }
  if (isIpLiteral(hostname)) {
    const verdict = classifyAddress(hostname, policy);
    if (!verdict.allowed) throw new SiteNotAllowedError(`The ConnectWise site points to ${verdict.reason}.`);
  }
  const shownHost = hostname.includes(':') ? `[${hostname}]` : hostname;
  return {
    origin: `${protocol}//${shownHost}${port === defaultPort ? '' : `:${port}`}`,
    protocol,
    hostname,
    port,
    isCloud,
  };
}

/** Matches against operator-allowed entries; entries are parsed like sites so encodings compare equal. */
export function hostAllowed(hostname: string, port: number, entries: readonly string[]): boolean {
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase();
    if (entry.startsWith('*.')) {
      const [suffix, entryPort] = splitPort(entry.slice(1));
      if (hostname.endsWith(suffix) && hostname.length > suffix.length && port === (entryPort ?? 443)) {
        return true;
      }
      continue;
    }
    let parsed: URL;
    try {
      parsed = new URL(`https://${entry}`);
    } catch {
      continue;
    }
    const entryHost = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
    const entryPort = parsed.port === '' ? 443 : Number(parsed.port);
    if (entryHost === hostname && entryPort === port) return true;
  }
  return false;
}

function splitPort(hostPort: string): [string, number | undefined] {
  const m = /^(.*):(\d+)$/.exec(hostPort);
  return m ? [m[1]!, Number(m[2])] : [hostPort, undefined];
}
