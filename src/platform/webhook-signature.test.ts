import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from './webhook-signature.ts';

const secret = `whsec_${randomBytes(32).toString('base64')}`;
const other = `whsec_${randomBytes(32).toString('base64')}`;
const now = 1_780_000_000;
const body = Buffer.from('{"type":"incident.created","tenantId":"t1"}');

function headers(id: string, ts: number | string, signature: string) {
  return { id, timestamp: String(ts), signature };
}

describe('verifyWebhook', () => {
  const sig = signWebhook(secret, 'msg_1', now, body);

  it('accepts a correct signature and refuses every single-field tamper', () => {
    expect(verifyWebhook(headers('msg_1', now, sig), body, [secret], { nowSeconds: now }).ok).toBe(true);
    const flipped = Buffer.from(body);
    flipped[3] = flipped[3]! ^ 1;
    expect(verifyWebhook(headers('msg_1', now, sig), flipped, [secret], { nowSeconds: now })).toEqual({
      ok: false,
      reason: 'no_matching_signature',
    });
    expect(verifyWebhook(headers('msg_2', now, sig), body, [secret], { nowSeconds: now }).ok).toBe(false);
    expect(verifyWebhook(headers('msg_1', now + 1, sig), body, [secret], { nowSeconds: now }).ok).toBe(false);
    expect(verifyWebhook(headers('msg_1', now, sig), body, [other], { nowSeconds: now }).ok).toBe(false);
  });

  it('names missing headers and ignores v1a signatures', () => {
    expect(
      verifyWebhook({ id: 'msg_1', timestamp: String(now), signature: undefined }, body, [secret]),
    ).toEqual({
      ok: false,
      reason: 'missing_headers',
    });
    const v1a = sig.replace(/^v1,/, 'v1a,');
    expect(verifyWebhook(headers('msg_1', now, v1a), body, [secret], { nowSeconds: now }).ok).toBe(false);
  });

  it('accepts one valid signature among invalid ones, and either of two rotation secrets', () => {
    const bad = [signWebhook(other, 'msg_1', now, body), 'v1,AAAA', 'v1a,' + sig.slice(3)];
    const list = [...bad, sig].join(' ');
    expect(verifyWebhook(headers('msg_1', now, list), body, [secret], { nowSeconds: now }).ok).toBe(true);
    expect(verifyWebhook(headers('msg_1', now, sig), body, [other, secret], { nowSeconds: now }).ok).toBe(
      true,
    );
  });

  it('enforces the tolerance in both directions', () => {
    const at = (offset: number) =>
      verifyWebhook(
        headers('m', now + offset, signWebhook(secret, 'm', now + offset, body)),
        body,
        [secret],
        { nowSeconds: now, toleranceSeconds: 300 },
      );
    expect(at(-301)).toEqual({ ok: false, reason: 'timestamp_too_old' });
    expect(at(301)).toEqual({ ok: false, reason: 'timestamp_too_new' });
    expect(at(-299).ok).toBe(true);
    expect(at(299).ok).toBe(true);
    expect(verifyWebhook(headers('m', 'abc', sig), body, [secret], { nowSeconds: now })).toEqual({
      ok: false,
      reason: 'bad_timestamp',
    });
  });

  it('refuses any one-byte change of the body (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (raw, at, x) => {
          const original = Buffer.from(raw);
          const signature = signWebhook(secret, 'p', now, original);
          const tampered = Buffer.from(original);
          const i = at % tampered.length;
          tampered[i] = tampered[i]! ^ x;
          return (
            verifyWebhook(headers('p', now, signature), original, [secret], { nowSeconds: now }).ok &&
            !verifyWebhook(headers('p', now, signature), tampered, [secret], { nowSeconds: now }).ok
          );
        },
      ),
    );
  });
});
