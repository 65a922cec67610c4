import type { Kysely } from 'kysely';
import { type Database, newId, now, type User } from '../store/index.ts';
import type { Role } from './roles.ts';

export interface NewUser {
  partnerId: string;
  email: string;
  passwordHash: string;
  role: Role;
  tenantId?: string | null;
}

/** Users of the console. Every read that a request makes is scoped by the session's partner. */
export interface UsersRepository {
  create(input: NewUser): Promise<User>;
  /** Login has no partner yet: all active accounts with this e-mail (usually one). */
  findActiveByEmail(email: string): Promise<User[]>;
  recordLogin(id: string, at: Date, passwordHash?: string): Promise<void>;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function usersRepository(db: Kysely<Database>): UsersRepository {
  return {
    async create(input) {
      const stamp = now();
      const row = {
        id: newId(),
        partner_id: input.partnerId,
        email: normaliseEmail(input.email),
        password_hash: input.passwordHash,
        role: input.role,
        tenant_id: input.role === 'tenant_user' ? (input.tenantId ?? null) : null,
        disabled: 0 as const,
        created_at: stamp,
        updated_at: stamp,
        last_login_at: null,
      };
      await db.insertInto('users').values(row).execute();
      return row;
    },
    async findActiveByEmail(email) {
      return db
        .selectFrom('users')
        .selectAll()
        .where('email', '=', normaliseEmail(email))
        .where('disabled', '=', 0)
        .orderBy('created_at')
        .limit(10)
        .execute();
    },
    async recordLogin(id, at, passwordHash) {
      await db
        .updateTable('users')
        .set({
          last_login_at: now(at),
          ...(passwordHash ? { password_hash: passwordHash, updated_at: now(at) } : {}),
        })
        .where('id', '=', id)
        .execute();
    },
  };
}
