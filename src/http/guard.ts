import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  type Access,
  type CookiePolicy,
  csrfTokenFor,
  csrfTokenMatches,
  type Role,
  roleAllows,
  type SessionService,
} from '../auth/index.ts';
import { type AuditWriter, actorOf } from './audit.ts';
import type { DenialCoalescer } from './denial-coalescer.ts';
import { HttpError } from './errors.ts';
import { clearSessionCookie } from './session-cookie.ts';

/** Who is calling, taken from the server-side session only: never from headers, query or body. */
export interface RequestAuth {
  userId: string;
  email: string;
  role: Role;
  tenantId: string | null;
  /** Every console query is scoped by this. */
  partnerId: string;
  csrfToken: string;
  sessionExpiresAt: Date;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: RequestAuth | null;
  }
  interface FastifyContextConfig {
    /** Required on every console route (`/api/v1/…` outside the platform API): the app refuses to start without it. */
    access?: Access;
  }
}

export const CSRF_HEADER = 'x-csrf-token';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface GuardOptions {
  sessions: SessionService;
  cookie: CookiePolicy;
  /** Origin of PUBLIC_URL: the one origin allowed to send state-changing requests. */
  publicOrigin: string;
  audit: AuditWriter;
  /** Decides which refusals of callers without a session get an audit row. */
  anonymousDenials: DenialCoalescer;
}

/**
 * Cross-site request check (OWASP CSRF cheat sheet): Fetch Metadata first, Origin when a browser sent
 * no Sec-Fetch-Site. Requests with neither (curl, server-to-server) carry no ambient browser cookies
 * from another site and still need the CSRF token on authenticated routes.
 */
export function crossSiteReason(request: FastifyRequest, publicOrigin: string): string | null {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin' ? null : `sec-fetch-site ${site}`;
  const origin = request.headers.origin;
  if (origin === undefined) return null;
  const own = `${request.protocol}://${request.host}`;
  return origin === publicOrigin || origin === own ? null : 'origin mismatch';
}

export function installGuard(app: FastifyInstance, options: GuardOptions): void {
  app.decorateRequest('auth', null);

  const deny = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: 401 | 403,
    reason: string,
    message: string,
  ): Promise<never> => {
    app.countDenied(reason);
    const { actor, partnerId } = actorOf(request);
    const target = `${request.method} ${request.routeOptions.url ?? request.url}`;
    // Anyone can send requests without a session: coalesce those rows (see denial-coalescer.ts).
    const admitted = request.auth ? null : options.anonymousDenials.admit(request.ip, target);
    if (request.auth || admitted) {
      await options.audit({
        partnerId,
        actor,
        action: 'access.denied',
        target,
        outcome: 'denied',
        details: admitted ? { reason, status, suppressed: admitted.suppressed } : { reason, status },
        ip: request.ip,
      });
    }
    if (status === 401) clearSessionCookie(reply, options.cookie);
    throw new HttpError(status, status === 401 ? 'unauthorized' : 'forbidden', message);
  };

  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access;
    if (access === undefined) return; // not a console route: health, metrics, platform API (own auth)
    const token = request.cookies[options.cookie.name];
    // Resolve the session first so that every refusal below is attributed to the account in the audit.
    const resolved = token && access !== 'public' ? await options.sessions.resolve(token) : undefined;
    if (token && resolved?.ok) {
      const { user } = resolved;
      request.auth = {
        userId: user.id,
        email: user.email,
        role: user.role,
        tenantId: user.tenant_id,
        partnerId: resolved.partnerId,
        csrfToken: csrfTokenFor(token),
        sessionExpiresAt: resolved.expiresAt,
      };
    }
    const unsafe = UNSAFE.has(request.method);
    if (unsafe) {
      const crossSite = crossSiteReason(request, options.publicOrigin);
      if (crossSite) return deny(request, reply, 403, 'cross_site', 'cross-site request refused');
    }
    if (access === 'public') return;

    if (!token || !resolved) return deny(request, reply, 401, 'no_session', 'sign in first');
    if (!resolved.ok) {
      return deny(request, reply, 401, `session_${resolved.reason}`, 'your session has ended; sign in again');
    }
    if (unsafe && !csrfTokenMatches(token, headerValue(request.headers[CSRF_HEADER]))) {
      return deny(request, reply, 403, 'csrf_token', `missing or wrong ${CSRF_HEADER} header`);
    }
    if (!roleAllows(resolved.user.role, access)) {
      return deny(request, reply, 403, `role_${resolved.user.role}`, 'your role does not allow this');
    }
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
