import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SealContext } from '../store/index.ts';
import type { Keyring } from './keys.ts';

/**
 * Envelope encryption with AES-256-GCM. Each seal draws a fresh data key (DEK) that encrypts the secret;
 * the master key (KEK) encrypts the DEK. Both layers authenticate associated data naming the format
 * version, the KEK id, the partner, the field and (where one partner has several) the row, so a
 * ciphertext moved to another partner, row or column, or relabelled with another key id, fails to open. IVs are random 96 bits; each DEK encrypts one value,
 * so the NIST limit of 2^32 random-IV encryptions applies only to KEK wraps.
 *
 * Format: `v1.<kek id>.<base64url(wrapIv 12 | wrappedDek 32 | wrapTag 16 | iv 12 | tag 16 | ciphertext)>`
 */

/**
 * What a secret is bound to: partner, field (e.g. SEALED_FIELDS.cwPrivateKey) and, where a partner can hold
 * several values of one field (webhook secrets), the row, so a ciphertext copied to the partner's other
 * row fails to open too. The store declares it (SealContext) so its repositories need not import us.
 */
export type SecretContext = SealContext;

/** Fails closed, and says nothing about the data: callers log it and treat it as non-retryable. */
export class SecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretError';
  }
}

export interface SecretBox {
  /** The key seals use, as of the last seal or reload when the keyring follows the key file. */
  readonly currentKeyId: string;
  seal(plaintext: string, context: SecretContext): string;
  open(sealed: string, context: SecretContext): string;
  /** The KEK id a sealed value names, or undefined when it is not in our format. */
  keyIdOf(sealed: string): string | undefined;
}

const VERSION = 'v1';
const IV = 12;
const TAG = 16;
const DEK = 32;
const HEADER = IV + DEK + TAG + IV + TAG;

function aad(layer: 'dek' | 'data', keyId: string, context: SecretContext): Buffer {
  return Buffer.from(
    JSON.stringify([
      'psa-bridge/secret',
      VERSION,
      layer,
      keyId,
      context.partnerId,
      context.field,
      context.recordId ?? '',
    ]),
  );
}

function encrypt(
  key: Buffer,
  plaintext: Buffer,
  associated: Buffer,
): { iv: Buffer; ct: Buffer; tag: Buffer } {
  const iv = randomBytes(IV);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG });
  cipher.setAAD(associated);
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ct, tag: cipher.getAuthTag() };
}

function decrypt(key: Buffer, iv: Buffer, ct: Buffer, tag: Buffer, associated: Buffer): Buffer {
  // authTagLength pins the tag at 16 bytes: without it Node once accepted truncated tags (DEP0182).
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG });
  decipher.setAAD(associated);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ct), decipher.final()]);
}

function checkContext(context: SecretContext): void {
  if (!context.partnerId || !context.field)
    throw new SecretError('a secret is bound to a partner id and a field');
}

export function createSecretBox(keyring: Keyring): SecretBox {
  return {
    get currentKeyId() {
      return keyring.current.id;
    },

    seal(plaintext, context) {
      checkContext(context);
      keyring.refresh?.('seal');
      const { id, key } = keyring.current;
      const dek = randomBytes(DEK);
      try {
        const wrapped = encrypt(key, dek, aad('dek', id, context));
        const data = encrypt(dek, Buffer.from(plaintext, 'utf8'), aad('data', id, context));
        const blob = Buffer.concat([wrapped.iv, wrapped.ct, wrapped.tag, data.iv, data.tag, data.ct]);
        return `${VERSION}.${id}.${blob.toString('base64url')}`;
      } finally {
        dek.fill(0);
      }
    },

    open(sealed, context) {
      checkContext(context);
      const parts = sealed.split('.');
      if (parts.length !== 3 || parts[0] !== VERSION)
        throw new SecretError('not a sealed secret of a known version');
      const keyId = parts[1] ?? '';
      let master = keyring.byId.get(keyId);
      if (!master && keyring.refresh) {
        // Sealed under a key another process (keys rotate) put on disk since we last looked.
        keyring.refresh('unknown key id');
        master = keyring.byId.get(keyId);
      }
      if (!master)
        throw new SecretError(`sealed under master key ${keyId}, which this process does not have`);
      const blob = Buffer.from(parts[2] ?? '', 'base64url');
      if (blob.length < HEADER || blob.toString('base64url') !== parts[2]) {
        throw new SecretError('sealed secret is malformed');
      }
      const wrapIv = blob.subarray(0, IV);
      const wrappedDek = blob.subarray(IV, IV + DEK);
      const wrapTag = blob.subarray(IV + DEK, IV + DEK + TAG);
      const iv = blob.subarray(IV + DEK + TAG, IV + DEK + TAG + IV);
      const tag = blob.subarray(IV + DEK + TAG + IV, HEADER);
      const ct = blob.subarray(HEADER);
      let dek: Buffer | undefined;
      try {
        dek = decrypt(master.key, wrapIv, wrappedDek, wrapTag, aad('dek', keyId, context));
        return decrypt(dek, iv, ct, tag, aad('data', keyId, context)).toString('utf8');
      } catch {
        throw new SecretError(
          'sealed secret failed authentication (tampered, or bound to another partner or field)',
        );
      } finally {
        dek?.fill(0);
      }
    },

    keyIdOf(sealed) {
      const parts = sealed.split('.');
      return parts.length === 3 && parts[0] === VERSION ? parts[1] : undefined;
    },
  };
}
