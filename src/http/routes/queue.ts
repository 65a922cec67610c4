import { z } from 'zod';
import type { DeadLetter } from '../../queue/index.ts';
import { insertAudit } from '../audit-store.ts';
import { HttpError, notFound } from '../errors.ts';
import type { ConsoleApp, ConsoleDeps } from './deps.ts';
import { errorSchema } from './schemas.ts';

const deadLetterSchema = z
  .object({
    id: z.string(),
    queue: z.string(),
    attempts: z.number(),
    error: z.object({ name: z.string(), message: z.string(), code: z.string().optional() }).nullable(),
    failedAt: z.string(),
  })
  .meta({ id: 'DeadLetter' });

const redriveBody = z
  .object({
    ids: z
      .array(z.string().min(1).max(128), { message: 'expected a list of dead-letter ids' })
      .min(1, { message: 'expected at least one id' })
      .max(100, { message: 'expected at most 100 ids' }),
  })
  .strict();

// Dead letters are read in one scan and filtered by partner; far more than a console shows.
const SCAN_LIMIT = 5000;

/** Jobs belong to the partner named in their data (`partnerId`); jobs of no partner are not shown. */
function ownedBy(partnerId: string) {
  return (d: DeadLetter) =>
    typeof d.data === 'object' &&
    d.data !== null &&
    (d.data as { partnerId?: unknown }).partnerId === partnerId;
}

/** Failed jobs an admin can inspect and run again once the cause is fixed. */
export async function queueRoutes(app: ConsoleApp, deps: ConsoleDeps): Promise<void> {
  const queue = () => {
    if (!deps.queue) throw new HttpError(503, 'unavailable', 'the job queue is not running in this process');
    return deps.queue;
  };

  app.get(
    '/queue/dead-letters',
    {
      config: { access: 'read' },
      schema: {
        summary: "The partner's dead-lettered jobs, oldest first",
        tags: ['queue'],
        response: { 200: z.object({ items: z.array(deadLetterSchema) }), 401: errorSchema, 403: errorSchema },
      },
    },
    async (request) => {
      const letters = (await queue().deadLetters({ limit: SCAN_LIMIT })).filter(
        ownedBy(request.auth!.partnerId),
      );
      return {
        items: letters.map((d) => ({
          id: d.id,
          queue: d.name,
          attempts: d.attempts,
          error: d.error,
          failedAt: d.failedAt.toISOString(),
        })),
      };
    },
  );

  app.post(
    '/queue/dead-letters/redrive',
    {
      config: { access: 'write' },
      schema: {
        summary: 'Run dead-lettered jobs again',
        tags: ['queue'],
        body: redriveBody,
        response: {
          200: z.object({ redriven: z.number() }),
          400: errorSchema,
          401: errorSchema,
          403: errorSchema,
          404: errorSchema,
        },
      },
    },
    async (request) => {
      const auth = request.auth!;
      const q = queue();
      const owned = new Set(
        (await q.deadLetters({ limit: SCAN_LIMIT })).filter(ownedBy(auth.partnerId)).map((d) => d.id),
      );
      const foreign = request.body.ids.filter((id) => !owned.has(id));
      const actor = `user:${auth.userId}`;
      if (foreign.length > 0) {
        // Another partner's id and an id that does not exist look the same from here, on purpose.
        await deps.audit({
          partnerId: auth.partnerId,
          actor,
          action: 'queue.redrive',
          target: foreign.slice(0, 10).join(','),
          outcome: 'denied',
          details: { reason: 'not_found', ids: foreign.slice(0, 10) },
          ip: request.ip,
        });
        throw notFound(`no dead letter ${foreign[0]} for this partner`);
      }
      const redriven = await q.redrive({ ids: request.body.ids });
      await insertAudit(deps.store.db, {
        partnerId: auth.partnerId,
        actor,
        action: 'queue.redrive',
        target: request.body.ids.slice(0, 10).join(','),
        outcome: 'success',
        details: { ids: request.body.ids, redriven },
        ip: request.ip,
      });
      return { redriven };
    },
  );
}
