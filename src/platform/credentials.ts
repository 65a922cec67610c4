// Who is calling: the platform API token (Bearer) identifies the partner; the partner's unrevoked
// webhook secrets (at most two, for rotation) verify event signatures. The database keeps only the
// token's SHA-256 and sealed secrets; the comparison of hashes is constant time.
//
// A short cache (default 1 s) keeps the ingest hot path off the database and off AES-GCM; revoking a
// token or secret therefore takes effect within that time. Set it to 0 where that matters more.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.ts';

export function hashPlatformToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface CredentialPorts {
  db: Kysely<Database>;
  /** Opens a sealed webhook secret of this partner (src/secrets, bound to partner and field). */
  openWebhookSecret(partnerId: string, secretId: string, ciphertext: string): string | Promise<string>;
}

export interface PartnerCredentials {
  partnerId: string;
  webhookSecrets: string[];
}

export class CredentialResolver {
  readonly #ports: CredentialPorts;
  readonly #ttlMs: number;
  readonly #cache = new Map<string, { value: PartnerCredentials | undefined; expires: number }>();

  constructor(ports: CredentialPorts, options: { cacheMs?: number } = {}) {
    this.#ports = ports;
    this.#ttlMs = options.cacheMs ?? 1000;
  }

  /** The partner this bearer token belongs to, with its webhook secrets; undefined when unknown. */
  async resolve(token: string): Promise<PartnerCredentials | undefined> {
    // Keyed by the token itself (process memory only): a hit costs no hashing at all.
    const cached = this.#cache.get(token);
    if (cached && cached.expires > Date.now()) return cached.value;
    const value = await this.#load(hashPlatformToken(token));
    if (this.#ttlMs > 0) {
      if (this.#cache.size > 10_000) this.#cache.clear();
      this.#cache.set(token, { value, expires: Date.now() + this.#ttlMs });
    }
    return value;
  }

  clear(): void {
    this.#cache.clear();
  }

  async #load(hash: string): Promise<PartnerCredentials | undefined> {
    const partner = await this.#ports.db
      .selectFrom('partners')
      .select(['id', 'api_token_hash'])
      .where('api_token_hash', '=', hash)
      .executeTakeFirst();
    if (!partner?.api_token_hash) return undefined;
    // The index found the row; still compare the hashes in constant time before trusting it.
    const a = Buffer.from(partner.api_token_hash, 'utf8');
    const b = Buffer.from(hash, 'utf8');
    if (a.length !== b.length || !timingSafeEqual(a, b)) return undefined;
    const rows = await this.#ports.db
      .selectFrom('webhook_secrets')
      .select(['id', 'secret_ciphertext'])
      .where('partner_id', '=', partner.id)
      .where('revoked_at', 'is', null)
      .orderBy('created_at', 'desc')
      .limit(2)
      .execute();
    const webhookSecrets: string[] = [];
    for (const row of rows)
      webhookSecrets.push(await this.#ports.openWebhookSecret(partner.id, row.id, row.secret_ciphertext));
    return { partnerId: partner.id, webhookSecrets };
  }
}
