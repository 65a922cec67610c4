import type { PgBoss } from 'pg-boss';
import { fromStoredError } from '../errors.ts';
import type { DeadLetter } from '../types.ts';
import { publicKey } from './singleton-keys.ts';

// pg-boss moves a job that ran out of attempts to its queue's dead letter queue as a new job, which
// keeps the source job's id, retry count and last error in `source*` columns.

export const deadLetterQueue = (name: string) => `${name}.dead-letters`;

/** pg-boss redrives at most this many jobs per call. */
const REDRIVE_BATCH = 1000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Only a UUID can be a pg-boss job id; anything else would make Postgres reject the whole cast. */
export function isJobId(id: string): boolean {
  return UUID.test(id);
}

/** The dead letters of `names`, oldest first, at most `limit`. */
export async function listDeadLetters(boss: PgBoss, names: string[], limit: number): Promise<DeadLetter[]> {
  const all: DeadLetter[] = [];
  for (const name of names) {
    const jobs = await boss.findJobs<unknown>(deadLetterQueue(name), { queued: true, limit });
    for (const j of jobs) {
      all.push({
        id: j.id,
        name: j.sourceName ?? name,
        sourceId: j.sourceId ?? j.id,
        data: j.data,
        singletonKey: publicKey(j.singletonKey),
        attempts: (j.sourceRetryCount ?? 0) + 1,
        error: fromStoredError(j.sourceOutput),
        failedAt: new Date(j.createdOn),
      });
    }
  }
  all.sort((a, b) => a.failedAt.getTime() - b.failedAt.getTime() || a.id.localeCompare(b.id));
  return all.slice(0, limit);
}

/** Redrives the dead letters with these ids, whichever of `names` they belong to; returns how many moved. */
export async function redriveIds(boss: PgBoss, names: string[], ids: string[]): Promise<number> {
  let moved = 0;
  for (const name of names) moved += await boss.redrive(deadLetterQueue(name), { ids, destination: name });
  return moved;
}

/** Redrives every dead letter of queue `name`, batch after batch; returns how many moved. */
export async function redriveQueue(boss: PgBoss, name: string): Promise<number> {
  let moved = 0;
  for (;;) {
    const n = await boss.redrive(deadLetterQueue(name), { destination: name });
    moved += n;
    if (n < REDRIVE_BATCH) break;
  }
  return moved;
}
