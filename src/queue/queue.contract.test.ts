import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Dialect, freshStore, postgresReady, type TestStore } from '../../test/support/databases.ts';
import {
  type AttemptOutcome,
  createJobQueue,
  type Job,
  type JobQueue,
  type JobQueueOptions,
  NonRetryableError,
  type QueueDefinition,
  type QueueStats,
} from './index.ts';

// One suite, both adapters. Settings are shortened (lease 1 s, heartbeat 10 s, supervision 1 s) so the
// suite stays fast; assertions are about outcomes and "not before", never about how fast.

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'hanging-worker.ts');

const FAST: Partial<JobQueueOptions> = {
  pollIntervalMs: 500,
  leaseSeconds: 1,
  heartbeatSeconds: 10,
  superviseIntervalSeconds: 1,
  cronIntervalSeconds: 1,
};

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const unique = (base: string) => `${base}.${randomBytes(4).toString('hex')}`;

for (const dialect of ['sqlite', 'postgres'] as Dialect[]) {
  describe.runIf(dialect === 'sqlite' || postgresReady)(`job queue contract [${dialect}]`, () => {
    let store: TestStore;
    const open: JobQueue[] = [];
    const outcomes: Array<[string, AttemptOutcome]> = [];

    beforeAll(async () => {
      store = await freshStore(dialect);
    });
    afterEach(async () => {
      await Promise.all(open.splice(0).map((q) => q.stop({ graceful: false })));
    });
    afterAll(async () => {
      await store?.dispose();
    });

    async function startQueue(
      queues: QueueDefinition[],
      extra: Partial<JobQueueOptions> = {},
    ): Promise<JobQueue> {
      const queue = createJobQueue(store, {
        ...FAST,
        ...extra,
        queues,
        logger: pino({ level: process.env['QUEUE_TEST_LOG'] ?? 'silent' }),
        metrics: { attemptEnded: (name, outcome) => outcomes.push([name, outcome]) },
      });
      open.push(queue);
      await queue.start();
      return queue;
    }

    async function statsOf(queue: JobQueue, name: string): Promise<QueueStats> {
      const found = (await queue.stats()).find((s) => s.name === name);
      if (!found) throw new Error(`no stats for ${name}`);
      return found;
    }

    it('runs sent jobs once each and completes them', async () => {
      const name = unique('basic');
      const queue = await startQueue([{ name }]);
      const seen: Job[] = [];
      await queue.work(name, { concurrency: 2 }, async (job) => {
        seen.push(job);
      });
      const ids = await Promise.all([1, 2, 3].map((n) => queue.send(name, { n })));
      expect(ids.every((id) => typeof id === 'string')).toBe(true);
      await waitFor('3 completed', async () => (await statsOf(queue, name)).completed === 3);
      expect(seen.map((j) => (j.data as { n: number }).n).sort()).toEqual([1, 2, 3]);
      expect(seen.map((j) => j.attempt)).toEqual([1, 1, 1]);
      expect(new Set(seen.map((j) => j.id))).toEqual(new Set(ids));
      expect(await statsOf(queue, name)).toMatchObject({ queued: 0, active: 0, retry: 0, deadLetters: 0 });
      expect(outcomes.filter(([n, o]) => n === name && o === 'completed')).toHaveLength(3);
    });

    it('retries a retryable failure with backoff, then dead-letters it after retryLimit + 1 attempts', async () => {
      const name = unique('flaky');
      const queue = await startQueue([
        { name, retryLimit: 2, retryDelaySeconds: 1, retryBackoff: true, retryDelayMaxSeconds: 1 },
      ]);
      const attempts: Array<{ attempt: number; at: number }> = [];
      await queue.work(name, {}, async (job) => {
        attempts.push({ attempt: job.attempt, at: Date.now() });
        throw new Error('CW answered 503');
      });
      const id = await queue.send(name, { ticket: 'T-1' });
      const [dead] = await waitFor('a dead letter', async () => {
        const d = await queue.deadLetters({ name });
        return d.length > 0 ? d : undefined;
      });
      expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
      // The backoff is at least retryDelaySeconds (capped here at 1 s): no retry comes early.
      for (let i = 1; i < attempts.length; i++) {
        expect(attempts[i]!.at - attempts[i - 1]!.at).toBeGreaterThanOrEqual(900);
      }
      expect(dead).toMatchObject({ name, sourceId: id, attempts: 3, data: { ticket: 'T-1' } });
      expect(dead!.error?.message).toBe('CW answered 503');
      expect(await statsOf(queue, name)).toMatchObject({ queued: 0, retry: 0, active: 0, deadLetters: 1 });
      expect(outcomes.filter(([n]) => n === name).map(([, o]) => o)).toEqual([
        'retry',
        'retry',
        'dead_letter',
      ]);
    });

    it('dead-letters a non-retryable failure after one attempt', async () => {
      const name = unique('poison');
      const queue = await startQueue([{ name, retryLimit: 5, retryDelaySeconds: 0 }]);
      const calls: string[] = [];
      await queue.work(name, {}, async (job) => {
        calls.push((job.data as { kind: string }).kind);
        if ((job.data as { kind: string }).kind === 'class')
          throw new NonRetryableError('CW 400: summary too long');
        // What src/connectwise's ValidationError looks like to the queue: retryable === false.
        throw Object.assign(new Error('CW 400: company not found'), {
          retryable: false,
          code: 'CW_VALIDATION',
        });
      });
      await queue.send(name, { kind: 'class' });
      await queue.send(name, { kind: 'flag' });
      const dead = await waitFor('2 dead letters', async () => {
        const d = await queue.deadLetters({ name });
        return d.length === 2 ? d : undefined;
      });
      await sleep(300);
      expect(calls.sort()).toEqual(['class', 'flag']);
      expect(dead.map((d) => d.attempts)).toEqual([1, 1]);
      expect(dead.find((d) => d.error?.code === 'CW_VALIDATION')?.error?.message).toBe(
        'CW 400: company not found',
      );
    });

    it('redrives dead letters, which then run once and leave the dead letters', async () => {
      const name = unique('redrive');
      const queue = await startQueue([{ name, retryLimit: 0 }]);
      let fixed = false;
      const successes: Job[] = [];
      await queue.work(name, { concurrency: 2 }, async (job) => {
        if (!fixed) throw new NonRetryableError('mapping missing');
        successes.push(job);
      });
      await queue.send(name, { n: 1 });
      await queue.send(name, { n: 2 });
      await queue.send(name, { n: 3 });
      const dead = await waitFor('3 dead letters', async () => {
        const d = await queue.deadLetters({ name });
        return d.length === 3 ? d : undefined;
      });
      fixed = true;
      expect(await queue.redrive({ ids: [dead[0]!.id] })).toBe(1);
      await waitFor('the redriven job done', async () => successes.length === 1);
      expect(await queue.deadLetters({ name })).toHaveLength(2);
      expect(await queue.redrive({ name })).toBe(2);
      await waitFor('all done', async () => successes.length === 3);
      await sleep(500);
      expect(successes.map((j) => (j.data as { n: number }).n).sort()).toEqual([1, 2, 3]);
      expect(successes.every((j) => j.attempt === 1)).toBe(true);
      expect(await queue.deadLetters({ name })).toEqual([]);
      expect(await statsOf(queue, name)).toMatchObject({ queued: 0, active: 0, deadLetters: 0 });
      expect(await queue.redrive({ name })).toBe(0);
      expect(await queue.redrive({ ids: ['not-a-job-id'] })).toBe(0);
      await expect(queue.redrive({ name: 'never.declared' })).rejects.toMatchObject({
        code: 'UNKNOWN_QUEUE',
      });
      await expect(queue.send('never.declared', {})).rejects.toMatchObject({ code: 'UNKNOWN_QUEUE' });
    });

    it('admits exactly one job per singleton key under concurrent sends, and the key frees when it is done', async () => {
      const name = unique('singleton');
      const queue = await startQueue([{ name }]);
      const other = await startQueue([{ name }]);
      const key = 'usage-sync:partner-1:2026-12-03';
      const ids = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? queue : other).send(name, { i }, { singletonKey: key }),
        ),
      );
      expect(ids.filter((id) => id !== null)).toHaveLength(1);
      expect(
        await queue.send(name, { other: true }, { singletonKey: 'usage-sync:partner-2:2026-12-03' }),
      ).not.toBeNull();
      expect(await statsOf(queue, name)).toMatchObject({ queued: 2 });

      const seen: Array<string | null> = [];
      let release!: () => void;
      const gate = new Promise<void>((r) => {
        release = r;
      });
      await queue.work(name, { concurrency: 2 }, async (job) => {
        seen.push(job.singletonKey);
        if (job.singletonKey === key) await gate;
      });
      await waitFor('the keyed job active', async () => seen.includes(key));
      // Active still holds the key.
      expect(await queue.send(name, {}, { singletonKey: key })).toBeNull();
      release();
      await waitFor('both completed', async () => (await statsOf(queue, name)).completed === 2);
      expect(await queue.send(name, { again: true }, { singletonKey: key })).not.toBeNull();
    });

    it('does not run a delayed job before its time', async () => {
      const name = unique('delayed');
      const queue = await startQueue([{ name }]);
      const ran: Array<{ tag: string; at: number }> = [];
      await queue.work(name, { concurrency: 2 }, async (job) => {
        ran.push({ tag: (job.data as { tag: string }).tag, at: Date.now() });
      });
      const sentAt = Date.now();
      await queue.send(name, { tag: 'seconds' }, { startAfter: 2 });
      await queue.send(name, { tag: 'date' }, { startAfter: new Date(sentAt + 1500) });
      await waitFor('both ran', async () => ran.length === 2);
      expect(ran.find((r) => r.tag === 'seconds')!.at).toBeGreaterThanOrEqual(sentAt + 2000 - 50);
      expect(ran.find((r) => r.tag === 'date')!.at).toBeGreaterThanOrEqual(sentAt + 1500 - 50);
    });

    it('writes a job sent inside a store transaction only if the transaction commits', async () => {
      const name = unique('outbox');
      const queue = await startQueue([{ name }]);
      const seen: string[] = [];
      await queue.work(name, { concurrency: 4 }, async (job) => {
        seen.push((job.data as { event: string }).event);
      });
      await expect(
        store.writeTransaction(async (trx) => {
          await queue.send(name, { event: 'rolled-back' }, { tx: trx });
          throw new Error('inbox insert failed');
        }),
      ).rejects.toThrow('inbox insert failed');
      const committedId = await store.writeTransaction(async (trx) => {
        const id = await queue.send(name, { event: 'committed' }, { tx: trx });
        await queue.send(name, { event: 'committed-2' }, { tx: trx });
        return id;
      });
      expect(committedId).toEqual(expect.any(String));
      await waitFor('committed jobs', async () => seen.length === 2);
      await sleep(700);
      expect(seen.sort()).toEqual(['committed', 'committed-2']);
      expect(await statsOf(queue, name)).toMatchObject({ queued: 0, completed: 2 });
    });

    it('fires a schedule with its data and key, and stops after unschedule', async () => {
      const name = unique('cron');
      const queue = await startQueue([{ name }]);
      const seen: Job[] = [];
      await queue.work(name, {}, async (job) => {
        seen.push(job);
      });
      await expect(queue.schedule(name, 'not a cron')).rejects.toThrow(/invalid cron/);
      await queue.schedule(name, '* * * * * *', { partner: 'p1' }, { key: 'p1' });
      await waitFor('a tick', async () => seen.length >= 1, 15_000);
      expect(seen[0]!.data).toEqual({ partner: 'p1' });
      expect(seen[0]!.singletonKey).toBe(`schedule:${name}:p1`);
      await queue.unschedule(name, 'p1');
      // A tick already on its way may still land; after that, nothing.
      await sleep(1200);
      const after = seen.length;
      await sleep(2000);
      expect(seen.length).toBe(after);
    });

    it('stops gracefully: finishes short jobs, releases the one past the timeout, which runs again', async () => {
      const name = unique('shutdown');
      const defs = [{ name, retryLimit: 3, retryDelaySeconds: 0, retryBackoff: false }];
      const first = await startQueue(defs);
      const started: Job[] = [];
      let aborted = 0;
      await first.work(name, { concurrency: 2 }, async (job, signal) => {
        started.push(job);
        if ((job.data as { long: boolean }).long) {
          await new Promise<void>((resolve) => {
            signal.addEventListener('abort', () => {
              aborted += 1;
              resolve();
            });
          });
          throw new Error('aborted');
        }
        await sleep(400);
      });
      const longId = await first.send(name, { long: true });
      await first.send(name, { long: false });
      await waitFor('both started', async () => started.length === 2);
      await first.stop({ graceful: true, timeoutMs: 1500 });
      expect(aborted).toBe(1);

      const second = await startQueue(defs);
      expect(await statsOf(second, name)).toMatchObject({ active: 0, completed: 1 });
      const rerun: Job[] = [];
      await second.work(name, {}, async (job) => {
        rerun.push(job);
      });
      await waitFor('the released job ran again', async () => rerun.length === 1);
      expect(rerun[0]!.id === longId || (rerun[0]!.data as { long: boolean }).long).toBe(true);
      expect(rerun[0]!.attempt).toBe(2);
      await waitFor('completed', async () => (await statsOf(second, name)).completed === 2);
      // The stopped queue took nothing after stop().
      expect(started).toHaveLength(2);
    });

    it('aborts an attempt that runs past expireInSeconds and counts it as failed', async () => {
      const name = unique('expiring');
      const queue = await startQueue([
        { name, expireInSeconds: 1, retryLimit: 1, retryDelaySeconds: 0, retryBackoff: false },
      ]);
      const attempts: Array<{ attempt: number; aborted: boolean }> = [];
      await queue.work(name, {}, async (job, signal) => {
        const entry = { attempt: job.attempt, aborted: false };
        attempts.push(entry);
        if (job.attempt === 1) {
          await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
          entry.aborted = true;
          throw new Error('gave up');
        }
      });
      await queue.send(name, {});
      await waitFor('the second attempt completed', async () => (await statsOf(queue, name)).completed === 1);
      expect(attempts).toEqual([
        { attempt: 1, aborted: true },
        { attempt: 2, aborted: false },
      ]);
    });

    it('runs a job again, exactly once more, after its worker is killed mid-job', async () => {
      const name = unique('killed');
      const queue = await startQueue([{ name, retryLimit: 3, retryDelaySeconds: 0, retryBackoff: false }]);
      const id = await queue.send(name, { invoice: 42 });
      const child: ChildProcess = spawn(
        process.execPath,
        [FIXTURE, store.databaseUrl, name, JSON.stringify(FAST)],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.once('exit', (_code, signal) => resolve(signal)),
      );
      try {
        await waitFor('the child to take the job', async () => out.includes(`STARTED ${id} 1`), 30_000);
        expect(await statsOf(queue, name)).toMatchObject({ active: 1 });
      } finally {
        child.kill('SIGKILL');
      }
      expect(await exited).toBe('SIGKILL');

      const runs: Job[] = [];
      await queue.work(name, {}, async (job) => {
        runs.push(job);
      });
      await waitFor(
        'the job completed by the new worker',
        async () => (await statsOf(queue, name)).completed === 1,
        40_000,
      );
      await sleep(1500);
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ id: expect.any(String), attempt: 2, data: { invoice: 42 } });
      expect(await statsOf(queue, name)).toMatchObject({
        queued: 0,
        retry: 0,
        active: 0,
        completed: 1,
        deadLetters: 0,
      });
    });
  });
}
