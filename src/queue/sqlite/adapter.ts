import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Logger } from 'pino';
import { assertCron, nextOccurrence } from '../cron.ts';
import { fromStoredError, isRetryable, toJobError, UnknownQueueError } from '../errors.ts';
import { decideAfterFailure, resolveSettings, startAfterMs } from '../policy.ts';
import type {
  DeadLetter,
  Job,
  JobHandler,
  JobQueue,
  QueueDefinition,
  QueueMetrics,
  QueueSettings,
  QueueStats,
  QueueTransaction,
  ScheduleOptions,
  SendOptions,
  StopOptions,
  WorkOptions,
} from '../types.ts';
import { QUEUE_NAME } from '../types.ts';
import { WorkerLoop } from '../worker-loop.ts';
import { type JobRow, jobSettings, type ScheduleRow } from './rows.ts';

export interface SqliteQueueOptions<DB> {
  /** The store's Kysely instance; its write transactions must be `BEGIN IMMEDIATE` (src/store does that). */
  db: Kysely<DB>;
  queues: QueueDefinition[];
  logger: Logger;
  metrics?: QueueMetrics;
  /** Idle poll of each worker; a `send` from this process wakes it at once. */
  pollIntervalMs?: number;
  /** A worker renews its jobs' leases every third of this; a job whose lease lapses runs again. */
  leaseSeconds?: number;
  /** Sweep for lapsed leases, due schedules and old completed jobs (default: half the lease, ≥250 ms). */
  maintenanceIntervalMs?: number;
  /** Completed jobs are deleted after this long. */
  completedRetentionSeconds?: number;
  /** Run the lease sweep and the scheduler in this process (a send-only process can turn it off). */
  maintenance?: boolean;
}

interface Running {
  id: string;
  row: JobRow;
  name: string;
  token: string;
  controller: AbortController;
  settled: boolean;
  startedAt: number;
  end: () => void;
  /** Resolves when the handler has returned (or thrown), whether or not the attempt was settled first. */
  finished: Promise<void>;
}

/**
 * The single-process default: jobs live in `queue_jobs` in the store's SQLite file, so a job sent in a
 * store transaction commits with it. Claims are one `UPDATE … RETURNING` in a `BEGIN IMMEDIATE`
 * transaction; a claimed job carries a lease token that every later write is fenced on, and a lease the
 * worker stops renewing (killed) lapses so the sweep hands the job out again.
 */
export class SqliteJobQueue<DB> implements JobQueue {
  readonly kind = 'sqlite' as const;
  readonly #db: Kysely<DB>;
  readonly #log: Logger;
  readonly #metrics: QueueMetrics | undefined;
  readonly #settings = new Map<string, QueueSettings>();
  readonly #pollMs: number;
  readonly #leaseMs: number;
  readonly #maintenanceMs: number;
  readonly #retentionMs: number;
  readonly #maintenance: boolean;
  readonly #loops = new Map<string, WorkerLoop[]>();
  readonly #running = new Map<string, Running>();
  #timers: NodeJS.Timeout[] = [];
  #started = false;
  #stopping = false;
  #lastCleanup = 0;
  #maintaining = false;

