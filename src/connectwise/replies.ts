// Turning what one attempt produced into a body or a typed error: JSON vs HTML, CW error bodies,
// socket failures. Pure functions used by the Transport retry loop.
import type { AttemptFailure, RawResponse } from './dispatch.ts';
import {
  type ConnectWiseError,
  NetworkError,
  NotConnectWiseError,
  TimeoutError,
  TlsError,
} from './errors.ts';
import { firstSignificantByte, parseJsonBytes } from './json-bytes.ts';

export interface CallInfo {
  method: string;
  displayPath: string;
}

export function header(headers: RawResponse['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

const LESS_THAN = 0x3c; // <

export function parseBody(res: RawResponse, call: CallInfo): unknown {
  const first = firstSignificantByte(res.body); // -1: empty or only whitespace
  if (res.status === 204 || first === -1) return undefined;
  if (first === LESS_THAN || (header(res.headers, 'content-type') ?? '').includes('html')) {
    throw new NotConnectWiseError(
      'The site answered with a web page instead of JSON: it is not the ConnectWise API host ' +
        '(cloud sites use api-<region>.myconnectwise.net).',
      { status: res.status, method: call.method, path: call.displayPath },
    );
  }
  try {
    return parseJsonBytes(res.body);
  } catch {
    throw new NotConnectWiseError(
      'The site answered with something that is not JSON; check the site address.',
      {
        status: res.status,
        method: call.method,
        path: call.displayPath,
      },
    );
  }
}

export function parseErrorBody(body: Buffer): unknown {
  try {
    return parseJsonBytes(body);
  } catch {
    return undefined;
  }
}

export function failureError(failure: AttemptFailure, call: CallInfo, host: string): ConnectWiseError {
  const ctx = { method: call.method, path: call.displayPath };
  switch (failure.kind) {
    case 'timeout':
      return new TimeoutError(
        `ConnectWise at ${host} did not answer ${call.method} ${call.displayPath} in time. It may be overloaded; try again later.`,
        ctx,
        { cause: failure.cause },
      );
    case 'tls':
      return new TlsError(
        `The TLS connection to ${host} failed (${failure.code}): the certificate is not trusted or does not ` +
          'match the host. Check the site address; an on-premises server needs a valid certificate.',
        ctx,
        { cause: failure.cause },
      );
    case 'too-large':
      return new NotConnectWiseError(`The answer from ${host} exceeded ${failure.limit} bytes.`, ctx);
    case 'network':
      return new NetworkError(
        `Could not reach ConnectWise at ${host} (${failure.code}). Check the site address and network.`,
        { ...ctx, errno: failure.code },
        { cause: failure.cause },
      );
    default:
      return new NetworkError(`Request to ${host} failed.`, ctx);
  }
}
