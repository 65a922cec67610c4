import { fromKysely, type JobResult, type JobWithMetadata, PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import { resolveSchedule } from '../cron.ts';
import { isRetryable, toJobError } from '../errors.ts';
import { resolveSettings } from '../policy.ts';
import { assertCanWork, QueueRegistry } from '../registry.ts';
import { logFailedAttempt } from '../reporting.ts';
import type {
  DeadLetter,
  Job,
  JobHandler,
  JobQueue,
  QueueDefinition,
  QueueMetrics,
  QueueSettings,
  QueueStats,
  ScheduleOptions,
  SendOptions,
  StopOptions,
  WorkOptions,
} from '../types.ts';
import { deadLetterQueue, isJobId, listDeadLetters, redriveIds, redriveQueue } from './dead-letters.ts';
import { privateKey, publicKey } from './singleton-keys.ts';
import { countJobs } from './stats.ts';

export interface PgBossQueueOptions {
  /** postgres://… of the store's database; pg-boss keeps its tables in its own schema there. */
  connectionString: string;
  queues: QueueDefinition[];
  logger: Logger;
  metrics?: QueueMetrics;
  /** pg-boss's schema (default `pgboss`). */
  schema?: string;
  /** pg-boss's own pool size. */
  poolMax?: number;
  /** Idle poll of each worker; LISTEN/NOTIFY wakes workers at once when a job is created. */
  pollIntervalMs?: number;
  /**
   * A running job's worker touches it this often (half of it); a job not touched for this long (a killed
   * worker) is failed and retried by the supervisor. pg-boss requires ≥ 10.
   */
  heartbeatSeconds?: number;
  /** How often expiry and heartbeat timeouts are checked (and queue stats cached). */
  superviseIntervalSeconds?: number;
  /** How often due schedules are checked (1–45 s). */
  cronIntervalSeconds?: number;
  /** Dead letters are kept this long before pg-boss deletes them. */
  deadLetterRetentionSeconds?: number;
  /** Supervise (expiry, heartbeat, retention) and run schedules from this process. */
  maintenance?: boolean;
}

/** A job's retry and expiry settings as pg-boss's send and schedule options spell them. */
function retryOptions(s: QueueSettings) {
  return {
    retryLimit: s.retryLimit,
    retryDelay: s.retryDelaySeconds,
    retryBackoff: s.retryBackoff,
    // pg-boss refuses a cap without backoff (a fixed delay needs none).
    ...(s.retryBackoff ? { retryDelayMax: s.retryDelayMaxSeconds } : {}),
    expireInSeconds: s.expireInSeconds,
  };
}

/**
 * Postgres, many processes: pg-boss (SKIP LOCKED fetches, retries with backoff, dead letter queues,
 * heartbeats, cron). Every queue uses the `exclusive` policy so a singleton key admits one queued,
 * retrying or active job, as on SQLite.
 */
export class PgBossJobQueue implements JobQueue {
  readonly kind = 'pg-boss' as const;
  readonly #boss: PgBoss;
  readonly #log: Logger;
  readonly #metrics: QueueMetrics | undefined;
  readonly #registry: QueueRegistry;
  readonly #schema: string;
  readonly #pollSeconds: number;
  readonly #heartbeatSeconds: number;
  readonly #deadLetterRetention: number;
  #started = false;
  #stopping = false;

  constructor(options: PgBossQueueOptions) {
    this.#log = options.logger.child({ component: 'queue', adapter: 'pg-boss' });
    this.#metrics = options.metrics;
    this.#registry = new QueueRegistry(options.queues);
    this.#schema = options.schema ?? 'pgboss';
    this.#pollSeconds = Math.max(0.5, (options.pollIntervalMs ?? 2000) / 1000);
    this.#heartbeatSeconds = options.heartbeatSeconds ?? 30;
    this.#deadLetterRetention = options.deadLetterRetentionSeconds ?? 30 * 86_400;
    const maintenance = options.maintenance ?? true;
    const cron = options.cronIntervalSeconds ?? 15;
    this.#boss = new PgBoss({
      connectionString: options.connectionString,
      schema: this.#schema,
      max: options.poolMax ?? 10,
      application_name: 'psa-bridge-queue',
      useListenNotify: true,
      supervise: maintenance,
      schedule: maintenance,
      superviseIntervalSeconds: options.superviseIntervalSeconds ?? 15,
      monitorIntervalSeconds: options.superviseIntervalSeconds ?? 15,
      cronMonitorIntervalSeconds: cron,
      cronWorkerIntervalSeconds: cron,
    });
    this.#boss.on('error', (error) => this.#log.error({ err: error }, 'pg-boss error'));
    this.#boss.on('warning', (warning) => this.#log.warn({ data: warning.data }, warning.message));
  }

  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    await this.#boss.start();
    for (const [name, s] of this.#registry.entries()) {
      const dlq = deadLetterQueue(name);
      await this.#boss.createQueue(dlq, { retentionSeconds: this.#deadLetterRetention });
      const settings = { deadLetter: dlq, ...retryOptions(s), heartbeatSeconds: this.#heartbeatSeconds };
      await this.#boss.createQueue(name, { ...settings, policy: 'exclusive', notify: true });
      // createQueue leaves an existing queue as it was; settings changed since then apply from here.
      // A null cap clears one an earlier version set (retryOptions leaves it out without backoff).
      await this.#boss.updateQueue(name, { ...settings, retryDelayMax: settings.retryDelayMax ?? null });
    }
    this.#log.info({ queues: this.#registry.names() }, 'queue started');
  }

  async send(name: string, data: object, options: SendOptions = {}): Promise<string | null> {
    const s = resolveSettings(name, this.#registry.settingsOf(name), options);
    return this.#boss.send(name, data ?? {}, {
      singletonKey: options.singletonKey ?? privateKey(),
      ...retryOptions(s),
      ...(options.startAfter === undefined ? {} : { startAfter: options.startAfter }),
      ...(options.tx ? { db: fromKysely(options.tx) } : {}),
    });
  }

  async work<T = unknown>(name: string, options: WorkOptions, handler: JobHandler<T>): Promise<void> {
    assertCanWork(this.#registry, name, this.#started, this.#stopping);
    const concurrency = options.concurrency ?? 1;
    const batchSize = Math.max(1, Math.min(options.batch ?? 1, concurrency));
    await this.#boss.work(
      name,
      {
        batchSize,
        localConcurrency: Math.max(1, Math.ceil(concurrency / batchSize)),
        includeMetadata: true,
        perJobResults: true,
        pollingIntervalSeconds: this.#pollSeconds,
        // NOTIFY only announces new jobs; a retry or a delayed job coming due is found by polling, so the
        // poll must not relax to pg-boss's 30 s backstop while NOTIFY is up.
        notifyPollingIntervalSeconds: this.#pollSeconds,
      },
      (jobs: JobWithMetadata<T>[]) => Promise.all(jobs.map((job) => this.#runOne(job, handler))),
    );
  }

  async #runOne<T>(meta: JobWithMetadata<T>, handler: JobHandler<T>): Promise<JobResult> {
    const started = Date.now();
    const job: Job<T> = {
      id: meta.id,
      name: meta.name,
      data: meta.data,
      attempt: meta.retryCount + 1,
      maxAttempts: meta.retryLimit + 1,
      singletonKey: publicKey(meta.singletonKey),
    };
    try {
      await handler(job, meta.signal);
      this.#metrics?.attemptEnded(meta.name, 'completed', Date.now() - started);
      return { id: meta.id, status: 'completed' };
    } catch (error) {
      const retryable = isRetryable(error);
      const jobError = toJobError(error);
      const last = job.attempt >= job.maxAttempts;
      const outcome = retryable && !last ? 'retry' : 'dead_letter';
      this.#metrics?.attemptEnded(meta.name, outcome, Date.now() - started);
      logFailedAttempt(this.#log, outcome === 'retry', {
        queue: meta.name,
        jobId: meta.id,
        attempt: job.attempt,
        error: jobError,
        retryable,
      });
      return { id: meta.id, status: retryable ? 'failed' : 'deadletter', output: jobError };
    }
  }

  async schedule(
    name: string,
    cron: string,
    data: object = {},
    options: ScheduleOptions = {},
  ): Promise<void> {
    const s = this.#registry.settingsOf(name);
    const { tz, key, missed, singletonKey } = resolveSchedule(name, cron, options);
    await this.#boss.schedule(name, cron, data, {
      tz,
      ...(key ? { key } : {}),
      missed,
      singletonKey,
      ...retryOptions(s),
    });
  }

  async unschedule(name: string, key = ''): Promise<void> {
    await this.#boss.unschedule(name, key || undefined);
  }

  async deadLetters(options: { name?: string; limit?: number } = {}): Promise<DeadLetter[]> {
    const names = options.name === undefined ? this.#registry.names() : [options.name];
    for (const name of names) this.#registry.settingsOf(name);
    return listDeadLetters(this.#boss, names, options.limit ?? 100);
  }

  async redrive(target: { ids: string[] } | { name: string }): Promise<number> {
    let moved: number;
    if ('ids' in target) {
      const ids = target.ids.filter(isJobId);
      if (ids.length === 0) return 0;
      moved = await redriveIds(this.#boss, this.#registry.names(), ids);
    } else {
      this.#registry.settingsOf(target.name);
      moved = await redriveQueue(this.#boss, target.name);
    }
    this.#log.info({ target, moved }, 'dead letters redriven');
    return moved;
  }

  async stats(): Promise<QueueStats[]> {
    return countJobs(this.#boss, this.#schema, this.#registry.names());
  }

  async stop(options: StopOptions = {}): Promise<void> {
    if (this.#stopping || !this.#started) return;
    this.#stopping = true;
    // pg-boss stops fetching, waits for in-flight handlers up to the timeout, then fails what is left
    // (the attempt counts; the job runs again, or is dead-lettered after its last attempt) and aborts it.
    await this.#boss.stop({
      graceful: options.graceful ?? true,
      timeout: Math.max(1000, options.timeoutMs ?? 30_000),
    });
    this.#log.info('queue stopped');
  }
}
