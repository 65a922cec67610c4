import { type Kysely, sql } from 'kysely';
import { fromStoredError } from '../errors.ts';
import type { DeadLetter } from '../types.ts';
import type { JobRow } from './rows.ts';

// On SQLite a dead letter is the job's own row in state `failed`; its id is the source job's id.

/** Dead letters, oldest first, of one queue or all. */
export async function listDeadLetters<DB>(
  db: Kysely<DB>,
  options: { name?: string | undefined; limit: number },
): Promise<DeadLetter[]> {
  const { rows } = await sql<JobRow>`
    select * from queue_jobs where state = 'failed'
    ${options.name === undefined ? sql`` : sql`and name = ${options.name}`}
    order by completed_at, id limit ${options.limit}`.execute(db);
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    sourceId: row.id,
    data: JSON.parse(row.data),
    singletonKey: row.singleton_key,
    attempts: row.attempts,
    error: fromStoredError(row.error),
    failedAt: new Date(row.completed_at ?? row.created_at),
  }));
}

/** Puts dead letters back to `created` with fresh attempts; returns the queue name of each row moved. */
export async function redriveDeadLetters<DB>(
  db: Kysely<DB>,
  target: { ids: string[] } | { name: string },
): Promise<string[]> {
  const filter =
    'ids' in target
      ? sql`id in (${sql.join(target.ids.length ? target.ids : [''])})`
      : sql`name = ${target.name}`;
  // OR IGNORE: a dead letter whose singleton key is held again by a newer job stays a dead letter.
  const { rows } = await sql<{ name: string }>`
    update or ignore queue_jobs
    set state = 'created', attempts = 0, run_at = ${Date.now()}, started_at = null, completed_at = null,
      lease_until = null, lease_token = null
    where state = 'failed' and ${filter}
    returning name`.execute(db);
  return rows.map((r) => r.name);
}
