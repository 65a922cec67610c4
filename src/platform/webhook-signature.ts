// Standard Webhooks (https://www.standardwebhooks.com) HMAC-SHA256 signing and verification, written on
// node:crypto rather than the `standardwebhooks` package: the scheme is ~40 lines, and owning it lets us
// pin the exact behaviour the contract asks for (tolerance both ways, `v1a` ignored, several secrets
// during a rotation, reasons we can log) without another dependency on the ingest hot path.
import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';

export const DEFAULT_TOLERANCE_SECONDS = 300;
const SECRET_PREFIX = 'whsec_';

export interface WebhookHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

export type VerifyFailure =
  | 'missing_headers'
  | 'bad_timestamp'
  | 'timestamp_too_old'
  | 'timestamp_too_new'
  | 'no_matching_signature';

export type VerifyResult = { ok: true; timestamp: number } | { ok: false; reason: VerifyFailure };

// Turning a secret into a KeyObject costs more than the HMAC of a small body; keep the few in use.
const keys = new Map<string, KeyObject>();

/** The HMAC key inside a `whsec_<base64>` secret (a bare base64 string is accepted too). */
function secretKey(secret: string): KeyObject {
  const cached = keys.get(secret);
  if (cached) return cached;
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const raw = Buffer.from(encoded, 'base64');
  if (raw.length === 0) throw new Error('webhook secret is empty');
  const key = createSecretKey(raw);
  if (keys.size >= 1000) keys.clear();
  keys.set(secret, key);
  return key;
}

function mac(key: KeyObject, id: string, timestamp: string, body: Buffer | string): Buffer {
  return createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();
}

/** `v1,<base64>` for one secret — what a sender puts in `webhook-signature` (space-join several). */
export function signWebhook(
  secret: string,
  id: string,
  timestamp: number | string,
  body: Buffer | string,
): string {
  return `v1,${mac(secretKey(secret), id, String(timestamp), body).toString('base64')}`;
}

/**
 * Verifies over the exact raw bytes received, before anything parses them. Accepts when any `v1`
 * signature in the space-separated list matches any of the given secrets; other schemes (`v1a`, ed25519)
 * are ignored because this endpoint is HMAC-only. Every candidate is compared in constant time.
 */
export function verifyWebhook(
  headers: WebhookHeaders,
  rawBody: Buffer,
  secrets: readonly string[],
  options: { toleranceSeconds?: number; nowSeconds?: number } = {},
): VerifyResult {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) return { ok: false, reason: 'missing_headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad_timestamp' };
  const ts = Number(timestamp);
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (now - ts > tolerance) return { ok: false, reason: 'timestamp_too_old' };
  if (ts - now > tolerance) return { ok: false, reason: 'timestamp_too_new' };

  const candidates: Buffer[] = [];
  for (const part of signature.split(' ')) {
    const comma = part.indexOf(',');
    if (comma < 0 || part.slice(0, comma) !== 'v1') continue;
    candidates.push(Buffer.from(part.slice(comma + 1), 'base64'));
  }
  let matched = false;
  for (const secret of secrets) {
    const expected = mac(secretKey(secret), id, timestamp, rawBody);
    for (const candidate of candidates) {
      // Lengths are public (always 32 for SHA-256); only equal-length buffers reach timingSafeEqual.
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
    }
  }
  return matched ? { ok: true, timestamp: ts } : { ok: false, reason: 'no_matching_signature' };
}
