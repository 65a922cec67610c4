import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { QueueSettings, QueueTransaction } from '../types.ts';

export interface NewJob {
  name: string;
  data: object;
  /** Copied onto the row: a job keeps the settings it was sent with for its whole life. */
  settings: QueueSettings;
  singletonKey: string | null;
  runAt: number;
}

/**
 * Writes a job row, returning its id, or null when a queued, retrying or active job already holds its
 * singleton key: the partial unique index on `(name, singleton_key)` (src/store/migrations/0002_queue.ts) turns
 * the insert into a no-op, which is what makes singletons hold across processes.
 */
export async function insertJob(executor: QueueTransaction, job: NewJob): Promise<string | null> {
  const id = randomUUID();
  const s = job.settings;
  const { rows } = await sql<{ id: string }>`
    insert into queue_jobs (id, name, data, state, singleton_key, retry_limit, retry_delay_s, retry_backoff,
      retry_delay_max_s, expire_s, run_at, created_at)
    values (${id}, ${job.name}, ${JSON.stringify(job.data ?? {})}, 'created', ${job.singletonKey},
      ${s.retryLimit}, ${s.retryDelaySeconds}, ${s.retryBackoff ? 1 : 0}, ${s.retryDelayMaxSeconds},
      ${s.expireInSeconds}, ${job.runAt}, ${Date.now()})
    on conflict do nothing
    returning id`.execute(executor);
  return rows[0]?.id ?? null;
}
