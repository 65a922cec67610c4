import { type Kysely, sql } from 'kysely';
import type { Logger } from 'pino';
import { resolveSettings, startAfterMs } from '../policy.ts';
import { assertCanWork, QueueRegistry } from '../registry.ts';
import type {
  DeadLetter,
  JobHandler,
  JobQueue,
  QueueDefinition,
  QueueMetrics,
  QueueStats,
  ScheduleOptions,
  SendOptions,
  StopOptions,
  WorkOptions,
} from '../types.ts';
import { WorkerLoop } from '../worker-loop.ts';
import { RunningAttempts } from './attempts.ts';
import { listDeadLetters, redriveDeadLetters } from './dead-letters.ts';
import { claimJobs, expireLapsedLeases } from './leases.ts';
import { deleteSchedule, fireDueSchedules, upsertSchedule } from './scheduler.ts';
import { insertJob } from './send.ts';
import { countJobs } from './stats.ts';

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

/** Completed jobs older than the retention are deleted at most this often. */
const CLEANUP_EVERY_MS = 3_600_000;

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
  readonly #registry: QueueRegistry;
  readonly #attempts: RunningAttempts<DB>;
  readonly #pollMs: number;
  readonly #leaseMs: number;
  readonly #maintenanceMs: number;
  readonly #retentionMs: number;
  readonly #maintenance: boolean;
  readonly #loops = new Map<string, WorkerLoop[]>();
  #timers: NodeJS.Timeout[] = [];
  #started = false;
  #stopping = false;
  #lastCleanup = 0;
  #maintaining = false;

  constructor(options: SqliteQueueOptions<DB>) {
    this.#db = options.db;
    this.#log = options.logger.child({ component: 'queue', adapter: 'sqlite' });
    this.#registry = new QueueRegistry(options.queues);
    this.#pollMs = options.pollIntervalMs ?? 500;
    this.#leaseMs = (options.leaseSeconds ?? 30) * 1000;
    this.#maintenanceMs = options.maintenanceIntervalMs ?? Math.max(250, Math.floor(this.#leaseMs / 2));
    this.#retentionMs = (options.completedRetentionSeconds ?? 7 * 86_400) * 1000;
    this.#maintenance = options.maintenance ?? true;
    this.#attempts = new RunningAttempts({
      db: this.#db,
      log: this.#log,
      metrics: options.metrics,
      leaseMs: this.#leaseMs,
    });
  }

  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    const renewEveryMs = Math.max(100, Math.floor(this.#leaseMs / 3));
    this.#timers.push(setInterval(() => void this.#attempts.renewLeases(), renewEveryMs));
    if (this.#maintenance) {
      this.#timers.push(setInterval(() => void this.#maintain(), this.#maintenanceMs));
      await this.#maintain();
    }
    this.#log.info({ queues: this.#registry.names() }, 'queue started');
  }

  async send(name: string, data: object, options: SendOptions = {}): Promise<string | null> {
    const settings = resolveSettings(name, this.#registry.settingsOf(name), options);
    const id = await insertJob(options.tx ?? this.#db, {
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

  #wake(name: string): void {
    for (const loop of this.#loops.get(name) ?? []) loop.wake();
  }

  async work<T = unknown>(name: string, options: WorkOptions, handler: JobHandler<T>): Promise<void> {
    assertCanWork(this.#registry, name, this.#started, this.#stopping);
    const concurrency = options.concurrency ?? 1;
    const loop: WorkerLoop = new WorkerLoop({
      concurrency,
      batch: options.batch ?? concurrency,
      pollMs: this.#pollMs,
      claim: async (limit) => {
        if (this.#stopping) return 0;
        const rows = await claimJobs(this.#db, name, limit, this.#leaseMs);
        for (const row of rows) this.#attempts.run(row, handler as JobHandler, loop.began());
        return rows.length;
      },
      onError: (error) => this.#log.error({ err: error, queue: name }, 'claiming jobs failed'),
    });
    const loops = this.#loops.get(name) ?? [];
    loops.push(loop);
    this.#loops.set(name, loops);
  }

  /** The sweep: lapsed leases, due schedules and, now and then, old completed jobs. */
  async #maintain(): Promise<void> {
    if (this.#stopping || this.#maintaining) return;
    this.#maintaining = true;
    try {
      for (const name of await expireLapsedLeases(this.#db, this.#log)) this.#wake(name);
      for (const name of await fireDueSchedules(this.#db, this.#registry)) this.#wake(name);
      if (Date.now() - this.#lastCleanup > CLEANUP_EVERY_MS) {
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

  async schedule(
    name: string,
    cron: string,
    data: object = {},
    options: ScheduleOptions = {},
  ): Promise<void> {
    this.#registry.settingsOf(name);
    await upsertSchedule(this.#db, name, cron, data, options);
  }

  async unschedule(name: string, key = ''): Promise<void> {
    await deleteSchedule(this.#db, name, key);
  }

  async deadLetters(options: { name?: string; limit?: number } = {}): Promise<DeadLetter[]> {
    if (options.name !== undefined) this.#registry.settingsOf(options.name);
    return listDeadLetters(this.#db, { name: options.name, limit: options.limit ?? 100 });
  }

  async redrive(target: { ids: string[] } | { name: string }): Promise<number> {
    if ('name' in target) this.#registry.settingsOf(target.name);
    const names = await redriveDeadLetters(this.#db, target);
    for (const name of new Set(names)) this.#wake(name);
    this.#log.info({ target, moved: names.length }, 'dead letters redriven');
    return names.length;
  }

  async stats(): Promise<QueueStats[]> {
    return countJobs(this.#db, this.#registry.names());
  }

  async stop(options: StopOptions = {}): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    const graceful = options.graceful ?? true;
    const timeoutMs = options.timeoutMs ?? 30_000;
    await Promise.all([...this.#loops.values()].flat().map((loop) => loop.stop()));
    if (graceful && this.#attempts.size > 0) {
      this.#log.info({ jobs: this.#attempts.size, timeoutMs }, 'waiting for in-flight jobs');
      await this.#attempts.drain(timeoutMs);
    }
    const released = await this.#attempts.releaseAll();
    if (released.length) this.#log.warn({ jobs: released }, 'released in-flight jobs at shutdown');
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
    this.#log.info('queue stopped');
  }
}
