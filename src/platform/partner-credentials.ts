// Issuing what the platform needs to call us: a bearer token (stored as SHA-256 only) and Standard
// Webhooks signing secrets (sealed, bound to partner and field). A partner keeps at most two unrevoked
// secrets, so the sender can sign with old and new during a rotation and the old one is then revoked.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { SecretBox } from '../secrets/index.ts';
import { type Database, lockSecrets, newId, now, SEALED_FIELDS } from '../store/index.ts';
import { hashPlatformToken } from './credentials.ts';

export const MAX_ACTIVE_WEBHOOK_SECRETS = 2;

/** 256 random bits, URL-safe, with a prefix that secret scanners and people recognise. */
export function newPlatformToken(): string {
  return `psab_${randomBytes(32).toString('base64url')}`;
}

/** `whsec_` + base64 of 32 random bytes (Standard Webhooks' format, 24–64 bytes). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Gives the partner a new platform token (the old one stops working); returns it once. */
export async function issuePlatformToken(db: Kysely<Database>, partnerId: string): Promise<string> {
  const token = newPlatformToken();
  const result = await db
    .updateTable('partners')
    .set({ api_token_hash: hashPlatformToken(token), updated_at: now() })
    .where('id', '=', partnerId)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new Error(`no partner ${partnerId}`);
  return token;
}

/**
 * Adds a webhook secret (generated unless given) and revokes the oldest ones beyond two, so a rotation
 * is "add new, sign with both, revoke old". Run it in a write transaction (the secrets lock it takes
 * refuses to run outside one). Returns the id and the secret (shown once).
 */
export async function addWebhookSecret(
  db: Kysely<Database>,
  box: Pick<SecretBox, 'seal'>,
  partnerId: string,
  secret: string = newWebhookSecret(),
): Promise<{ id: string; secret: string }> {
  // Before the seal, so a rotation under way is waited for and its new key used.
  await lockSecrets(db, 'shared');
  const id = newId();
  const at = now();
  await db
    .insertInto('webhook_secrets')
    .values({
      id,
      partner_id: partnerId,
      secret_ciphertext: box.seal(secret, { partnerId, field: SEALED_FIELDS.webhookSecret, recordId: id }),
      created_at: at,
      revoked_at: null,
    })
    .execute();
  const active = await db
    .selectFrom('webhook_secrets')
    .select('id')
    .where('partner_id', '=', partnerId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const excess = active.slice(MAX_ACTIVE_WEBHOOK_SECRETS).map((r) => r.id);
  if (excess.length > 0) {
    await db.updateTable('webhook_secrets').set({ revoked_at: at }).where('id', 'in', excess).execute();
  }
  return { id, secret };
}

export async function revokeWebhookSecret(
  db: Kysely<Database>,
  partnerId: string,
  secretId: string,
): Promise<boolean> {
  const result = await db
    .updateTable('webhook_secrets')
    .set({ revoked_at: now() })
    .where('partner_id', '=', partnerId)
    .where('id', '=', secretId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
