import { z } from 'zod';
import { fromJson, TENANT_STATUSES } from '../../store/index.ts';
import type { ConsoleApp, ConsoleDeps } from './deps.ts';
import { pageLimit, pageResponses, toPage } from './pagination.ts';

const tenantSchema = z
  .object({
    tenantId: z.string(),
    name: z.string(),
    domains: z.array(z.string()),
    status: z.enum(TENANT_STATUSES),
    updatedAt: z.string(),
  })
  .meta({ id: 'Tenant' });

const query = z
  .object({
    status: z.enum(TENANT_STATUSES, { message: 'expected active, suspended or deleted' }).optional(),
    /** Return tenants whose id sorts after this one (the previous page's `next`). */
    after: z.string().max(128).optional(),
    limit: pageLimit,
  })
  .strict();

/** The partner's tenants as the platform last reported them (read-only here). */
export async function tenantRoutes(app: ConsoleApp, deps: ConsoleDeps): Promise<void> {
  app.get(
    '/tenants',
    {
      config: { access: 'read' },
      schema: {
        summary: "The partner's platform tenants",
        tags: ['tenants'],
        querystring: query,
        response: pageResponses(tenantSchema),
      },
    },
    async (request) => {
      const { partnerId } = request.auth!;
      const { status, after, limit } = request.query;
      let q = deps.store.db
        .selectFrom('tenants')
        .select(['tenant_id', 'name', 'domains', 'status', 'updated_at'])
        .where('partner_id', '=', partnerId);
      if (status) q = q.where('status', '=', status);
      if (after) q = q.where('tenant_id', '>', after);
      const rows = await q
        .orderBy('tenant_id')
        .limit(limit + 1)
        .execute();
      return toPage(
        rows,
        limit,
        (r) => r.tenant_id,
        (r) => ({
          tenantId: r.tenant_id,
          name: r.name,
          domains: fromJson<string[]>(r.domains, []),
          status: r.status,
          updatedAt: r.updated_at,
        }),
      );
    },
  );
}
