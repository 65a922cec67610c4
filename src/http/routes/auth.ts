import { z } from 'zod';
import { hashPassword, needsRehash, verifyPassword } from '../../auth/index.ts';
import { getPartner, type User } from '../../store/index.ts';
import { HttpError, unauthorized } from '../errors.ts';
import { clearSessionCookie, setSessionCookie } from '../session-cookie.ts';
import type { ConsoleApp, ConsoleDeps } from './deps.ts';
import { errorSchema, loginBody, sessionSchema } from './schemas.ts';

/** Login, logout and "who am I". Login rotates the session: any session the browser had is revoked. */
export async function authRoutes(app: ConsoleApp, deps: ConsoleDeps): Promise<void> {
  const { users, sessions, cookie, audit, anonymousDenials, loginLimiter } = deps;

  const partnerName = async (partnerId: string) => {
    return (await getPartner(deps.store.db, partnerId))?.name ?? '';
  };

  const sessionBody = async (
    user: Pick<User, 'id' | 'email' | 'role' | 'tenant_id'>,
    partnerId: string,
    csrfToken: string,
    expiresAt: Date,
  ) => ({
    user: { id: user.id, email: user.email, role: user.role, tenantId: user.tenant_id },
    partner: { id: partnerId, name: await partnerName(partnerId) },
    role: user.role,
    csrfToken,
    expiresAt: expiresAt.toISOString(),
  });

  app.post(
    '/auth/login',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Sign in; sets the session cookie and returns the CSRF token',
        tags: ['session'],
        body: loginBody,
        response: {
          200: sessionSchema,
          400: errorSchema,
          401: errorSchema,
          403: errorSchema,
          429: errorSchema,
        },
      },
    },
    async (request, reply) => {
      const { email, password, partnerId } = request.body;
      const ip = request.ip;
      const wait = loginLimiter.check(ip, email);
      if (wait !== null) {
        // A limited caller pays no password hash per attempt, so this is the cheapest way to add rows:
        // coalesced per address like the guard's anonymous refusals.
        const admitted = anonymousDenials.admit(
          ip,
          `${request.method} ${request.routeOptions.url} rate_limited`,
        );
        if (admitted) {
          await audit({
            partnerId: null,
            actor: 'anonymous',
            action: 'auth.login',
            target: email,
            outcome: 'denied',
            details: { reason: 'rate_limited', suppressed: admitted.suppressed },
            ip,
          });
        }
        throw new HttpError(429, 'too_many_requests', `too many failed sign-ins; try again in ${wait} s`, {
          headers: { 'retry-after': String(wait) },
        });
      }

      const candidates = (await users.findActiveByEmail(email)).filter(
        (u) => partnerId === undefined || u.partner_id === partnerId,
      );
      const matches: User[] = [];
      if (candidates.length === 0) await verifyPassword(null, password);
      for (const candidate of candidates) {
        if (await verifyPassword(candidate.password_hash, password)) matches.push(candidate);
      }
      if (matches.length === 0) {
        loginLimiter.recordFailure(ip, email);
        await audit({
          partnerId: candidates.length === 1 ? (candidates[0]?.partner_id ?? null) : null,
          actor: 'anonymous',
          action: 'auth.login',
          target: email,
          outcome: 'failure',
          details: { reason: 'bad_credentials' },
          ip,
        });
        throw unauthorized('wrong e-mail or password');
      }
      const user = matches[0] as User;
      if (matches.length > 1) {
        throw new HttpError(
          400,
          'invalid_request',
          'body.partnerId: this e-mail has accounts at several partners; name one',
          {
            issues: [
              { field: 'body.partnerId', message: 'required: this e-mail has accounts at several partners' },
            ],
          },
        );
      }

      loginLimiter.recordSuccess(ip, email);
      const previous = request.cookies[cookie.name];
      if (previous) await sessions.revoke(previous);
      const started = await sessions.start(user, { ip, userAgent: request.headers['user-agent'] });
      const at = deps.clock();
      await users.recordLogin(
        user.id,
        at,
        needsRehash(user.password_hash) ? await hashPassword(password) : undefined,
      );
      await audit({
        partnerId: user.partner_id,
        actor: `user:${user.id}`,
        action: 'auth.login',
        target: `user:${user.id}`,
        outcome: 'success',
        ip,
      });
      setSessionCookie(
        reply,
        cookie,
        started.token,
        Math.floor((started.expiresAt.getTime() - at.getTime()) / 1000),
      );
      return sessionBody(user, user.partner_id, started.csrfToken, started.expiresAt);
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { access: 'session' },
      schema: {
        summary: 'Sign out: the session is revoked on the server',
        tags: ['session'],
        response: { 204: z.null().describe('signed out'), 401: errorSchema, 403: errorSchema },
      },
    },
    async (request, reply) => {
      const token = request.cookies[cookie.name];
      if (token) await sessions.revoke(token);
      const auth = request.auth!;
      await audit({
        partnerId: auth.partnerId,
        actor: `user:${auth.userId}`,
        action: 'auth.logout',
        target: `user:${auth.userId}`,
        outcome: 'success',
        ip: request.ip,
      });
      clearSessionCookie(reply, cookie);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/session',
    {
      config: { access: 'session' },
      schema: {
        summary: 'The signed-in user, partner, role and CSRF token',
        tags: ['session'],
        response: { 200: sessionSchema, 401: errorSchema },
      },
    },
    async (request) => {
      // The guard has just read this user with the session (and refused a disabled or moved one).
      const auth = request.auth!;
      const user = { id: auth.userId, email: auth.email, role: auth.role, tenant_id: auth.tenantId };
      return sessionBody(user, auth.partnerId, auth.csrfToken, auth.sessionExpiresAt);
    },
  );
}
