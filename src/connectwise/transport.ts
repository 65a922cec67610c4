// Every request to one CW site goes through one Transport: a keep-alive undici pool behind the SSRF
// connector, the site gate (concurrency + Retry-After), the circuit breaker and the retry policy.
// The Authorization value comes from a closure and only ever goes into the outgoing request headers:
// it is not stored on the client, and never reaches a hook event, a log line or an error.
import { Agent } from 'undici';
import { type BreakerConfig, type BreakerState, CircuitBreaker } from './breaker.ts';
import { type AttemptTimeouts, attempt, type RawResponse } from './dispatch.ts';
import { CircuitOpenError, type ConnectWiseError } from './errors.ts';
import { failureError, header, parseBody, parseErrorBody } from './replies.ts';
import { errorFromResponse } from './response-errors.ts';
import {
  DEFAULT_RETRY,
  decideRetry,
  type Outcome,
  parseRetryAfter,
  type RetryConfig,
} from './retry-policy.ts';
import type { Site } from './site.ts';
import { type GateClock, realClock, SiteGate } from './site-gate.ts';
import { guardedConnector, type LookupFn } from './url-safety.ts';

export interface RequestEvent {
  method: string;
  /** Path below the API base (or `/login/companyinfo/…`), without the query string. */
  path: string;
  attempt: number;
  status?: number;
  durationMs: number;
  outcome: 'ok' | 'error' | 'network' | 'timeout' | 'blocked' | 'circuit-open';
  errorCode?: string;
  /** Set when the client will try again after this many milliseconds. */
  retryInMs?: number;
}

export interface TransportHooks {
  onRequest?: (event: RequestEvent) => void;
  onBreakerChange?: (state: BreakerState) => void;
}

export interface TransportOptions {
  site: Site;
  /** Returns the Authorization header value; a function so the secret is never a property. */
  authorization: () => string;
  clientId: string;
  accept: string;
  timeouts: AttemptTimeouts & { connectMs: number };
  retry?: Partial<RetryConfig>;
  breaker?: Partial<BreakerConfig>;
  maxConcurrent?: number;
  maxResponseBytes?: number;
  allowPrivateAddresses?: boolean;
  lookup?: LookupFn | undefined;
  ca?: string | Buffer | undefined;
  hooks?: TransportHooks;
  clock?: GateClock;
  random?: () => number;
}

export interface Call {
  method: string;
  /** Absolute path on the site, e.g. `/v4_6_release/apis/3.0/company/companies`. */
  urlPath: string;
  /** What errors and hooks show: path below the API base. */
  displayPath: string;
  query?: string;
  body?: unknown;
  headers?: Record<string, string>;
  idempotent?: boolean;
  /** false for `/login/companyinfo`, which CW serves without credentials. */
  authenticated?: boolean;
  signal?: AbortSignal;
  /** See Attempt.onHeaders: lets pagination ask for the next page while this one is still arriving. */
  onHeaders?: (headers: RawResponse['headers']) => void;
}

export interface Reply {
  status: number;
  headers: RawResponse['headers'];
  body: unknown;
}

export class Transport {
  readonly site: Site;
  private readonly options: TransportOptions;
  private readonly agent: Agent;
  private readonly gate: SiteGate;
  readonly breaker: CircuitBreaker;
  private readonly retry: RetryConfig;
  private readonly clock: GateClock;
  private readonly random: () => number;

  constructor(options: TransportOptions) {
    this.options = options;
    this.site = options.site;
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? Math.random;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    const maxConcurrent = options.maxConcurrent ?? 4;
    this.gate = new SiteGate(maxConcurrent, this.clock);
    this.breaker = new CircuitBreaker(options.breaker, () => this.clock.now());
    if (options.hooks?.onBreakerChange) this.breaker.onStateChange(options.hooks.onBreakerChange);
    this.agent = new Agent({
      connections: maxConcurrent,
      keepAliveTimeout: 30_000,
      connect: guardedConnector({
        hostname: options.site.hostname,
        allowPrivateAddresses: options.allowPrivateAddresses ?? false,
        lookup: options.lookup,
        ca: options.ca,
        connectTimeoutMs: options.timeouts.connectMs,
      }),
    });
  }

