import { type Kysely, sql } from 'kysely';
import { nextOccurrence, resolveSchedule } from '../cron.ts';
import type { QueueRegistry } from '../registry.ts';
import type { ScheduleOptions } from '../types.ts';
import type { ScheduleRow } from './rows.ts';
import { insertJob } from './send.ts';

/** An occurrence found due more than this late is treated as missed (the process was down). */
const ON_TIME_MS = 60_000;

/** Creates or updates the schedule `(name, key)`. */
export async function upsertSchedule<DB>(
  db: Kysely<DB>,
  name: string,
  cron: string,
  data: object,
  options: ScheduleOptions,
): Promise<void> {
  const { tz, key, singletonKey, missed } = resolveSchedule(name, cron, options);
  const now = Date.now();
  const next = nextOccurrence(cron, tz, new Date(now)).getTime();
  await sql`
    insert into queue_schedules (name, key, cron, tz, data, singleton_key, missed, next_run_at, updated_at)
    values (${name}, ${key}, ${cron}, ${tz}, ${JSON.stringify(data)}, ${singletonKey}, ${missed}, ${next}, ${now})
    on conflict (name, key) do update set cron = excluded.cron, tz = excluded.tz, data = excluded.data,
      singleton_key = excluded.singleton_key, missed = excluded.missed, updated_at = excluded.updated_at,
      -- Re-declaring an unchanged schedule at every start must not push back an occurrence that is due
      -- (or was missed while the service was down).
      next_run_at = case when queue_schedules.cron = excluded.cron and queue_schedules.tz = excluded.tz
        then queue_schedules.next_run_at else excluded.next_run_at end`.execute(db);
}

export async function deleteSchedule<DB>(db: Kysely<DB>, name: string, key: string): Promise<void> {
  await sql`delete from queue_schedules where name = ${name} and key = ${key}`.execute(db);
}

/**
 * Sends a job for every due schedule (unless the occurrence was missed and the schedule says `skip`) and
 * moves it to its next occurrence. Returns the queues that got a job.
 */
export async function fireDueSchedules<DB>(db: Kysely<DB>, registry: QueueRegistry): Promise<string[]> {
  const now = Date.now();
  const sent: string[] = [];
  await db.transaction().execute(async (trx) => {
    const { rows } = await sql<ScheduleRow>`
      select * from queue_schedules where next_run_at <= ${now}`.execute(trx);
    for (const s of rows) {
      // A schedule of a queue this process does not know is left for a process that does.
      const settings = registry.find(s.name);
      if (!settings) continue;
      const onTime = now - s.next_run_at <= ON_TIME_MS;
      if (onTime || s.missed === 'once') {
        const id = await insertJob(trx, {
          name: s.name,
          data: JSON.parse(s.data),
          settings,
          singletonKey: s.singleton_key,
          runAt: now,
        });
        if (id) sent.push(s.name);
      }
      const next = nextOccurrence(s.cron, s.tz, new Date(now)).getTime();
      await sql`update queue_schedules set next_run_at = ${next}
        where name = ${s.name} and key = ${s.key}`.execute(trx);
    }
  });
  return sent;
}
