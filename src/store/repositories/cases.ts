import type { Kysely } from 'kysely';
import type { Case, CaseKind, Database } from '../types.ts';
import { newId, now } from '../values.ts';

/**
 * Cases: what one CW ticket tracks. The key (partner, kind, platform case id) is unique, so two workers
 * racing on the first event of a case end up with the same row.
 */

export interface CaseKey {
  kind: CaseKind;
  platform_case_id: string;
}

export async function findCase(
  db: Kysely<Database>,
  partnerId: string,
  key: CaseKey,
): Promise<Case | undefined> {
  return db
    .selectFrom('cases')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('kind', '=', key.kind)
    .where('platform_case_id', '=', key.platform_case_id)
    .executeTakeFirst();
}

export async function getCase(
  db: Kysely<Database>,
  partnerId: string,
  caseId: string,
): Promise<Case | undefined> {
  return db
    .selectFrom('cases')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('id', '=', caseId)
    .executeTakeFirst();
}

/** The case for this key, created in `state` when new; `created` says which. */
export async function ensureCase(
  db: Kysely<Database>,
  partnerId: string,
  key: CaseKey & { tenant_id: string; state: string },
): Promise<{ case: Case; created: boolean }> {
  const at = now();
  const inserted = await db
    .insertInto('cases')
    .values({
      id: newId(),
      partner_id: partnerId,
      kind: key.kind,
      platform_case_id: key.platform_case_id,
      tenant_id: key.tenant_id,
      cw_ticket_id: null,
      state: key.state,
      last_event_id: null,
      last_event_at: null,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.columns(['partner_id', 'kind', 'platform_case_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { case: inserted, created: true };
  const existing = await findCase(db, partnerId, key);
  if (!existing) throw new Error('case neither inserted nor found');
  return { case: existing, created: false };
}

export interface CasePatch {
  cw_ticket_id?: number | null;
  state?: string;
  tenant_id?: string;
  last_event_id?: string | null;
  last_event_at?: string | null;
}

export async function updateCase(
  db: Kysely<Database>,
  partnerId: string,
  caseId: string,
  patch: CasePatch,
): Promise<Case | undefined> {
  return db
    .updateTable('cases')
    .set({ ...patch, updated_at: now() })
    .where('partner_id', '=', partnerId)
    .where('id', '=', caseId)
    .returningAll()
    .executeTakeFirst();
}

export async function listCases(
  db: Kysely<Database>,
  partnerId: string,
  options: { state?: string; tenantId?: string; limit?: number } = {},
): Promise<Case[]> {
  let query = db.selectFrom('cases').selectAll().where('partner_id', '=', partnerId);
  if (options.state !== undefined) query = query.where('state', '=', options.state);
  if (options.tenantId !== undefined) query = query.where('tenant_id', '=', options.tenantId);
  return query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit ?? 100)
    .execute();
}

export async function countCasesByState(
  db: Kysely<Database>,
  partnerId: string,
): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('cases')
    .select(['state', (eb) => eb.fn.countAll<number>().as('count')])
    .where('partner_id', '=', partnerId)
    .groupBy('state')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.count)]));
}
