import { randomUUID } from 'node:crypto';
import { fromKysely, type JobResult, type JobWithMetadata, PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import { assertCron } from '../cron.ts';
import { fromStoredError, isRetryable, toJobError, UnknownQueueError } from '../errors.ts';
import { resolveSettings } from '../policy.ts';
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
import { QUEUE_NAME } from '../types.ts';

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

/**
 * pg-boss needs a singleton key on every job of an `exclusive` queue, or all keyless jobs would share
 * one; jobs sent without a key get a private one with this prefix, reported back as `null`.
 */
const PRIVATE_KEY = '~job:';

const deadLetterQueue = (name: string) => `${name}.dead-letters`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
  readonly #settings = new Map<string, QueueSettings>();
  readonly #schema: string;
  readonly #pollSeconds: number;
  readonly #heartbeatSeconds: number;
  readonly #deadLetterRetention: number;
  #started = false;
  #stopping = false;

  constructor(options: PgBossQueueOptions) {
    this.#log = options.logger.child({ component: 'queue', adapter: 'pg-boss' });
    this.#metrics = options.metrics;
    for (const q of options.queues) {
      if (!QUEUE_NAME.test(q.name)) throw new TypeError(`queue name "${q.name}" must match ${QUEUE_NAME}`);
      this.#settings.set(q.name, resolveSettings(q.name, q));
    }
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
    for (const [name, s] of this.#settings) {
      const dlq = deadLetterQueue(name);
      await this.#boss.createQueue(dlq, { retentionSeconds: this.#deadLetterRetention });
      const options = {
        deadLetter: dlq,
        retryLimit: s.retryLimit,
        retryDelay: s.retryDelaySeconds,
        retryBackoff: s.retryBackoff,
        // pg-boss refuses a cap without backoff (a fixed delay needs none).
        retryDelayMax: s.retryBackoff ? s.retryDelayMaxSeconds : null,
        expireInSeconds: s.expireInSeconds,
        heartbeatSeconds: this.#heartbeatSeconds,
      };
      const { retryDelayMax, ...rest } = options;
      await this.#boss.createQueue(name, {
        ...rest,
        ...(retryDelayMax === null ? {} : { retryDelayMax }),
        policy: 'exclusive',
        notify: true,
      });
      // createQueue leaves an existing queue as it was; settings changed since then apply from here.
      await this.#boss.updateQueue(name, options);
    }
    this.#log.info({ queues: [...this.#settings.keys()] }, 'queue started');
  }

  #queueSettings(name: string): QueueSettings {
    const settings = this.#settings.get(name);
    if (!settings) throw new UnknownQueueError(name);
    return settings;
  }

  async send(name: string, data: object, options: SendOptions = {}): Promise<string | null> {
    const s = resolveSettings(name, this.#queueSettings(name), options);
    return this.#boss.send(name, data ?? {}, {
      singletonKey: options.singletonKey ?? `${PRIVATE_KEY}${randomUUID()}`,
      retryLimit: s.retryLimit,
      retryDelay: s.retryDelaySeconds,
      retryBackoff: s.retryBackoff,
      ...(s.retryBackoff ? { retryDelayMax: s.retryDelayMaxSeconds } : {}),
      expireInSeconds: s.expireInSeconds,
      ...(options.startAfter === undefined ? {} : { startAfter: options.startAfter }),
      ...(options.tx ? { db: fromKysely(options.tx) } : {}),
    });
  }

  async work<T = unknown>(name: string, options: WorkOptions, handler: JobHandler<T>): Promise<void> {
    this.#queueSettings(name);
    if (!this.#started) throw new Error('start() the queue before work()');
    if (this.#stopping) throw new Error('the queue is stopping');
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
      const last = job.attempt >= job.maxAttempts;
      const outcome = retryable && !last ? 'retry' : 'dead_letter';
      this.#metrics?.attemptEnded(meta.name, outcome, Date.now() - started);
      const fields = {
        queue: meta.name,
        jobId: meta.id,
        attempt: job.attempt,
        error: toJobError(error),
        retryable,
      };
      if (outcome === 'retry') this.#log.warn(fields, 'job attempt failed; will retry');
      else this.#log.error(fields, 'job dead-lettered');
      return { id: meta.id, status: retryable ? 'failed' : 'deadletter', output: toJobError(error) };
    }
  }

  async schedule(
    name: string,
    cron: string,
    data: object = {},
    options: ScheduleOptions = {},
  ): Promise<void> {
    const s = resolveSettings(name, this.#queueSettings(name));
    const tz = options.tz ?? 'UTC';
    assertCron(cron, tz);
    const key = options.key ?? '';
    await this.#boss.schedule(name, cron, data, {
      tz,
      ...(key ? { key } : {}),
      missed: options.missed ?? 'once',
      singletonKey: options.singletonKey ?? `schedule:${name}:${key}`,
      retryLimit: s.retryLimit,
      retryDelay: s.retryDelaySeconds,
      retryBackoff: s.retryBackoff,
      ...(s.retryBackoff ? { retryDelayMax: s.retryDelayMaxSeconds } : {}),
      expireInSeconds: s.expireInSeconds,
    });
  }

  async unschedule(name: string, key = ''): Promise<void> {
    await this.#boss.unschedule(name, key || undefined);
  }

  async deadLetters(options: { name?: string; limit?: number } = {}): Promise<DeadLetter[]> {
    const limit = options.limit ?? 100;
    const names = options.name === undefined ? [...this.#settings.keys()] : [options.name];
    const all: DeadLetter[] = [];
    for (const name of names) {
      this.#queueSettings(name);
      const jobs = await this.#boss.findJobs<unknown>(deadLetterQueue(name), { queued: true, limit });
      for (const j of jobs) {
        all.push({
          id: j.id,
          name: j.sourceName ?? name,
          sourceId: j.sourceId ?? j.id,
          data: j.data,
          singletonKey: publicKey(j.singletonKey),
          attempts: (j.sourceRetryCount ?? 0) + 1,
          error: fromStoredError(j.sourceOutput),
          failedAt: new Date(j.createdOn),
        });
      }
    }
    all.sort((a, b) => a.failedAt.getTime() - b.failedAt.getTime() || a.id.localeCompare(b.id));
    return all.slice(0, limit);
  }

  async redrive(target: { ids: string[] } | { name: string }): Promise<number> {
    let moved = 0;
    if ('ids' in target) {
      // Only a UUID can be a pg-boss job id; anything else would make Postgres reject the whole cast.
      const ids = target.ids.filter((id) => UUID.test(id));
      if (ids.length === 0) return 0;
      for (const name of this.#settings.keys()) {
        moved += await this.#boss.redrive(deadLetterQueue(name), { ids, destination: name });
      }
    } else {
      this.#queueSettings(target.name);
      for (;;) {
        const n = await this.#boss.redrive(deadLetterQueue(target.name), { destination: target.name });
        moved += n;
        if (n < 1000) break;
      }
    }
    this.#log.info({ target, moved }, 'dead letters redriven');
    return moved;
  }

  async stats(): Promise<QueueStats[]> {
    // Read from the job table rather than getQueues(), whose counts are cached between supervise passes.
    const names = [...this.#settings.keys()];
    const { rows } = await this.#boss
      .getDb()
      .executeSql(
        `SELECT name, state::text AS state, count(*)::int AS n FROM ${this.#schema}.job WHERE name = ANY($1::text[]) GROUP BY 1, 2`,
        [[...names, ...names.map(deadLetterQueue)]],
      );
    const byName = new Map(
      names.map((name) => [name, { name, queued: 0, retry: 0, active: 0, completed: 0, deadLetters: 0 }]),
    );
    for (const { name, state, n } of rows as Array<{ name: string; state: string; n: number }>) {
      const source = byName.get(name);
      if (source) {
        if (state === 'created') source.queued = n;
        else if (state === 'retry') source.retry = n;
        else if (state === 'active') source.active = n;
        else if (state === 'completed') source.completed = n;
        continue;
      }
      const dlqOf = names.find((q) => deadLetterQueue(q) === name);
      const entry = dlqOf ? byName.get(dlqOf) : undefined;
      if (entry && (state === 'created' || state === 'retry')) entry.deadLetters += n;
    }
    return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
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

function publicKey(key: string | null): string | null {
  return key === null || key.startsWith(PRIVATE_KEY) ? null : key;
}
