import { auditRoutes } from './audit.ts';
import { authRoutes } from './auth.ts';
import { connectionRoutes } from './connection.ts';
import type { ConsoleApp, ConsoleDeps } from './deps.ts';
import { queueRoutes } from './queue.ts';
import { tenantRoutes } from './tenants.ts';

export const CONSOLE_API_PREFIX = '/api/v1';

/**
 * The console API route table. Each module adds its routes with `config.access` (public, session, read,
 * write); later areas (mappings, routing, billing runs) add a module here.
 */
const modules: Array<(app: ConsoleApp, deps: ConsoleDeps) => Promise<void>> = [
  authRoutes,
  connectionRoutes,
  tenantRoutes,
  queueRoutes,
  auditRoutes,
];

export async function consoleRoutes(app: ConsoleApp, deps: ConsoleDeps): Promise<void> {
  await app.register(
    async (api) => {
      for (const add of modules) await add(api as ConsoleApp, deps);
    },
    { prefix: CONSOLE_API_PREFIX },
  );
}
