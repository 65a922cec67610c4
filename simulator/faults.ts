import { z } from 'zod';

/**
 * Fault injection for the CW API (not for /__sim/). A request matching `methods` and `pathPrefix`
 * is, in this order: held `hangMs` and dropped without an answer; reset (socket destroyed) with
 * probability `resetRate`; answered 429 with `Retry-After` with probability `rate429`; answered with
 * one of `errorStatuses` with probability `errorRate`; delayed by `latencyMs` + up to `jitterMs`.
 * `lostResponseRate` processes the request (the write happens) and then drops the connection — the
 * "CW committed but the client never heard" case. `count` limits how many requests get a fault.
 */
export const FaultSchema = z
  .object({
    latencyMs: z.number().int().min(0).max(60_000).default(0),
    jitterMs: z.number().int().min(0).max(60_000).default(0),
    errorRate: z.number().min(0).max(1).default(0),
    errorStatuses: z.array(z.number().int().min(400).max(599)).min(1).default([500, 502, 503]),
    rate429: z.number().min(0).max(1).default(0),
    retryAfterSeconds: z.number().int().min(0).max(3600).default(1),
    resetRate: z.number().min(0).max(1).default(0),
    lostResponseRate: z.number().min(0).max(1).default(0),
    hangMs: z.number().int().min(0).max(600_000).default(0),
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
  | { kind: 'status'; status: number; retryAfter?: number };

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
  if (random() < f.rate429) return { kind: 'status', status: 429, retryAfter: f.retryAfterSeconds };
  if (random() < f.errorRate) {
    const status = f.errorStatuses[Math.floor(random() * f.errorStatuses.length)] ?? 500;
    return { kind: 'status', status };
  }
  const delayMs = f.latencyMs + (f.jitterMs > 0 ? Math.floor(random() * (f.jitterMs + 1)) : 0);
  return { kind: 'none', delayMs, loseResponse: random() < f.lostResponseRate };
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
