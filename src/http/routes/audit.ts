import { z } from 'zod';
import { fromJson, listAudit } from '../../store/index.ts';
import type { ConsoleApp, ConsoleDeps } from './deps.ts';
import { errorSchema } from './schemas.ts';

const entrySchema = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    target: z.string().nullable(),
    outcome: z.enum(['success', 'denied', 'failure']),
    details: z.record(z.string(), z.unknown()),
    ip: z.string().nullable(),
  })
  .meta({ id: 'AuditEntry' });

const query = z
  .object({
    /** Entries older than this id (the previous page's `next`). */
    before: z.string().max(64).optional(),
    action: z.string().max(100).optional(),
    limit: z.coerce
      .number({ message: 'expected a number' })
      .int()
      .min(1)
      .max(500, { message: 'expected at most 500' })
      .default(100),
  })
  .strict();

/** The partner's audit trail, newest first. Append-only: no route changes or deletes entries. */
export async function auditRoutes(app: ConsoleApp, deps: ConsoleDeps): Promise<void> {
  app.get(
    '/audit',
    {
      config: { access: 'read' },
      schema: {
        summary: "The partner's audit trail, newest first",
        tags: ['audit'],
        querystring: query,
        response: {
          200: z.object({ items: z.array(entrySchema), next: z.string().nullable() }),
          400: errorSchema,
          401: errorSchema,
          403: errorSchema,
        },
      },
    },
    async (request) => {
      const { partnerId } = request.auth!;
      const { before, action, limit } = request.query;
      const rows = await listAudit(deps.store.db, partnerId, {
        limit: limit + 1,
        ...(before === undefined ? {} : { before }),
        ...(action === undefined ? {} : { action }),
      });
      const page = rows.slice(0, limit);
      return {
        items: page.map((r) => ({
          id: r.id,
          at: r.at,
          actor: r.actor,
          action: r.action,
          target: r.target,
          outcome: r.outcome,
          details: fromJson<Record<string, unknown>>(r.details, {}),
          ip: r.ip,
        })),
        next: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null,
      };
    },
  );
}
