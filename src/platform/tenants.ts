// Tenants as the platform reports them (`PUT /tenants/{id}`): the platform is the source of truth, so a
// PUT replaces name, domains and status. Repository functions take the executor they run on so callers
// choose the transaction.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database, TenantStatus } from '../store/index.ts';

const domain = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(
    /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/,
    'expected a domain name',
  );

export const tenantBodySchema = z.object({
  name: z.string().trim().min(1).max(200),
  domains: z.array(domain).max(1000),
  status: z.enum(['active', 'suspended', 'deleted']),
});
export type TenantBody = z.output<typeof tenantBodySchema>;

export interface TenantView {
  tenantId: string;
  name: string;
  domains: string[];
  status: TenantStatus;
  createdAt: string;
  updatedAt: string;
}

/** Inserts or replaces one tenant; `created` tells the caller whether it is new (201) or not (200). */
export async function upsertTenant(
  db: Kysely<Database>,
  partnerId: string,
  tenantId: string,
  body: TenantBody,
  now: string,
): Promise<{ created: boolean; tenant: TenantView }> {
  const unique = [...new Set(body.domains)];
  const domains = JSON.stringify(unique);
  const existing = await db
    .selectFrom('tenants')
    .select('created_at')
    .where('partner_id', '=', partnerId)
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  await db
    .insertInto('tenants')
    .values({
      partner_id: partnerId,
      tenant_id: tenantId,
      name: body.name,
      domains,
      status: body.status,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc
        .columns(['partner_id', 'tenant_id'])
        .doUpdateSet({ name: body.name, domains, status: body.status, updated_at: now }),
    )
    .execute();
  return {
    created: existing === undefined,
    tenant: {
      tenantId,
      name: body.name,
      domains: unique,
      status: body.status,
      createdAt: existing?.created_at ?? now,
      updatedAt: now,
    },
  };
}
