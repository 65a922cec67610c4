// One HTTP attempt over the site's undici Agent: send, read the body under a size cap, and describe
// any failure as data (`AttemptFailure`) so the retry loop can decide without catching raw errors.
import type { Agent } from 'undici';
import { request } from 'undici';
import { SiteNotAllowedError } from './errors.ts';

export interface Attempt {
  method: string;
  /** Absolute URL. */
  url: string;
  headers: Record<string, string>;
  body?: string | undefined;
  signal?: AbortSignal | undefined;
  /** Called once the status and headers of a 2xx answer are in, before the body is read. */
  onHeaders?: ((headers: RawResponse['headers']) => void) | undefined;
}

export interface AttemptTimeouts {
  /** Until the response headers arrive. */
  headersMs: number;
  /** Maximum idle time between body chunks. */
  bodyMs: number;
  /** Whole attempt, connect to last byte. */
  totalMs: number;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export type AttemptFailure =
  | { kind: 'network'; code: string; phase: 'connect' | 'request'; cause: unknown }
  | { kind: 'timeout'; phase: 'connect' | 'request'; cause: unknown }
  | { kind: 'tls'; code: string; cause: unknown }
  | { kind: 'blocked'; error: SiteNotAllowedError }
  | { kind: 'too-large'; limit: number }
  | { kind: 'aborted'; reason: unknown };

export type AttemptResult = { ok: true; response: RawResponse } | { ok: false; failure: AttemptFailure };

const CONNECT_PHASE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_|ERR_OSSL/;

function errorCode(err: unknown): string {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const own = typeof e?.code === 'string' ? e.code : undefined;
  const cause = typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  // undici wraps socket errors as UND_ERR_SOCKET with the OS code in `cause`.
  if (own === 'UND_ERR_SOCKET' && cause) return cause;
  return own ?? cause ?? 'UNKNOWN';
}

export function classifyFailure(err: unknown, signal: AbortSignal | undefined): AttemptFailure {
  if (signal?.aborted) return { kind: 'aborted', reason: signal.reason };
  if (err instanceof SiteNotAllowedError) return { kind: 'blocked', error: err };
  const code = errorCode(err);
  const name = (err as { name?: unknown })?.name;
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return { kind: 'timeout', phase: 'connect', cause: err };
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || name === 'TimeoutError') {
    return { kind: 'timeout', phase: 'request', cause: err };
  }
  if (TLS_CODE.test(code)) return { kind: 'tls', code, cause: err };
  return { kind: 'network', code, phase: CONNECT_PHASE.has(code) ? 'connect' : 'request', cause: err };
}

export async function attempt(
  agent: Agent,
  req: Attempt,
  timeouts: AttemptTimeouts,
  maxBytes: number,
): Promise<AttemptResult> {
  const deadline = AbortSignal.timeout(timeouts.totalMs);
  const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
  try {
    const res = await request(req.url, {
      method: req.method as 'GET',
      headers: req.headers,
      body: req.body ?? null,
      dispatcher: agent,
      signal,
      headersTimeout: timeouts.headersMs,
      bodyTimeout: timeouts.bodyMs,
    });
    if (res.statusCode >= 200 && res.statusCode < 300) req.onHeaders?.(res.headers);
    const declared = Number(res.headers['content-length'] ?? Number.NaN);
    if (declared > maxBytes) {
      res.body.destroy();
      return { ok: false, failure: { kind: 'too-large', limit: maxBytes } };
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        res.body.destroy();
        return { ok: false, failure: { kind: 'too-large', limit: maxBytes } };
      }
      chunks.push(chunk as Buffer);
    }
    const text =
      chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8');
    return { ok: true, response: { status: res.statusCode, headers: res.headers, text } };
  } catch (err) {
    if (req.signal?.aborted) return { ok: false, failure: { kind: 'aborted', reason: req.signal.reason } };
    if (deadline.aborted) return { ok: false, failure: { kind: 'timeout', phase: 'request', cause: err } };
    return { ok: false, failure: classifyFailure(err, undefined) };
  }
}
