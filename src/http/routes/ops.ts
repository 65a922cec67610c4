import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Registry } from 'prom-client';
import type { JobQueue } from '../../queue/index.ts';
import type { Store } from '../../store/index.ts';
import { pendingMigrations } from '../migrations-check.ts';

/** Resolves true (or void) when ready; false or a throw means not ready. */
export type ReadinessCheck = () => Promise<boolean | undefined> | boolean | undefined;

export interface OpsOptions {
  store: Store;
  queue: JobQueue | undefined;
  metrics: Registry;
  readiness: Record<string, ReadinessCheck>;
}

const CHECK_TIMEOUT_MS = 2000;

async function run(check: ReadinessCheck): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
    });
    const result = await Promise.race([Promise.resolve().then(check), timeout]);
    return result !== false;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** Liveness, readiness, metrics and the OpenAPI document. No session: they reveal no partner data. */
export async function opsRoutes(app: FastifyInstance, options: OpsOptions): Promise<void> {
  const checks: Record<string, ReadinessCheck> = {
    database: async () => {
      await sql`select 1`.execute(options.store.db);
      return true;
    },
    migrations: async () => (await pendingMigrations(options.store)).length === 0,
    ...(options.queue
      ? {
          queue: async () => {
            await options.queue!.stats();
            return true;
          },
        }
      : {}),
    ...options.readiness,
  };

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const results: Record<string, 'ok' | 'failing'> = {};
    await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        results[name] = (await run(check)) ? 'ok' : 'failing';
      }),
    );
    const ready = Object.values(results).every((r) => r === 'ok');
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks: results });
  });

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.type(options.metrics.contentType);
    return options.metrics.metrics();
  });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
