import { sql } from 'kysely';
import type { FailureDecision } from '../policy.ts';
import type { QueueTransaction } from '../types.ts';

/**
 * Ends a failed attempt: back to `retry` after the decided delay, or `failed` (a dead letter). With a
 * lease token the write only lands while that lease still holds the job, so an attempt that lost its
 * lease cannot overwrite the attempt that took over; the lease sweep passes none, having just read the row.
 * Returns whether the row was written.
 */
export async function settleFailure(
  executor: QueueTransaction,
  job: { id: string; leaseToken: string | null },
  decision: FailureDecision,
  storedError: string,
  now: number,
): Promise<boolean> {
  const fence =
    job.leaseToken === null ? sql`` : sql`and state = 'active' and lease_token = ${job.leaseToken}`;
  const result =
    decision.kind === 'retry'
      ? await sql`
          update queue_jobs set state = 'retry', run_at = ${now + Math.round(decision.delaySeconds * 1000)},
            error = ${storedError}, lease_until = null, lease_token = null
          where id = ${job.id} ${fence}`.execute(executor)
      : await sql`
          update queue_jobs set state = 'failed', completed_at = ${now}, error = ${storedError}, lease_until = null,
            lease_token = null
          where id = ${job.id} ${fence}`.execute(executor);
  return result.numAffectedRows !== 0n;
}

/** Ends a successful attempt, fenced on its lease like `settleFailure`; returns whether it was written. */
export async function settleCompleted(
  executor: QueueTransaction,
  job: { id: string; leaseToken: string },
): Promise<boolean> {
  const { numAffectedRows } = await sql`
    update queue_jobs set state = 'completed', completed_at = ${Date.now()}, lease_until = null, lease_token = null
    where id = ${job.id} and state = 'active' and lease_token = ${job.leaseToken}`.execute(executor);
  return numAffectedRows !== 0n;
}