  constructor(options: SqliteQueueOptions<DB>) {
    this.#db = options.db;
    this.#log = options.logger.child({ component: 'queue', adapter: 'sqlite' });
    this.#metrics = options.metrics;
    for (const q of options.queues) {
      if (!QUEUE_NAME.test(q.name)) throw new TypeError(`queue name "${q.name}" must match ${QUEUE_NAME}`);
      this.#settings.set(q.name, resolveSettings(q.name, q));
    }
    this.#pollMs = options.pollIntervalMs ?? 500;
    this.#leaseMs = (options.leaseSeconds ?? 30) * 1000;
    this.#maintenanceMs = options.maintenanceIntervalMs ?? Math.max(250, Math.floor(this.#leaseMs / 2));
    this.#retentionMs = (options.completedRetentionSeconds ?? 7 * 86_400) * 1000;
    this.#maintenance = options.maintenance ?? true;
  }

  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    const renew = setInterval(() => void this.#renewLeases(), Math.max(100, Math.floor(this.#leaseMs / 3)));
    this.#timers.push(renew);
    if (this.#maintenance) {
      const sweep = setInterval(() => void this.#maintain(), this.#maintenanceMs);
      this.#timers.push(sweep);
      await this.#maintain();
    }
    this.#log.info({ queues: [...this.#settings.keys()] }, 'queue started');
  }

  #queueSettings(name: string): QueueSettings {
    const settings = this.#settings.get(name);
    if (!settings) throw new UnknownQueueError(name);
    return settings;
  }

