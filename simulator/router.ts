import type { IncomingHttpHeaders } from 'node:http';
import type { Permission } from './roles.ts';
import type { ApiMember, SimState } from './types.ts';

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RouteContext {
  state: SimState;
  member: ApiMember;
  /** Numeric path parameters, in path order. */
  params: number[];
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** `https://host/{codebase}apis/3.0` as the client called it: hrefs and Link headers point back here. */
  base: string;
  /** The resource path after `apis/3.0/` as the client sent it (no query), for Link headers. */
  path: string;
  /** Parsed JSON body; parsed only after the permission check passed (CW answers 403 before 400). */
  body(): unknown;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: Method;
  /** Path under `apis/3.0/`, `:id` for a numeric segment, e.g. `service/tickets/:id/notes`. */
  pattern: string;
  /** What the member's role must allow; null for endpoints any authenticated member may call. */
  permission: Permission | null;
  handle(ctx: RouteContext): Reply;
}

interface Compiled {
  route: Route;
  segments: string[];
  /** Segments that are not `:id`; see match. */
  literals: number;
}

export type Match =
  | { kind: 'found'; route: Route; params: number[] }
  | { kind: 'method-not-allowed'; allowed: Method[] }
  | { kind: 'none' };

const INT32_MAX = 2_147_483_647;

/** Routes compared segment by segment; CW's routing ignores case and a trailing slash. */
export class Router {
  private readonly bySize = new Map<number, Compiled[]>();

  add(...routes: Route[]): this {
    for (const route of routes) {
      const segments = route.pattern.toLowerCase().split('/');
      const list = this.bySize.get(segments.length) ?? [];
      list.push({ route, segments, literals: segments.filter((s) => s !== ':id').length });
      this.bySize.set(segments.length, list);
    }
    return this;
  }

  match(method: string, path: string): Match {
    const parts = path.replace(/^\/+|\/+$/g, '').split('/');
    const candidates = this.bySize.get(parts.length) ?? [];
    const allowed: Method[] = [];
    let best: { route: Route; params: number[]; literals: number } | undefined;
    for (const { route, segments, literals } of candidates) {
      const params = matchSegments(segments, parts);
      if (!params) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      // `tickets/search` and `tickets/count` must win over `tickets/:id`: prefer more literal segments.
      if (!best || literals > best.literals) best = { route, params, literals };
    }
    if (best) return { kind: 'found', route: best.route, params: best.params };
    return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'none' };
  }
}

function matchSegments(segments: string[], parts: string[]): number[] | undefined {
  const params: number[] = [];
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const part = parts[i]!;
    if (seg === ':id') {
      if (!/^\d{1,10}$/.test(part)) return undefined;
      const n = Number(part);
      if (n > INT32_MAX) return undefined;
      params.push(n);
    } else if (seg !== part.toLowerCase()) {
      return undefined;
    }
  }
  return params;
}
