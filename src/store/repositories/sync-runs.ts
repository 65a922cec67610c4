import type { Kysely } from 'kysely';
import type { Database, SyncRun, SyncRunItem, SyncRunsTable } from '../types.ts';
import { bool, newId, now, toJson } from '../values.ts';

/** Usage sync runs and what each did per (tenant, SKU), for the overview page and `usage sync`. */

export interface NewSyncRun {
  kind: string;
  business_date?: string | null;
  trigger: string;
  dry_run?: boolean;
}

export async function startSyncRun(
  db: Kysely<Database>,
  partnerId: string,
  input: NewSyncRun,
): Promise<SyncRun> {
  return db
    .insertInto('sync_runs')
    .values({
      id: newId(),
      partner_id: partnerId,
      kind: input.kind,
      business_date: input.business_date ?? null,
      trigger: input.trigger,
      status: 'running',
      dry_run: bool(input.dry_run ?? false),
      started_at: now(),
      finished_at: null,
      summary: '{}',
      error: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface SyncRunItemInput {
  tenant_id?: string | null;
  sku?: string | null;
  action: string;
  outcome: string;
  cw_agreement_id?: number | null;
  cw_product_id?: number | null;
  cw_addition_id?: number | null;
  quantity?: number | null;
  reason?: string | null;
  hint?: string | null;
  details?: unknown;
}

/** Adds items to a run of this partner; returns how many were added (0 when the run is not theirs). */
export async function addSyncRunItems(
  db: Kysely<Database>,
  partnerId: string,
  runId: string,
  items: SyncRunItemInput[],
): Promise<number> {
  if (items.length === 0) return 0;
  const run = await db
    .selectFrom('sync_runs')
    .select('id')
    .where('partner_id', '=', partnerId)
    .where('id', '=', runId)
    .executeTakeFirst();
  if (!run) return 0;
  const at = now();
  const rows = items.map((item) => ({
    id: newId(),
    run_id: runId,
    partner_id: partnerId,
    tenant_id: item.tenant_id ?? null,
    sku: item.sku ?? null,
    action: item.action,
    outcome: item.outcome,
    cw_agreement_id: item.cw_agreement_id ?? null,
    cw_product_id: item.cw_product_id ?? null,
    cw_addition_id: item.cw_addition_id ?? null,
    quantity: item.quantity ?? null,
    reason: item.reason ?? null,
    hint: item.hint ?? null,
    details: toJson(item.details ?? {}),
    created_at: at,
  }));
  // Bounded batches keep under SQLite's bound-parameter limit.
  for (let i = 0; i < rows.length; i += 200) {
    await db
      .insertInto('sync_run_items')
      .values(rows.slice(i, i + 200))
      .execute();
  }
  return rows.length;
}

export async function finishSyncRun(
  db: Kysely<Database>,
  partnerId: string,
  runId: string,
  result: { status: Exclude<SyncRunsTable['status'], 'running'>; summary?: unknown; error?: string | null },
): Promise<SyncRun | undefined> {
  return db
    .updateTable('sync_runs')
    .set({
      status: result.status,
      summary: toJson(result.summary ?? {}),
      error: result.error ?? null,
      finished_at: now(),
    })
    .where('partner_id', '=', partnerId)
    .where('id', '=', runId)
    .returningAll()
    .executeTakeFirst();
}

export async function getSyncRun(
  db: Kysely<Database>,
  partnerId: string,
  runId: string,
): Promise<SyncRun | undefined> {
  return db
    .selectFrom('sync_runs')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('id', '=', runId)
    .executeTakeFirst();
}

export async function listSyncRuns(
  db: Kysely<Database>,
  partnerId: string,
  options: { kind?: string; limit?: number } = {},
): Promise<SyncRun[]> {
  let query = db.selectFrom('sync_runs').selectAll().where('partner_id', '=', partnerId);
  if (options.kind !== undefined) query = query.where('kind', '=', options.kind);
  return query
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit ?? 50)
    .execute();
}

export async function listSyncRunItems(
  db: Kysely<Database>,
  partnerId: string,
  runId: string,
): Promise<SyncRunItem[]> {
  return db
    .selectFrom('sync_run_items')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('run_id', '=', runId)
    .orderBy('id')
    .execute();
}
