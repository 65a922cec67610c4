import type { Kysely } from 'kysely';
import type { Database, LedgerLine } from '../types.ts';
import { newId, now } from '../values.ts';

/**
 * The addition ledger: which CW agreement additions psa-bridge owns. At most one line per (partner,
 * agreement, product, effective month) — the unique key that makes a rerun converge instead of duplicate.
 */

export interface LedgerKey {
  cw_agreement_id: number;
  cw_product_id: number;
  /** YYYY-MM */
  effective_month: string;
}

export interface LedgerLineInput extends LedgerKey {
  cw_addition_id: number | null;
  quantity: number;
  cancelled_date?: string | null;
  tenant_id?: string | null;
  sku?: string | null;
}

export async function findLedgerLine(
  db: Kysely<Database>,
  partnerId: string,
  key: LedgerKey,
): Promise<LedgerLine | undefined> {
  return db
    .selectFrom('addition_ledger')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('cw_agreement_id', '=', key.cw_agreement_id)
    .where('cw_product_id', '=', key.cw_product_id)
    .where('effective_month', '=', key.effective_month)
    .executeTakeFirst();
}

/** Records the line for its key, replacing addition id, quantity and cancellation when it exists. */
export async function upsertLedgerLine(
  db: Kysely<Database>,
  partnerId: string,
  input: LedgerLineInput,
): Promise<LedgerLine> {
  const at = now();
  const changes = {
    cw_addition_id: input.cw_addition_id,
    quantity: input.quantity,
    cancelled_date: input.cancelled_date ?? null,
    tenant_id: input.tenant_id ?? null,
    sku: input.sku ?? null,
    updated_at: at,
  };
  return db
    .insertInto('addition_ledger')
    .values({
      id: newId(),
      partner_id: partnerId,
      cw_agreement_id: input.cw_agreement_id,
      cw_product_id: input.cw_product_id,
      effective_month: input.effective_month,
      ...changes,
      created_at: at,
    })
    .onConflict((oc) =>
      oc.columns(['partner_id', 'cw_agreement_id', 'cw_product_id', 'effective_month']).doUpdateSet(changes),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface LedgerPatch {
  cw_addition_id?: number | null;
  quantity?: number;
  cancelled_date?: string | null;
}

export async function updateLedgerLine(
  db: Kysely<Database>,
  partnerId: string,
  lineId: string,
  patch: LedgerPatch,
): Promise<LedgerLine | undefined> {
  return db
    .updateTable('addition_ledger')
    .set({ ...patch, updated_at: now() })
    .where('partner_id', '=', partnerId)
    .where('id', '=', lineId)
    .returningAll()
    .executeTakeFirst();
}

/** Lines of one partner, optionally of some agreements, in (agreement, product, month) order. */
export async function listLedgerLines(
  db: Kysely<Database>,
  partnerId: string,
  options: { agreementIds?: number[]; openOnly?: boolean } = {},
): Promise<LedgerLine[]> {
  let query = db.selectFrom('addition_ledger').selectAll().where('partner_id', '=', partnerId);
  if (options.agreementIds !== undefined) {
    if (options.agreementIds.length === 0) return [];
    query = query.where('cw_agreement_id', 'in', options.agreementIds);
  }
  if (options.openOnly) query = query.where('cancelled_date', 'is', null);
  return query.orderBy('cw_agreement_id').orderBy('cw_product_id').orderBy('effective_month').execute();
}
