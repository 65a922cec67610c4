import type { Kysely } from 'kysely';
import { type Database, now as instant, type User } from '../store/index.ts';
import { csrfTokenFor, hashSessionToken, newSessionToken } from './tokens.ts';

export interface SessionTimeouts {
  idleMs: number;
  absoluteMs: number;
}

export interface StartedSession {
  /** Goes into the cookie; the database only ever sees its hash. */
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export type SessionFailure = 'unknown' | 'revoked' | 'idle_timeout' | 'absolute_timeout' | 'user_disabled';

export type ResolvedSession =
  | { ok: true; user: User; partnerId: string; idHash: string; expiresAt: Date }
  | { ok: false; reason: SessionFailure };

export interface SessionService {
  start(user: User, meta: { ip?: string; userAgent?: string }): Promise<StartedSession>;
  resolve(token: string): Promise<ResolvedSession>;
  /** Logout: the row is revoked, so the same cookie presented again is refused. */
  revoke(token: string): Promise<void>;
  revokeAllForUser(userId: string): Promise<void>;
}

// Writing last_seen_at on every request would turn each read into a write; a minute of slack in the
// idle timeout is the price of touching it at most once a minute.
const TOUCH_EVERY_MS = 60_000;

/**
 * Server-side sessions: a 256-bit CSPRNG token in the cookie, its SHA-256 in the table. Idle and
 * absolute timeouts are checked on every request against an injectable clock.
 */
export function sessionService(
  db: Kysely<Database>,
  timeouts: SessionTimeouts,
  clock: () => Date = () => new Date(),
): SessionService {
  return {
    async start(user, meta) {
      const token = newSessionToken();
      const csrfToken = csrfTokenFor(token);
      const at = clock();
      const expiresAt = new Date(at.getTime() + timeouts.absoluteMs);
      // Housekeeping without a job: this user's ended sessions go (a replayed cookie of one is then
      // simply unknown, still 401).
      await db
        .deleteFrom('sessions')
        .where('user_id', '=', user.id)
        .where((eb) => eb.or([eb('revoked_at', 'is not', null), eb('expires_at', '<=', instant(at))]))
        .execute();
      await db
        .insertInto('sessions')
        .values({
          id_hash: hashSessionToken(token),
          user_id: user.id,
          partner_id: user.partner_id,
          csrf_token_hash: hashSessionToken(csrfToken),
          created_at: instant(at),
          last_seen_at: instant(at),
          expires_at: instant(expiresAt),
          revoked_at: null,
          user_agent: meta.userAgent?.slice(0, 300) ?? null,
          ip: meta.ip ?? null,
        })
        .execute();
      return { token, csrfToken, expiresAt };
    },

    async resolve(token) {
      const idHash = hashSessionToken(token);
      const row = await db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .selectAll('users')
        .select([
          'sessions.partner_id as session_partner_id',
          'sessions.last_seen_at as session_last_seen_at',
          'sessions.expires_at as session_expires_at',
          'sessions.revoked_at as session_revoked_at',
        ])
        .where('sessions.id_hash', '=', idHash)
        .executeTakeFirst();
      if (!row) return { ok: false, reason: 'unknown' };
      if (row.session_revoked_at !== null) return { ok: false, reason: 'revoked' };
      const at = clock().getTime();
      const expiresAt = new Date(row.session_expires_at);
      if (at >= expiresAt.getTime()) return { ok: false, reason: 'absolute_timeout' };
      const lastSeen = Date.parse(row.session_last_seen_at);
      if (at - lastSeen >= timeouts.idleMs) return { ok: false, reason: 'idle_timeout' };
      // A disabled account or one moved to another partner loses its sessions at once (ASVS 8.3.2).
      if (row.disabled !== 0 || row.partner_id !== row.session_partner_id)
        return { ok: false, reason: 'user_disabled' };
      if (at - lastSeen >= TOUCH_EVERY_MS) {
        await db
          .updateTable('sessions')
          .set({ last_seen_at: instant(at) })
          .where('id_hash', '=', idHash)
          .execute();
      }
      const { session_partner_id, session_last_seen_at, session_expires_at, session_revoked_at, ...user } =
        row;
      return { ok: true, user, partnerId: session_partner_id, idHash, expiresAt };
    },

    async revoke(token) {
      await db
        .updateTable('sessions')
        .set({ revoked_at: instant(clock()) })
        .where('id_hash', '=', hashSessionToken(token))
        .where('revoked_at', 'is', null)
        .execute();
    },

    async revokeAllForUser(userId) {
      await db
        .updateTable('sessions')
        .set({ revoked_at: instant(clock()) })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .execute();
    },
  };
}
