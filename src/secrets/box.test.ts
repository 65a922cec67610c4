import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSecretBox, SecretError } from './box.ts';
import { generateMasterKey, keyringOf } from './keys.ts';

const ctx = { partnerId: 'partner-a', field: 'cw_connections.private_key' };
const box = createSecretBox(keyringOf(generateMasterKey()));

/** Flips one bit of the decoded blob at `index` and re-encodes. */
function flip(sealed: string, index: number): string {
  const [v, kid, body] = sealed.split('.') as [string, string, string];
  const blob = Buffer.from(body, 'base64url');
  blob[index] = (blob[index] ?? 0) ^ 0x01;
  return `${v}.${kid}.${blob.toString('base64url')}`;
}

describe('secret box', () => {
  it('opens what it sealed', () => {
    const sealed = box.seal('s3cret-private-key', ctx);
    expect(sealed.startsWith(`v1.${box.currentKeyId}.`)).toBe(true);
    expect(sealed).not.toContain('s3cret');
    expect(box.open(sealed, ctx)).toBe('s3cret-private-key');
  });

  it('fails closed when any byte of wrap IV, wrapped key, tags, IV or ciphertext is flipped', () => {
    const sealed = box.seal('a private key of some length', ctx);
    const length = Buffer.from(sealed.split('.')[2] ?? '', 'base64url').length;
    // 12 wrap IV + 32 wrapped DEK + 16 wrap tag + 12 IV + 16 tag + ciphertext: every position matters.
    for (let i = 0; i < length; i++) {
      expect(() => box.open(flip(sealed, i), ctx), `byte ${i}`).toThrow(SecretError);
    }
  });

  it('fails closed on a truncated value, a wrong version or an unknown key id', () => {
    const sealed = box.seal('value', ctx);
    expect(() => box.open(sealed.slice(0, -4), ctx)).toThrow(SecretError);
    expect(() => box.open(sealed.replace(/^v1\./, 'v2.'), ctx)).toThrow(SecretError);
    expect(() => box.open(sealed.replace(box.currentKeyId, '0123456789abcdef'), ctx)).toThrow(SecretError);
    expect(() => box.open('plain text', ctx)).toThrow(SecretError);
  });

  it('refuses a ciphertext moved to another partner or another field', () => {
    const sealed = box.seal('value', ctx);
    expect(() => box.open(sealed, { ...ctx, partnerId: 'partner-b' })).toThrow(SecretError);
    expect(() => box.open(sealed, { ...ctx, field: 'webhook_secrets.secret' })).toThrow(SecretError);
  });

  it('refuses a ciphertext relabelled with another key id, even one it holds', () => {
    const older = generateMasterKey();
    const both = keyringOf(generateMasterKey(), [older]);
    const oldBox = createSecretBox(keyringOf(older));
    const newBox = createSecretBox(both);
    const sealedOld = oldBox.seal('value', ctx);
    expect(newBox.open(sealedOld, ctx)).toBe('value');
    const relabelled = sealedOld.replace(oldBox.currentKeyId, newBox.currentKeyId);
    expect(() => newBox.open(relabelled, ctx)).toThrow(SecretError);
  });

  it('does not open with another master key', () => {
    const other = createSecretBox(keyringOf(generateMasterKey()));
    const sealed = box.seal('value', ctx);
    expect(() => other.open(sealed, ctx)).toThrow(SecretError);
  });

  it('round-trips any string for any partner and field (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.uuid(),
        fc.string({ minLength: 1 }),
        (s, p, f) => {
          const c = { partnerId: p, field: f };
          expect(box.open(box.seal(s, c), c)).toBe(s);
        },
      ),
      { numRuns: 500 },
    );
  });
});
