export { type CookiePolicy, cookiePolicy, SESSION_COOKIE_BASE_NAME } from './cookie-policy.ts';
export { createLoginLimiter, type LoginLimiter, type LoginLimiterOptions } from './login-limiter.ts';
export {
  generatePassword,
  hashPassword,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  needsRehash,
  PASSWORD_HASH_OPTIONS,
  passwordProblem,
  verifyPassword,
} from './passwords.ts';
export { type Access, isRole, ROLES, type Role, roleAllows } from './roles.ts';
export {
  type ResolvedSession,
  type SessionFailure,
  type SessionService,
  type SessionTimeouts,
  type StartedSession,
  sessionService,
} from './sessions.ts';
export { csrfTokenFor, csrfTokenMatches, hashSessionToken, newSessionToken } from './tokens.ts';
export { type NewUser, normaliseEmail, type UsersRepository, usersRepository } from './users.ts';
