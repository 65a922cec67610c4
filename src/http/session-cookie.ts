import type { FastifyReply } from 'fastify';
import type { CookiePolicy } from '../auth/index.ts';

/**
 * Every Set-Cookie for the session goes through here, so setting and clearing cannot drift apart: a
 * browser replaces a `__Host-` cookie only with one carrying the same Secure and Path, so a clear written
 * with other attributes would silently leave the old cookie in place. The values come from cookiePolicy.
 */
function attributes(policy: CookiePolicy) {
  const { path, secure, sameSite, httpOnly } = policy;
  return { path, secure, sameSite, httpOnly };
}

export function setSessionCookie(
  reply: FastifyReply,
  policy: CookiePolicy,
  token: string,
  maxAgeSeconds: number,
): void {
  reply.setCookie(policy.name, token, { ...attributes(policy), maxAge: maxAgeSeconds });
}

export function clearSessionCookie(reply: FastifyReply, policy: CookiePolicy): void {
  reply.clearCookie(policy.name, attributes(policy));
}
