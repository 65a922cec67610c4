import type { FastifyInstance, RouteOptions } from 'fastify';
import type { Access } from '../auth/index.ts';

export type RouteKind = 'console' | 'platform' | 'ops';

/** One row per method and URL the app answers; tests walk this instead of a hand-kept list. */
export interface RouteEntry {
  method: string;
  url: string;
  kind: RouteKind;
  /** Set on console routes; platform and ops routes authenticate (or not) on their own. */
  access: Access | undefined;
}

export const CONSOLE_PREFIX = '/api/v1/';
export const PLATFORM_PREFIX = '/api/v1/platform/';
/** Console request bodies are small forms; the platform API sets its own limits. */
export const CONSOLE_BODY_LIMIT = 64 * 1024;

export function kindOf(url: string): RouteKind {
  if (url.startsWith(PLATFORM_PREFIX) || url === PLATFORM_PREFIX.slice(0, -1)) return 'platform';
  return url.startsWith(CONSOLE_PREFIX) ? 'console' : 'ops';
}

/**
 * Records every route as it is added and fails closed: a console route that does not say who may use
 * it stops the app from starting, so a forgotten access level can never ship as "open".
 */
export function installRouteTable(app: FastifyInstance): RouteEntry[] {
  const table: RouteEntry[] = [];
  app.decorate('routeTable', table);
  app.addHook('onRoute', (route: RouteOptions) => {
    const kind = kindOf(route.url);
    const access = route.config?.access;
    if (kind === 'console') {
      if (access === undefined) throw new Error(`console route ${route.url} declares no config.access`);
      route.bodyLimit ??= CONSOLE_BODY_LIMIT;
      // The OpenAPI document says which credentials each route takes.
      if (access !== 'public') {
        const unsafe = (Array.isArray(route.method) ? route.method : [route.method]).some(
          (m) => m !== 'GET' && m !== 'HEAD',
        );
        route.schema = { ...route.schema, security: [unsafe ? { session: [], csrf: [] } : { session: [] }] };
      }
    }
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue; // Fastify adds HEAD beside every GET
      table.push({ method, url: route.url, kind, access });
    }
  });
  return table;
}

declare module 'fastify' {
  interface FastifyInstance {
    readonly routeTable: RouteEntry[];
  }
}
