import { z } from 'zod';
import { fromJson, listAudit } from '../../store/index.ts';
import type { ConsoleApp, ConsoleDeps } from './deps.ts';
import { pageLimit, pageResponses, toPage } from './pagination.ts';

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
    limit: pageLimit,
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
        response: pageResponses(entrySchema),
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
      return toPage(
        rows,
        limit,
        (r) => r.id,
        (r) => ({
          id: r.id,
          at: r.at,
          actor: r.actor,
          action: r.action,
          target: r.target,
          outcome: r.outcome,
          details: fromJson<Record<string, unknown>>(r.details, {}),
          ip: r.ip,
        }),
      );
    },
  );
}
