import { type Kysely, sql } from 'kysely';
import { countSharedState, emptyStats, sortedByName } from '../reporting.ts';
import type { QueueStats } from '../types.ts';

/** Job counts by state for the declared queues and any other queue that has rows in this file. */
export async function countJobs<DB>(db: Kysely<DB>, declared: string[]): Promise<QueueStats[]> {
  const { rows } = await sql<{ name: string; state: string; n: number }>`
    select name, state, count(*) as n from queue_jobs group by name, state`.execute(db);
  const byName = new Map<string, QueueStats>();
  const entry = (name: string): QueueStats => {
    let stats = byName.get(name);
    if (!stats) {
      stats = emptyStats(name);
      byName.set(name, stats);
    }
    return stats;
  };
  for (const name of declared) entry(name);
  for (const { name, state, n } of rows) {
    const stats = entry(name);
    if (state === 'failed') stats.deadLetters = n;
    else countSharedState(stats, state, n);
  }
  return sortedByName(byName.values());
}
