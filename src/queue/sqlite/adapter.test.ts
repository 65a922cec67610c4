import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freshStore, type TestStore } from '../../../test/support/databases.ts';
import type { Job, JobQueue, QueueDefinition } from '../types.ts';
import { SqliteJobQueue } from './adapter.ts';

// What only the SQLite adapter does itself (pg-boss does it for the other): lease fencing and the
// scheduler's catch-up of a missed occurrence.

async function waitFor(
  what: string,
  probe: () => Promise<boolean> | boolean,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('SQLite queue adapter', () => {
  let store: TestStore;
  const open: JobQueue[] = [];
  beforeAll(async () => {
    store = await freshStore('sqlite');
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((q) => q.stop({ graceful: false })));
  });
  afterAll(async () => {
    await store?.dispose();
  });

  async function startQueue(queues: QueueDefinition[], leaseSeconds = 30): Promise<JobQueue> {
    const queue = new SqliteJobQueue({
      db: store.db,
      queues,
      logger: pino({ level: 'silent' }),
      pollIntervalMs: 100,
      leaseSeconds,
      maintenanceIntervalMs: 100,
    });
    open.push(queue);
    await queue.start();
    return queue;
  }

  it('aborts a handler whose lease was lost and ignores its completion; the job completes once, elsewhere', async () => {
    const queue = await startQueue(
      [{ name: 'fenced', retryLimit: 2, retryDelaySeconds: 0, retryBackoff: false }],
      1,
    );
    const runs: Array<{ job: Job; aborted: boolean }> = [];
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((r) => {
      releaseFirst = r;
    });
    await queue.work('fenced', { concurrency: 2 }, async (job, signal) => {
      const run = { job, aborted: false };
      runs.push(run);
      signal.addEventListener('abort', () => {
        run.aborted = true;
      });
      // The first attempt keeps running after its abort, as a handler stuck in a CW call would.
      if (job.attempt === 1) await firstHeld;
    });
    const id = await queue.send('fenced', { n: 1 });
    await waitFor('the first attempt', () => runs.length === 1);
    // Simulate a stalled worker: its lease lapses while the handler is still running.
    await sql`update queue_jobs set lease_until = 0 where id = ${id}`.execute(store.db);
    await waitFor('the second attempt to complete', async () => {
      const { rows } = await sql<{ state: string }>`select state from queue_jobs where id = ${id}`.execute(
        store.db,
      );
      return rows[0]?.state === 'completed';
    });
    await waitFor('the stale handler aborted', () => runs[0]!.aborted);
    releaseFirst();
    await new Promise((r) => setTimeout(r, 200));
    const { rows } = await sql<{ state: string; attempts: number }>`
      select state, attempts from queue_jobs where id = ${id}`.execute(store.db);
    expect(rows[0]).toEqual({ state: 'completed', attempts: 2 });
    expect(runs.map((r) => r.job.attempt)).toEqual([1, 2]);
  });

  it('sends one job for a missed occurrence with missed=once, none with skip, and re-declaring keeps it due', async () => {
    const queue = await startQueue([{ name: 'daily' }]);
    await queue.schedule('daily', '0 2 * * *', { p: 'once' }, { key: 'once' });
    await queue.schedule('daily', '0 2 * * *', { p: 'skip' }, { key: 'skip', missed: 'skip' });
    // The service was down at the last occurrence, three hours ago.
    await sql`update queue_schedules set next_run_at = ${Date.now() - 3 * 3_600_000} where name = 'daily'`.execute(
      store.db,
    );
    // A restart re-declares the same schedule: the missed occurrence must stay due.
    await queue.schedule('daily', '0 2 * * *', { p: 'once' }, { key: 'once' });
    await waitFor('the catch-up job', async () => (await queue.stats())[0]!.queued === 1);
    const { rows } = await sql<{ data: string; singleton_key: string }>`
      select data, singleton_key from queue_jobs where name = 'daily'`.execute(store.db);
    expect(rows.map((r) => JSON.parse(r.data))).toEqual([{ p: 'once' }]);
    expect(rows[0]!.singleton_key).toBe('schedule:daily:once');
    const next = await sql<{ next_run_at: number }>`select next_run_at from queue_schedules`.execute(
      store.db,
    );
    expect(next.rows.every((r) => r.next_run_at > Date.now())).toBe(true);
  });
});
