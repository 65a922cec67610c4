// The real queue adapter for the store's dialect (SQLite table or pg-boss), as the service wires it.
import { sql } from 'kysely';
import pino from 'pino';
import { createJobQueue, type JobQueue, type QueueDefinition } from '../../src/queue/index.ts';
import type { Store } from '../../src/store/index.ts';

export type TestQueue = JobQueue;

export async function createTestQueue(store: Store, queues: QueueDefinition[]): Promise<TestQueue> {
  const logger = pino({ level: 'silent' });
  const queue = createJobQueue(store, { queues, logger });
  await queue.start();
  return queue;
}

/** The adapter's own job table: the SQLite queue's, or pg-boss's. */
function jobTable(store: Store) {
  return sql.raw(store.dialect === 'sqlite' ? 'queue_jobs' : 'pgboss.job');
}

/** Jobs of `name` ever created (any state), read straight from the adapter's table. */
export async function jobCount(store: Store, name: string): Promise<number> {
  const result = await sql<{
    n: number | string;
  }>`select count(*) as n from ${jobTable(store)} where name = ${name}`.execute(store.db);
  return Number(result.rows[0]?.n ?? 0);
}

/** The payloads of every job of `name` (any state), read straight from the adapter's table. */
export async function jobPayloads<T>(store: Store, name: string): Promise<T[]> {
  const result = await sql<{
    data: unknown;
  }>`select data from ${jobTable(store)} where name = ${name}`.execute(store.db);
  // SQLite keeps the JSON text; pg-boss a jsonb column, which pg hands back parsed.
  return result.rows.map((r) => (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as T);
}
