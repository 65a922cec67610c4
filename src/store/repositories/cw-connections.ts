import type { Kysely } from 'kysely';
import { lockSecrets } from '../secrets-lock.ts';
import { type CwConnectionRow, type Database, SEALED_FIELDS, type Sealer } from '../types.ts';
import { last4, now } from '../values.ts';

/**
 * A partner's ConnectWise connection. The private key is sealed on the way in and only
 * `getCwCredentials` (for the CW client) opens it; everything shown to people is `CwConnectionView`,
 * which holds "set" and the last 4 characters, never the key.
 */

export type CwConnectionView = Omit<CwConnectionRow, 'private_key_ciphertext'> & { private_key_set: true };

export interface CwCredentials {
  site: string;
  company_id: string;
  public_key: string;
  private_key: string;
  client_id: string;
  codebase: string | null;
}

export interface CwConnectionInput {
  site: string;
  company_id: string;
  public_key: string;
  /** Required the first time; omitted later to keep the saved key. */
  private_key?: string | undefined;
  client_id: string;
  updated_by?: string | null;
}

export class MissingPrivateKeyError extends Error {
  readonly field = 'private_key';
  constructor() {
    super('private_key is required for a new connection');
    this.name = 'MissingPrivateKeyError';
  }
}

function view(row: CwConnectionRow): CwConnectionView {
  const { private_key_ciphertext: _sealed, ...rest } = row;
  return { ...rest, private_key_set: true };
}

/**
 * Creates or replaces the connection. A change of site, company or keys makes it untested again and
 * forgets the cached codebase. Run inside a write transaction when combined with an audit entry;
 * given none, it opens its own, because the key is sealed under the secrets lock (lockSecrets).
 */
export async function saveCwConnection(
  db: Kysely<Database>,
  sealer: Sealer,
  partnerId: string,
  input: CwConnectionInput,
): Promise<CwConnectionView> {
  if (!db.isTransaction) {
    return db.transaction().execute((trx) => saveCwConnection(trx, sealer, partnerId, input));
  }
  // Before the seal, so a rotation under way is waited for and its new key used.
  await lockSecrets(db, 'shared');
  const at = now();
  const existing = await db
    .selectFrom('cw_connections')
    .select(['partner_id'])
    .where('partner_id', '=', partnerId)
    .executeTakeFirst();
  const keyColumns =
    input.private_key !== undefined && input.private_key !== ''
      ? {
          private_key_ciphertext: sealer.seal(input.private_key, {
            partnerId,
            field: SEALED_FIELDS.cwPrivateKey,
          }),
          private_key_last4: last4(input.private_key),
        }
      : undefined;
  const common = {
    site: input.site,
    company_id: input.company_id,
    public_key: input.public_key,
    client_id: input.client_id,
    codebase: null,
    codebase_checked_at: null,
    status: 'untested' as const,
    status_detail: null,
    last_tested_at: null,
    updated_at: at,
    updated_by: input.updated_by ?? null,
  };
  if (!existing) {
    if (!keyColumns) throw new MissingPrivateKeyError();
    await db
      .insertInto('cw_connections')
      .values({ partner_id: partnerId, ...common, ...keyColumns, created_at: at })
      .execute();
  } else {
    await db
      .updateTable('cw_connections')
      .set({ ...common, ...(keyColumns ?? {}) })
      .where('partner_id', '=', partnerId)
      .execute();
  }
  const saved = await getCwConnection(db, partnerId);
  if (!saved) throw new Error('connection vanished while saving');
  return saved;
}

function connectionRow(db: Kysely<Database>, partnerId: string): Promise<CwConnectionRow | undefined> {
  return db.selectFrom('cw_connections').selectAll().where('partner_id', '=', partnerId).executeTakeFirst();
}

export async function getCwConnection(
  db: Kysely<Database>,
  partnerId: string,
): Promise<CwConnectionView | undefined> {
  const row = await connectionRow(db, partnerId);
  return row ? view(row) : undefined;
}

/** The opened credentials, for the ConnectWise client only. Throws when the sealed key does not open. */
export async function getCwCredentials(
  db: Kysely<Database>,
  sealer: Sealer,
  partnerId: string,
): Promise<CwCredentials | undefined> {
  const row = await connectionRow(db, partnerId);
  if (!row) return undefined;
  return {
    site: row.site,
    company_id: row.company_id,
    public_key: row.public_key,
    private_key: sealer.open(row.private_key_ciphertext, { partnerId, field: SEALED_FIELDS.cwPrivateKey }),
    client_id: row.client_id,
    codebase: row.codebase,
  };
}

export interface ConnectionTestResult {
  status: 'ok' | 'failed';
  detail?: string | null;
  codebase?: string | null;
}

export async function recordCwConnectionTest(
  db: Kysely<Database>,
  partnerId: string,
  result: ConnectionTestResult,
): Promise<boolean> {
  const at = now();
  const update = await db
    .updateTable('cw_connections')
    .set({
      status: result.status,
      status_detail: result.detail ?? null,
      last_tested_at: at,
      ...(result.codebase !== undefined ? { codebase: result.codebase, codebase_checked_at: at } : {}),
    })
    .where('partner_id', '=', partnerId)
    .executeTakeFirst();
  return Number(update.numUpdatedRows) === 1;
}

export async function deleteCwConnection(db: Kysely<Database>, partnerId: string): Promise<boolean> {
  const result = await db.deleteFrom('cw_connections').where('partner_id', '=', partnerId).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
