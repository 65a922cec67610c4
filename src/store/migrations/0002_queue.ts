import { sql } from 'kysely';
import type { StoreMigration } from './types.ts';

/**
 * The SQLite job queue's tables (src/queue/sqlite, docs/queue.md). On Postgres the queue is pg-boss,
 * which installs and migrates its own schema (`pgboss`), so nothing is created there.
 *
 * Instants are integer epoch milliseconds here, unlike the rest of the schema: the claim and lease
 * statements compare and add to them on every poll.
 */
export const queue: StoreMigration = {
  async up(db, dialect) {
    if (dialect !== 'sqlite') return;
    await sql`
      create table queue_jobs (
        id text primary key,
        name text not null,
        data text not null,
        state text not null check (state in ('created', 'retry', 'active', 'completed', 'failed')),
        singleton_key text,
        attempts integer not null default 0,
        retry_limit integer not null,
        retry_delay_s integer not null,
        retry_backoff integer not null check (retry_backoff in (0, 1)),
        retry_delay_max_s integer not null,
        expire_s integer not null,
        run_at integer not null,
        created_at integer not null,
        started_at integer,
        lease_until integer,
        lease_token text,
        completed_at integer,
        error text
      )`.execute(db);
    // The claim: the oldest due job of a queue.
    await sql`create index queue_jobs_due on queue_jobs (name, run_at) where state in ('created', 'retry')`.execute(
      db,
    );
    // Lease expiry sweep (a worker killed mid-job).
    await sql`create index queue_jobs_leases on queue_jobs (lease_until) where state = 'active'`.execute(db);
    await sql`create index queue_jobs_state on queue_jobs (state, name)`.execute(db);
    // One queued, retrying or active job per singleton key: the database, not a read-then-write, decides.
    await sql`create unique index queue_jobs_singleton on queue_jobs (name, singleton_key)
      where singleton_key is not null and state in ('created', 'retry', 'active')`.execute(db);
    await sql`
      create table queue_schedules (
        name text not null,
        key text not null,
        cron text not null,
        tz text not null,
        data text not null,
        singleton_key text not null,
        missed text not null check (missed in ('skip', 'once')),
        next_run_at integer not null,
        updated_at integer not null,
        primary key (name, key)
      )`.execute(db);
  },
};