  async send(name: string, data: object, options: SendOptions = {}): Promise<string | null> {
    const settings = resolveSettings(name, this.#queueSettings(name), options);
    const id = await this.#insert(options.tx ?? this.#db, {
      name,
      data,
      settings,
      singletonKey: options.singletonKey ?? null,
      runAt: startAfterMs(options.startAfter, Date.now()),
    });
    // In a transaction the row is not visible yet; the claim this wakes waits for the store's connection,
    // which the transaction holds until it commits, so it still finds the job.
    if (id) this.#wake(name);
    return id;
  }

  async #insert(
    executor: QueueTransaction | Kysely<DB>,
    job: { name: string; data: object; settings: QueueSettings; singletonKey: string | null; runAt: number },
  ): Promise<string | null> {
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

  #wake(name: string): void {
    for (const loop of this.#loops.get(name) ?? []) loop.wake();
  }

  async work<T = unknown>(name: string, options: WorkOptions, handler: JobHandler<T>): Promise<void> {
    this.#queueSettings(name);
    if (!this.#started) throw new Error('start() the queue before work()');
    if (this.#stopping) throw new Error('the queue is stopping');
    const concurrency = options.concurrency ?? 1;
    const loop: WorkerLoop = new WorkerLoop({
      concurrency,
      batch: options.batch ?? concurrency,
      pollMs: this.#pollMs,
      claim: async (limit) => {
        const rows = await this.#claim(name, limit);
        for (const row of rows) this.#run(row, handler as JobHandler, loop.began());
        return rows.length;
      },
      onError: (error) => this.#log.error({ err: error, queue: name }, 'claiming jobs failed'),
    });
    const loops = this.#loops.get(name) ?? [];
    loops.push(loop);
    this.#loops.set(name, loops);
  }

  async #claim(name: string, limit: number): Promise<JobRow[]> {
    if (this.#stopping) return [];
    const now = Date.now();
    const token = randomUUID();
    // The store's write transactions are BEGIN IMMEDIATE: the write lock is held from the read to the
    // write, so two processes polling one file never claim the same row.
    const { rows } = await this.#db.transaction().execute((trx) =>
      sql<JobRow>`
      update queue_jobs
      set state = 'active', attempts = attempts + 1, started_at = ${now}, lease_until = ${now + this.#leaseMs},
        lease_token = ${token} || ':' || id
      where id in (
        select id from queue_jobs
        where name = ${name} and state in ('created', 'retry') and run_at <= ${now}
        order by run_at, created_at
        limit ${limit})
      returning *`.execute(trx),
    );
    return rows;
  }

  #run(row: JobRow, handler: JobHandler, end: () => void): void {
    const controller = new AbortController();
    const settings = jobSettings(row);
    const job: Job = {
      id: row.id,
      name: row.name,
      data: JSON.parse(row.data),
      attempt: row.attempts,
      maxAttempts: settings.retryLimit + 1,
      singletonKey: row.singleton_key,
    };
    const running: Running = {
      id: row.id,
      row,
      name: row.name,
      token: row.lease_token!,
      controller,
      settled: false,
      startedAt: Date.now(),
      end,
      finished: Promise.resolve(),
    };
    this.#running.set(running.token, running);
    const expiry = setTimeout(() => {
      const error = new Error(`job ran longer than expireInSeconds (${settings.expireInSeconds})`);
      controller.abort(error);
      // If this write fails the lease lapses once the handler returns, and the sweep retries the job.
      this.#fail(running, row, error).catch((e) =>
        this.#log.error({ err: e, queue: row.name, jobId: row.id }, 'failing an expired job failed'),
      );
    }, settings.expireInSeconds * 1000);
    running.finished = (async () => {
      try {
        await handler(job, controller.signal);
        clearTimeout(expiry);
        await this.#complete(running);
      } catch (error) {
        clearTimeout(expiry);
        await this.#fail(running, row, error);
      } finally {
        this.#running.delete(running.token);
        end();
      }
    })().catch((error) =>
      this.#log.error({ err: error, queue: row.name, jobId: row.id }, 'settling a job failed'),
    );
  }

  async #complete(running: Running): Promise<void> {
    if (running.settled) return;
    running.settled = true;
    const { numAffectedRows } = await sql`
      update queue_jobs set state = 'completed', completed_at = ${Date.now()}, lease_until = null, lease_token = null
      where id = ${running.id} and state = 'active' and lease_token = ${running.token}`.execute(this.#db);
    const duration = Date.now() - running.startedAt;
    if (numAffectedRows === 0n) {
      this.#log.warn({ queue: running.name, jobId: running.id }, 'job finished after its lease was lost');
      return;
    }
    this.#metrics?.attemptEnded(running.name, 'completed', duration);
    this.#log.debug({ queue: running.name, jobId: running.id, durationMs: duration }, 'job completed');
  }

  async #fail(running: Running, row: JobRow, error: unknown): Promise<void> {
    if (running.settled) return;
    running.settled = true;
    const retryable = isRetryable(error);
    const decision = decideAfterFailure(row.attempts, retryable, jobSettings(row));
    const stored = JSON.stringify(toJobError(error));
    const now = Date.now();
    const result =
      decision.kind === 'retry'
        ? await sql`
          update queue_jobs set state = 'retry', run_at = ${now + Math.round(decision.delaySeconds * 1000)},
            error = ${stored}, lease_until = null, lease_token = null
          where id = ${running.id} and state = 'active' and lease_token = ${running.token}`.execute(this.#db)
        : await sql`
          update queue_jobs set state = 'failed', completed_at = ${now}, error = ${stored}, lease_until = null,
            lease_token = null
          where id = ${running.id} and state = 'active' and lease_token = ${running.token}`.execute(this.#db);
    if (result.numAffectedRows === 0n) return;
    const outcome = decision.kind === 'retry' ? 'retry' : 'dead_letter';
    this.#metrics?.attemptEnded(running.name, outcome, now - running.startedAt);
    const fields = {
      queue: running.name,
      jobId: running.id,
      attempt: row.attempts,
      error: toJobError(error),
      ...(decision.kind === 'retry' ? { retryInSeconds: decision.delaySeconds } : { retryable }),
    };
    if (decision.kind === 'retry') this.#log.warn(fields, 'job attempt failed; will retry');
    else this.#log.error(fields, 'job dead-lettered');
  }

  /** Extends the leases of the jobs running here; a job whose lease was lost meanwhile is aborted. */
  async #renewLeases(): Promise<void> {
    const tokens = [...this.#running.values()].filter((r) => !r.settled).map((r) => r.token);
    if (tokens.length === 0) return;
    try {
      const { rows } = await sql<{ lease_token: string }>`
        update queue_jobs set lease_until = ${Date.now() + this.#leaseMs}
        where state = 'active' and lease_token in (${sql.join(tokens)})
        returning lease_token`.execute(this.#db);
      const held = new Set(rows.map((r) => r.lease_token));
      for (const token of tokens) {
        const running = this.#running.get(token);
        if (running && !running.settled && !held.has(token)) {
          running.settled = true;
          running.controller.abort(new Error('lease lost: the job was handed to another worker'));
          this.#log.warn({ queue: running.name, jobId: running.id }, 'job lease lost; aborting the handler');
        }
      }
    } catch (error) {
      this.#log.error({ err: error }, 'renewing job leases failed');
    }
  }

  async #maintain(): Promise<void> {
    if (this.#stopping || this.#maintaining) return;
    this.#maintaining = true;
    try {
      await this.#expireLeases();
      await this.#fireSchedules();
      if (Date.now() - this.#lastCleanup > 3_600_000) {
        this.#lastCleanup = Date.now();
        await sql`delete from queue_jobs where state = 'completed' and completed_at < ${Date.now() - this.#retentionMs}`.execute(
          this.#db,
        );
      }
    } catch (error) {
      this.#log.error({ err: error }, 'queue maintenance failed');
    } finally {
      this.#maintaining = false;
    }
  }

  /** Jobs whose worker stopped renewing their lease count a failed attempt, then retry or dead-letter. */
  async #expireLeases(): Promise<void> {
    const now = Date.now();
    const woken = new Set<string>();
    await this.#db.transaction().execute(async (trx) => {
      const { rows } = await sql<JobRow>`
        select * from queue_jobs where state = 'active' and lease_until < ${now} limit 500`.execute(trx);
      for (const row of rows) {
        const decision = decideAfterFailure(row.attempts, true, jobSettings(row));
        const error = JSON.stringify({
          name: 'LeaseExpired',
          message: 'the worker stopped renewing its lease (killed, or blocked too long)',
        });
        if (decision.kind === 'retry') {
          await sql`update queue_jobs set state = 'retry', run_at = ${now + Math.round(decision.delaySeconds * 1000)},
            error = ${error}, lease_until = null, lease_token = null where id = ${row.id}`.execute(trx);
        } else {
          await sql`update queue_jobs set state = 'failed', completed_at = ${now}, error = ${error},
            lease_until = null, lease_token = null where id = ${row.id}`.execute(trx);
        }
        woken.add(row.name);
        this.#log.warn(
          { queue: row.name, jobId: row.id, attempt: row.attempts, next: decision.kind },
          'job lease expired',
        );
      }
    });
    for (const name of woken) this.#wake(name);
  }

  async #fireSchedules(): Promise<void> {
    const now = Date.now();
    const sent: string[] = [];
    await this.#db.transaction().execute(async (trx) => {
      const { rows } = await sql<ScheduleRow>`
        select * from queue_schedules where next_run_at <= ${now}`.execute(trx);
      for (const s of rows) {
        // A schedule of a queue this process does not know is left for a process that does.
        const settings = this.#settings.get(s.name);
        if (!settings) continue;
        const onTime = now - s.next_run_at <= 60_000;
        if (onTime || s.missed === 'once') {
          const id = await this.#insert(trx, {
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
    for (const name of sent) this.#wake(name);
  }

  async schedule(
    name: string,
    cron: string,
    data: object = {},
    options: ScheduleOptions = {},
  ): Promise<void> {
    this.#queueSettings(name);
    const tz = options.tz ?? 'UTC';
    assertCron(cron, tz);
    const key = options.key ?? '';
    const now = Date.now();
    const next = nextOccurrence(cron, tz, new Date(now)).getTime();
    await sql`
      insert into queue_schedules (name, key, cron, tz, data, singleton_key, missed, next_run_at, updated_at)
      values (${name}, ${key}, ${cron}, ${tz}, ${JSON.stringify(data)},
        ${options.singletonKey ?? `schedule:${name}:${key}`}, ${options.missed ?? 'once'}, ${next}, ${now})
      on conflict (name, key) do update set cron = excluded.cron, tz = excluded.tz, data = excluded.data,
        singleton_key = excluded.singleton_key, missed = excluded.missed, updated_at = excluded.updated_at,
        -- Re-declaring an unchanged schedule at every start must not push back an occurrence that is due
        -- (or was missed while the service was down).
        next_run_at = case when queue_schedules.cron = excluded.cron and queue_schedules.tz = excluded.tz
          then queue_schedules.next_run_at else excluded.next_run_at end`.execute(this.#db);
  }

  async unschedule(name: string, key = ''): Promise<void> {
    await sql`delete from queue_schedules where name = ${name} and key = ${key}`.execute(this.#db);
  }

  async deadLetters(options: { name?: string; limit?: number } = {}): Promise<DeadLetter[]> {
    const limit = options.limit ?? 100;
    if (options.name !== undefined) this.#queueSettings(options.name);
    const { rows } = await sql<JobRow>`
      select * from queue_jobs where state = 'failed'
      ${options.name === undefined ? sql`` : sql`and name = ${options.name}`}
      order by completed_at, id limit ${limit}`.execute(this.#db);
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

  async redrive(target: { ids: string[] } | { name: string }): Promise<number> {
    if ('name' in target) this.#queueSettings(target.name);
    const now = Date.now();
    const filter =
      'ids' in target
        ? sql`id in (${sql.join(target.ids.length ? target.ids : [''])})`
        : sql`name = ${target.name}`;
    // OR IGNORE: a dead letter whose singleton key is held again by a newer job stays a dead letter.
    const { rows } = await sql<{ name: string }>`
      update or ignore queue_jobs
      set state = 'created', attempts = 0, run_at = ${now}, started_at = null, completed_at = null,
        lease_until = null, lease_token = null
      where state = 'failed' and ${filter}
      returning name`.execute(this.#db);
    for (const name of new Set(rows.map((r) => r.name))) this.#wake(name);
    this.#log.info({ target, moved: rows.length }, 'dead letters redriven');
    return rows.length;
  }

  async stats(): Promise<QueueStats[]> {
    const { rows } = await sql<{ name: string; state: string; n: number }>`
      select name, state, count(*) as n from queue_jobs group by name, state`.execute(this.#db);
    const byName = new Map<string, QueueStats>();
    const entry = (name: string): QueueStats => {
      let e = byName.get(name);
      if (!e) {
        e = { name, queued: 0, retry: 0, active: 0, completed: 0, deadLetters: 0 };
        byName.set(name, e);
      }
      return e;
    };
    for (const name of this.#settings.keys()) entry(name);
    for (const { name, state, n } of rows) {
      const e = entry(name);
      if (state === 'created') e.queued = n;
      else if (state === 'retry') e.retry = n;
      else if (state === 'active') e.active = n;
      else if (state === 'completed') e.completed = n;
      else if (state === 'failed') e.deadLetters = n;
    }
    return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  async stop(options: StopOptions = {}): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    const graceful = options.graceful ?? true;
    const timeoutMs = options.timeoutMs ?? 30_000;
    await Promise.all([...this.#loops.values()].flat().map((loop) => loop.stop()));
    const inFlight = [...this.#running.values()];
    if (graceful && inFlight.length > 0) {
      this.#log.info({ jobs: inFlight.length, timeoutMs }, 'waiting for in-flight jobs');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(inFlight.map((r) => r.finished)),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
    }
    // Whatever is still running is released: the attempt counts, and the job runs again (or is
    // dead-lettered if that was its last attempt), exactly as pg-boss does on shutdown.
    const left = [...this.#running.values()].filter((r) => !r.settled);
    for (const running of left) {
      const error = new Error('interrupted by shutdown');
      running.controller.abort(error);
      await this.#fail(running, running.row, error);
    }
    if (left.length) this.#log.warn({ jobs: left.map((r) => r.id) }, 'released in-flight jobs at shutdown');
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
    this.#log.info('queue stopped');
  }
}
