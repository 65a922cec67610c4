import { z } from 'zod';

/**
 * Fault injection for the CW API (not for /__sim/). A request matching `methods` and `pathPrefix`
 * is, in this order: held `hangMs` and dropped without an answer; reset (socket destroyed) with
 * probability `resetRate`; redirected (`redirectStatus`, default 302, to `redirectLocation`, default
 * the simulator's own web page) with probability `redirectRate`; answered with an HTML page, as a CW
 * UI host or a proxy's sign-in page would, with probability `htmlRate`; answered 429 with
 * `Retry-After` (delta seconds, or an HTTP date with `retryAfterFormat: "http-date"`) with probability
 * `rate429`; answered with one of `errorStatuses` with probability `errorRate`; delayed by `latencyMs`
 * + up to `jitterMs`. `lostResponseRate` processes the request (the write happens) and then drops the
 * connection — the "CW committed but the client never heard" case. `count` limits how many requests
 * get a fault.
 */
export const FaultSchema = z
  .object({
    latencyMs: z.number().int().min(0).max(60_000).default(0),
    jitterMs: z.number().int().min(0).max(60_000).default(0),
    errorRate: z.number().min(0).max(1).default(0),
    errorStatuses: z.array(z.number().int().min(400).max(599)).min(1).default([500, 502, 503]),
    rate429: z.number().min(0).max(1).default(0),
    retryAfterSeconds: z.number().int().min(0).max(3600).default(1),
    retryAfterFormat: z.enum(['seconds', 'http-date']).default('seconds'),
    resetRate: z.number().min(0).max(1).default(0),
    lostResponseRate: z.number().min(0).max(1).default(0),
    hangMs: z.number().int().min(0).max(600_000).default(0),
    redirectRate: z.number().min(0).max(1).default(0),
    redirectStatus: z
      .union([z.literal(301), z.literal(302), z.literal(303), z.literal(307), z.literal(308)])
      .default(302),
    redirectLocation: z.string().min(1).max(2048).optional(),
    htmlRate: z.number().min(0).max(1).default(0),
    htmlStatus: z.number().int().min(200).max(599).default(200),
    methods: z.array(z.string().transform((m) => m.toUpperCase())).optional(),
    pathPrefix: z.string().optional(),
    count: z.number().int().min(1).optional(),
  })
  .strict();

export type FaultConfig = z.infer<typeof FaultSchema> & { used: number };

export type FaultDecision =
  | { kind: 'none'; delayMs: number; loseResponse: boolean }
  | { kind: 'hang'; ms: number }
  | { kind: 'reset' }
  | { kind: 'redirect'; status: number; location: string | undefined }
  | { kind: 'html'; status: number }
  | { kind: 'status'; status: number; retryAfter?: number; retryAfterFormat?: 'seconds' | 'http-date' };

/**
 * `apiPath` is the path after `apis/3.0` (e.g. `/service/tickets`); `pathPrefix` may be given in
 * either form, with or without the codebase.
 */
export function decideFault(
  f: FaultConfig | undefined,
  method: string,
  fullPath: string,
  apiPath: string,
  random: () => number = Math.random,
): FaultDecision {
  const none = { kind: 'none', delayMs: 0, loseResponse: false } as const;
  if (!f) return none;
  if (f.methods && !f.methods.includes(method)) return none;
  if (f.pathPrefix && !fullPath.startsWith(f.pathPrefix) && !apiPath.startsWith(f.pathPrefix)) return none;
  if (f.count !== undefined && f.used >= f.count) return none;
  f.used++;
  if (f.hangMs > 0) return { kind: 'hang', ms: f.hangMs };
  if (random() < f.resetRate) return { kind: 'reset' };
  if (f.redirectRate > 0 && random() < f.redirectRate)
    return { kind: 'redirect', status: f.redirectStatus, location: f.redirectLocation };
  if (f.htmlRate > 0 && random() < f.htmlRate) return { kind: 'html', status: f.htmlStatus };
  if (random() < f.rate429) {
    return {
      kind: 'status',
      status: 429,
      retryAfter: f.retryAfterSeconds,
      retryAfterFormat: f.retryAfterFormat,
    };
  }
  if (random() < f.errorRate) {
    const status = f.errorStatuses[Math.floor(random() * f.errorStatuses.length)] ?? 500;
    return { kind: 'status', status };
  }
  const delayMs = f.latencyMs + (f.jitterMs > 0 ? Math.floor(random() * (f.jitterMs + 1)) : 0);
  return { kind: 'none', delayMs, loseResponse: random() < f.lostResponseRate };
}

/**
 * The `Retry-After` value: delta seconds, or an HTTP date (RFC 9110 IMF-fixdate) no earlier than
 * `seconds` from `nowMs` — rounded up to the next whole second, since the date cannot say less.
 */
export function retryAfterValue(
  seconds: number,
  format: 'seconds' | 'http-date' = 'seconds',
  nowMs = Date.now(),
): string {
  if (format === 'seconds') return String(seconds);
  return new Date(Math.ceil(nowMs / 1000) * 1000 + seconds * 1000).toUTCString();
}

/** What a CW UI host (or a sign-in proxy) answers on an API path: a web page, not JSON. */
export function faultHtml(): string {
  return (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>ConnectWise PSA</title></head>' +
    '<body><form method="post" action="/v4_6_release/login/login.aspx"><h1>Sign in to ConnectWise PSA</h1>' +
    '<label>Username <input name="username"></label><label>Password <input name="password" type="password">' +
    '</label><button>Log In</button></form></body></html>\n'
  );
}

/** CW's bodies for injected statuses; the 429 body is the one CW's guide shows (`error`, not `code`). */
export function faultBody(status: number, retryAfter?: number): unknown {
  if (status === 429) {
    return {
      error: 'ConnectWiseAPI',
      message: `Too many requests. Please try again in ${retryAfter ?? 30} seconds.`,
    };
  }
  return { code: 'ConnectWiseApi', message: `An error occurred (simulated fault, HTTP ${status}).` };
}
