import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Logger } from 'pino';
import { decideAfterFailure } from '../policy.ts';
import { type JobRow, jobSettings } from './rows.ts';
import { settleFailure } from './settle.ts';

/**
 * Claims up to `limit` due jobs of queue `name` for `leaseMs`. Each claimed row carries a lease token
 * (`<claim>:<id>`) that every later write of the attempt is fenced on.
 */
export async function claimJobs<DB>(
  db: Kysely<DB>,
  name: string,
  limit: number,
  leaseMs: number,
): Promise<JobRow[]> {
  const now = Date.now();
  const token = randomUUID();
  // The store's write transactions are BEGIN IMMEDIATE: the write lock is held from the read to the
  // write, so two processes polling one file never claim the same row.
  const { rows } = await db.transaction().execute((trx) =>
    sql<JobRow>`
    update queue_jobs
    set state = 'active', attempts = attempts + 1, started_at = ${now}, lease_until = ${now + leaseMs},
      lease_token = ${token} || ':' || id
    where id in (
      select id from queue_jobs
      where name = ${name} and state in ('created', 'retry') and run_at <= ${now}
      order by run_at, created_at
      limit ${limit})
    returning *`.execute(trx),
  );
  return rows;
}

/** Pushes the leases of `tokens` out by `leaseMs`; returns the tokens that still held their job. */
export async function extendLeases<DB>(
  db: Kysely<DB>,
  tokens: string[],
  leaseMs: number,
): Promise<Set<string>> {
  const { rows } = await sql<{ lease_token: string }>`
    update queue_jobs set lease_until = ${Date.now() + leaseMs}
    where state = 'active' and lease_token in (${sql.join(tokens)})
    returning lease_token`.execute(db);
  return new Set(rows.map((r) => r.lease_token));
}

const LEASE_EXPIRED = JSON.stringify({
  name: 'LeaseExpired',
  message: 'the worker stopped renewing its lease (killed, or blocked too long)',
});

/**
 * Jobs whose worker stopped renewing their lease count a failed attempt, then retry or dead-letter.
 * Returns the queues that got a job back to run.
 */
export async function expireLapsedLeases<DB>(db: Kysely<DB>, log: Logger): Promise<Set<string>> {
  const now = Date.now();
  const woken = new Set<string>();
  await db.transaction().execute(async (trx) => {
    const { rows } = await sql<JobRow>`
      select * from queue_jobs where state = 'active' and lease_until < ${now} limit 500`.execute(trx);
    for (const row of rows) {
      const decision = decideAfterFailure(row.attempts, true, jobSettings(row));
      await settleFailure(trx, { id: row.id, leaseToken: null }, decision, LEASE_EXPIRED, now);
      woken.add(row.name);
      log.warn(
        { queue: row.name, jobId: row.id, attempt: row.attempts, next: decision.kind },
        'job lease expired',
      );
    }
  });
  return woken;
}
