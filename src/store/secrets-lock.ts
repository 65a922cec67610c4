import { type Kysely, SqliteIntrospector, sql } from 'kysely';
import type { Database } from './types.ts';

/**
 * The Postgres advisory lock key that orders sealing against master-key rotation: the int8 whose
 * big-endian bytes are ASCII `psa-seal`. It is a single 64-bit key, so it cannot meet Kysely's
 * migration lock (3853314791062309107) or pg-boss's hashed keys by design, only by a 2^-64 accident.
 */
export const SECRETS_LOCK_KEY = 8102927002407100780n;

/**
 * Takes the secrets lock for the rest of the transaction `trx` (released at commit or rollback).
 *
 * - 'shared': every writer that seals, before it seals. Its value is then either committed before a
 *   rotation reads the tables (and re-sealed by it), or sealed after the rotation committed, when the
 *   key files already name the new key.
 * - 'exclusive': the rotation, first thing. It waits for writers in flight and holds off new ones, so
 *   its re-sealing UPDATE cannot write an old value over a save made meanwhile.
 *
 * On Postgres writers run side by side, hence the advisory lock. On SQLite a write transaction
 * (`BEGIN IMMEDIATE`) already excludes every other writer, so this only checks that it is in one.
 * Take it before writing to cw_connections or webhook_secrets in the same transaction: a writer that
 * holds one of their row locks while waiting here would deadlock with the rotation.
 */
export async function lockSecrets(trx: Kysely<Database>, mode: 'shared' | 'exclusive'): Promise<void> {
  // Outside a transaction the lock would be released before the seal and the write it must cover.
  if (!trx.isTransaction) throw new Error('lockSecrets must run inside a write transaction');
  if (trx.introspection instanceof SqliteIntrospector) return;
  const key = sql.lit(SECRETS_LOCK_KEY);
  await (mode === 'shared'
    ? sql`select pg_advisory_xact_lock_shared(${key})`
    : sql`select pg_advisory_xact_lock(${key})`
  ).execute(trx);
}
