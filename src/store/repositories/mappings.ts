import type { Kysely } from 'kysely';
import type { Database, SkuMapping, TenantMapping } from '../types.ts';
import { now } from '../values.ts';

/** Tenant → CW company/agreement and SKU → CW product mappings (wizard steps 2 and 3), per partner. */

export interface TenantMappingInput {
  cw_company_id: number;
  cw_company_identifier?: string | null;
  cw_company_name?: string | null;
  cw_agreement_id?: number | null;
  cw_agreement_name?: string | null;
  updated_by?: string | null;
}

/** Creates or replaces the mapping of one tenant. The tenant must exist for this partner (foreign key). */
export async function upsertTenantMapping(
  db: Kysely<Database>,
  partnerId: string,
  tenantId: string,
  input: TenantMappingInput,
): Promise<TenantMapping> {
  const values = {
    cw_company_id: input.cw_company_id,
    cw_company_identifier: input.cw_company_identifier ?? null,
    cw_company_name: input.cw_company_name ?? null,
    cw_agreement_id: input.cw_agreement_id ?? null,
    cw_agreement_name: input.cw_agreement_name ?? null,
    updated_at: now(),
    updated_by: input.updated_by ?? null,
  };
  return db
    .insertInto('tenant_mappings')
    .values({ partner_id: partnerId, tenant_id: tenantId, ...values })
    .onConflict((oc) => oc.columns(['partner_id', 'tenant_id']).doUpdateSet(values))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function getTenantMapping(
  db: Kysely<Database>,
  partnerId: string,
  tenantId: string,
): Promise<TenantMapping | undefined> {
  return db
    .selectFrom('tenant_mappings')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
}

export async function listTenantMappings(db: Kysely<Database>, partnerId: string): Promise<TenantMapping[]> {
  return db
    .selectFrom('tenant_mappings')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .orderBy('tenant_id')
    .execute();
}

export async function deleteTenantMapping(
  db: Kysely<Database>,
  partnerId: string,
  tenantId: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('tenant_mappings')
    .where('partner_id', '=', partnerId)
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export interface SkuMappingInput {
  cw_product_id: number;
  cw_product_identifier?: string | null;
  updated_by?: string | null;
}

export async function upsertSkuMapping(
  db: Kysely<Database>,
  partnerId: string,
  sku: string,
  input: SkuMappingInput,
): Promise<SkuMapping> {
  const values = {
    cw_product_id: input.cw_product_id,
    cw_product_identifier: input.cw_product_identifier ?? null,
    updated_at: now(),
    updated_by: input.updated_by ?? null,
  };
  return db
    .insertInto('sku_mappings')
    .values({ partner_id: partnerId, sku, ...values })
    .onConflict((oc) => oc.columns(['partner_id', 'sku']).doUpdateSet(values))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function getSkuMapping(
  db: Kysely<Database>,
  partnerId: string,
  sku: string,
): Promise<SkuMapping | undefined> {
  return db
    .selectFrom('sku_mappings')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('sku', '=', sku)
    .executeTakeFirst();
}

export async function listSkuMappings(db: Kysely<Database>, partnerId: string): Promise<SkuMapping[]> {
  return db
    .selectFrom('sku_mappings')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .orderBy('sku')
    .execute();
}

export async function deleteSkuMapping(
  db: Kysely<Database>,
  partnerId: string,
  sku: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('sku_mappings')
    .where('partner_id', '=', partnerId)
    .where('sku', '=', sku)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
