import { sql } from 'kysely';
import type { Store } from '../store/index.ts';
// The migration list is the store's own registry; reading it (not running it) tells readiness whether
// this database has everything this build expects.
import { migrations } from '../store/migrations/index.ts';

/** Names of migrations this build has that the database has not applied (Kysely's bookkeeping table). */
export async function pendingMigrations(store: Store): Promise<string[]> {
  const applied = new Set(
    (await sql<{ name: string }>`select name from kysely_migration`.execute(store.db)).rows.map(
      (r) => r.name,
    ),
  );
  return migrations.map(([name]) => name).filter((name) => !applied.has(name));
}
