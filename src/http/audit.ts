import type { FastifyRequest } from 'fastify';

/** One row of the append-only audit trail, as the HTTP layer records it. */
export interface AuditRecord {
  partnerId: string | null;
  /** `user:<id>`, `anonymous`, `cli`, `system`. */
  actor: string;
  action: string;
  target?: string | null;
  outcome: 'success' | 'denied' | 'failure';
  details?: Record<string, unknown>;
  ip?: string | null;
}

export type AuditWriter = (record: AuditRecord) => Promise<void>;

// Control characters (CR, LF, ESC for ANSI sequences) in user-supplied text would let one audit line
// forge another when the trail is exported as text; they are written as \u escapes instead.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
export function encodeForAudit(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function sanitizeDetails(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return encodeForAudit(value.slice(0, 500));
  if (Array.isArray(value))
    return depth > 4 ? '[…]' : value.slice(0, 50).map((v) => sanitizeDetails(v, depth + 1));
  if (value && typeof value === 'object') {
    if (depth > 4) return '[…]';
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [encodeForAudit(k), sanitizeDetails(v, depth + 1)]),
    );
  }
  return value;
}

/** Who did it, from the request: the session's user, or anonymous. */
export function actorOf(request: FastifyRequest): { actor: string; partnerId: string | null } {
  const auth = request.auth;
  return auth
    ? { actor: `user:${auth.userId}`, partnerId: auth.partnerId }
    : { actor: 'anonymous', partnerId: null };
}
