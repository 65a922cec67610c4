// One HTTP attempt over the site's undici Agent: send, read the body under a size cap, and describe
// any failure as data (`AttemptFailure`) so the retry loop can decide without catching raw errors.
// It uses undici's low-level `dispatch` with a handler that collects the body's Buffers and joins
// them once: `undici.request` would wrap every response in a Readable stream and every chunk in an
// async-iterator step, which costs more CPU per 1000-record page than the copy we need anyway.
import type { Agent, Dispatcher } from 'undici';
import { SiteNotAllowedError } from './errors.ts';

export interface Attempt {
  method: string;
  /** `https://host[:port]`. */
  origin: string;
  /** Path and query string. */
  path: string;
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
  /** The whole body, undecoded: `json-bytes.ts` turns it into a value. */
  body: Buffer;
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

/** An error undici (or our onHeaders callback) raised; the caller's abort is settled in handleEvent. */
function classifyFailure(err: unknown): AttemptFailure {
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

export function attempt(
  agent: Agent,
  req: Attempt,
  timeouts: AttemptTimeouts,
  maxBytes: number,
): Promise<AttemptResult> {
  return new Promise((resolve) => {
    if (req.signal?.aborted) {
      resolve({ ok: false, failure: { kind: 'aborted', reason: req.signal.reason } });
      return;
    }
    const handler = new CollectingHandler(req, maxBytes, timeouts.totalMs, resolve);
    try {
      agent.dispatch(
        {
          origin: req.origin,
          path: req.path,
          method: req.method as Dispatcher.HttpMethod,
          headers: req.headers,
          body: req.body ?? null,
          headersTimeout: timeouts.headersMs,
          bodyTimeout: timeouts.bodyMs,
        },
        handler,
      );
    } catch (err) {
      // Invalid options or a closed agent: undici throws synchronously instead of calling the handler.
      handler.fail(err);
    }
  });
}

/**
 * Receives one response and settles the attempt exactly once. Whatever settles first wins (end of
 * body, error, size cap, the caller's abort, the total deadline); events undici delivers afterwards
 * are ignored, and the request is aborted if it is still running.
 *
 * undici keeps finished requests, and so their handlers, in its queue for a while (it trims the queue
 * in batches), so settling drops every reference the handler holds: otherwise `onHeaders` (and through
 * it the caller's page) and the body would stay reachable and be promoted out of the young generation.
 */
class CollectingHandler implements Dispatcher.DispatchHandler {
  private readonly maxBytes: number;
  private resolve: ((result: AttemptResult) => void) | undefined;
  private onHeaders: Attempt['onHeaders'];
  private signal: AbortSignal | undefined;
  private controller: Dispatcher.DispatchController | undefined;
  private settled = false;
  private status = 0;
  private headers: RawResponse['headers'] | undefined;
  private chunks: Buffer[] = [];
  private size = 0;
  /** The total deadline: one timer per attempt, cheaper than AbortSignal.timeout + AbortSignal.any. */
  private readonly deadline: NodeJS.Timeout;

  constructor(req: Attempt, maxBytes: number, totalMs: number, resolve: (r: AttemptResult) => void) {
    this.maxBytes = maxBytes;
    this.resolve = resolve;
    this.onHeaders = req.onHeaders;
    this.deadline = setTimeout(() => {
      const cause = new DOMException('The attempt exceeded its total time limit.', 'TimeoutError');
      this.settle({ ok: false, failure: { kind: 'timeout', phase: 'request', cause } }, cause);
    }, totalMs);
    // Like AbortSignal.timeout: a pending deadline alone does not keep the process running.
    this.deadline.unref();
    if (req.signal) {
      this.signal = req.signal;
      req.signal.addEventListener('abort', this, { once: true });
    }
  }

  /** The caller's signal fired (the handler is its own listener: no closure per attempt). */
  handleEvent(): void {
    const reason = this.signal?.reason;
    this.settle({ ok: false, failure: { kind: 'aborted', reason } }, reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    // Settled (aborted, timed out) while waiting for a connection: do not send it.
    if (this.settled) controller.abort(new DOMException('The attempt was abandoned.', 'AbortError'));
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: RawResponse['headers'],
  ): void {
    if (this.settled || statusCode < 200) return; // 1xx: informational, the real answer follows
    this.status = statusCode;
    this.headers = headers;
    if (statusCode < 300 && this.onHeaders) {
      try {
        this.onHeaders(headers);
      } catch (err) {
        this.settle({ ok: false, failure: classifyFailure(err) }, err);
        return;
      }
    }
    const declared = Number(headers['content-length'] ?? Number.NaN);
    if (declared > this.maxBytes) this.tooLarge(controller);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      this.tooLarge(controller);
      return;
    }
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.settled) return;
    const { chunks } = this;
    // One contiguous buffer (the only chunk is used as it is, without a copy).
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.size);
    this.settle({ ok: true, response: { status: this.status, headers: this.headers ?? {}, body } });
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    this.fail(err);
  }

  /** A failure reported by undici: the request is over, nothing to abort. */
  fail(err: unknown): void {
    this.settle({ ok: false, failure: classifyFailure(err) });
  }

  private tooLarge(controller: Dispatcher.DispatchController): void {
    const limit = this.maxBytes;
    this.settle({ ok: false, failure: { kind: 'too-large', limit } });
    controller.abort(new Error(`Response larger than ${limit} bytes.`));
  }

  /** `abortWith`: the request may still be running (abort, deadline, onHeaders threw): stop it. */
  private settle(result: AttemptResult, abortWith?: unknown): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.deadline);
    this.signal?.removeEventListener('abort', this);
    const resolve = this.resolve!;
    this.resolve = undefined;
    this.onHeaders = undefined;
    this.signal = undefined;
    this.headers = undefined;
    this.chunks = [];
    if (abortWith !== undefined && this.controller && !this.controller.aborted) {
      this.controller.abort(abortWith instanceof Error ? abortWith : new Error(String(abortWith)));
    }
    this.controller = undefined;
    resolve(result);
  }
}
