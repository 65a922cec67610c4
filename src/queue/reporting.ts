import type { Logger } from 'pino';
import type { QueueStats } from './types.ts';

/** A failed attempt is a warning while the job will run again, an error once it is dead-lettered. */
export function logFailedAttempt(log: Logger, willRetry: boolean, fields: Record<string, unknown>): void {
  if (willRetry) log.warn(fields, 'job attempt failed; will retry');
  else log.error(fields, 'job dead-lettered');
}

/** A declared queue with no jobs still shows in `stats()`, with zeros. */
export function emptyStats(name: string): QueueStats {
  return { name, queued: 0, retry: 0, active: 0, completed: 0, deadLetters: 0 };
}

/**
 * Adds a job-table count to a queue's stats for the states both adapters share. Dead letters are counted
 * by each adapter itself: SQLite keeps them as `failed` rows, pg-boss in a separate queue.
 */
export function countSharedState(stats: QueueStats, state: string, n: number): void {
  if (state === 'created') stats.queued = n;
  else if (state === 'retry') stats.retry = n;
  else if (state === 'active') stats.active = n;
  else if (state === 'completed') stats.completed = n;
}

export function sortedByName(stats: Iterable<QueueStats>): QueueStats[] {
  return [...stats].sort((a, b) => a.name.localeCompare(b.name));
}