  /** Milliseconds the site is still paused by a Retry-After (0 when not paused). */
  get pausedForMs(): number {
    return this.gate.pausedForMs;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  async send(call: Call): Promise<Reply> {
    const headers: Record<string, string> = { accept: this.options.accept, ...call.headers };
    if (call.authenticated !== false) {
      headers['authorization'] = this.options.authorization();
      headers['clientid'] = this.options.clientId;
    }
    let body: string | undefined;
    if (call.body !== undefined) {
      body = JSON.stringify(call.body);
      headers['content-type'] = 'application/json';
    }
    const path = call.query ? `${call.urlPath}?${call.query}` : call.urlPath;

    for (let n = 1; ; n++) {
      const admission = this.breaker.admit();
      if (!admission.admitted) {
        this.emit({
          method: call.method,
          path: call.displayPath,
          attempt: n,
          durationMs: 0,
          outcome: 'circuit-open',
        });
        throw new CircuitOpenError(
          `ConnectWise at ${this.site.hostname} failed repeatedly; calls are paused for ` +
            `${Math.ceil(admission.retryInMs / 1000)} s before a trial request.`,
          { method: call.method, path: call.displayPath, retryInMs: admission.retryInMs },
        );
      }
      let release: () => void;
      try {
        release = await this.gate.enter(call.signal);
      } catch (err) {
        this.breaker.release();
        throw err;
      }
      const started = performance.now();
      const result = await attempt(
        this.agent,
        {
          method: call.method,
          origin: this.site.origin,
          path,
          headers,
          body,
          signal: call.signal,
          onHeaders: call.onHeaders,
        },
        this.options.timeouts,
        this.options.maxResponseBytes ?? 64 * 1024 * 1024,
      ).finally(release);
      const durationMs = performance.now() - started;
      const base = { method: call.method, path: call.displayPath, attempt: n, durationMs };

      let outcome: Outcome;
      let error: ConnectWiseError;
      if (result.ok) {
        const { status } = result.response;
        if (status >= 200 && status < 300) {
          this.breaker.success();
          this.emit({ ...base, status, outcome: 'ok' });
          return { status, headers: result.response.headers, body: parseBody(result.response, call) };
        }
        if (status >= 500) this.breaker.failure();
        else if (status === 429) this.breaker.release();
        else this.breaker.success();
        const retryAfter = header(result.response.headers, 'retry-after');
        outcome = { kind: 'response', status, retryAfter };
        error = errorFromResponse({
          method: call.method,
          path: call.displayPath,
          status,
          body: parseErrorBody(result.response.body),
          retryAfterMs: parseRetryAfter(retryAfter, this.clock.now()),
        });
      } else {
        const failure = result.failure;
        if (failure.kind === 'aborted') {
          this.breaker.release();
          throw failure.reason;
        }
        if (failure.kind === 'blocked') {
          this.breaker.release();
          this.emit({ ...base, outcome: 'blocked', errorCode: failure.error.code });
          throw failure.error;
        }
        error = failureError(failure, call, this.site.hostname);
        if (failure.kind === 'tls' || failure.kind === 'too-large') {
          this.breaker.release();
          this.emit({ ...base, outcome: 'error', errorCode: error.code });
          throw error;
        }
        this.breaker.failure();
        outcome =
          failure.kind === 'timeout'
            ? failure.phase === 'connect'
              ? { kind: 'network', code: 'UND_ERR_CONNECT_TIMEOUT', phase: 'connect' }
              : { kind: 'timeout' }
            : { kind: 'network', code: failure.code, phase: failure.phase };
      }

      const decision = decideRetry({
        method: call.method,
        idempotent: call.idempotent,
        attempt: n,
        outcome,
        nowMs: this.clock.now(),
        random: this.random,
        config: this.retry,
      });
      if (outcome.kind === 'response' && outcome.status === 429) {
        // No request to this site goes out before CW's deadline, whether or not we retry this one.
        const wait = decision.retry ? decision.delayMs : (decision.retryAfterMs ?? 0);
        this.gate.pauseUntil(this.clock.now() + wait);
      }
      const status = outcome.kind === 'response' ? outcome.status : undefined;
      this.emit({
        ...base,
        ...(status === undefined ? {} : { status }),
        outcome: outcome.kind === 'response' ? 'error' : outcome.kind,
        errorCode: error.code,
        ...(decision.retry ? { retryInMs: decision.delayMs } : {}),
      });
      if (!decision.retry) throw error;
      await this.clock.sleep(decision.delayMs, call.signal);
    }
  }

  private emit(event: RequestEvent): void {
    try {
      this.options.hooks?.onRequest?.(event);
    } catch {
      // A broken logger must not break ConnectWise calls.
    }
  }
}
