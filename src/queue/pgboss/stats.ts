import type { PgBoss } from 'pg-boss';
import { countSharedState, emptyStats, sortedByName } from '../reporting.ts';
import type { QueueStats } from '../types.ts';
import { deadLetterQueue } from './dead-letters.ts';

/**
 * Job counts by state for the queues `names`; a queue's dead letters are the jobs waiting in its dead
 * letter queue. Read from the job table rather than getQueues(), whose counts are cached between
 * supervise passes.
 */
export async function countJobs(boss: PgBoss, schema: string, names: string[]): Promise<QueueStats[]> {
  const { rows } = await boss
    .getDb()
    .executeSql(
      `SELECT name, state::text AS state, count(*)::int AS n FROM ${schema}.job WHERE name = ANY($1::text[]) GROUP BY 1, 2`,
      [[...names, ...names.map(deadLetterQueue)]],
    );
  const byName = new Map(names.map((name) => [name, emptyStats(name)]));
  for (const { name, state, n } of rows as Array<{ name: string; state: string; n: number }>) {
    const source = byName.get(name);
    if (source) {
      countSharedState(source, state, n);
      continue;
    }
    const dlqOf = names.find((q) => deadLetterQueue(q) === name);
    const entry = dlqOf ? byName.get(dlqOf) : undefined;
    if (entry && (state === 'created' || state === 'retry')) entry.deadLetters += n;
  }
  return sortedByName(byName.values());
}
