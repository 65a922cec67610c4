import type { Logger } from 'pino';
import type { Store } from '../store/index.ts';
import { PgBossJobQueue, type PgBossQueueOptions } from './pgboss/adapter.ts';
import { SqliteJobQueue, type SqliteQueueOptions } from './sqlite/adapter.ts';
import type { JobQueue, QueueDefinition, QueueMetrics } from './types.ts';

export { isRetryable, NonRetryableError, UnknownQueueError } from './errors.ts';
export { DEFAULT_SETTINGS, decideAfterFailure, retryDelaySeconds } from './policy.ts';
export type {
  AttemptOutcome,
  DeadLetter,
  Job,
  JobError,
  JobHandler,
  JobQueue,
  QueueDefinition,
  QueueMetrics,
  QueueSettings,
  QueueStats,
  QueueTransaction,
  RetryPolicy,
  ScheduleOptions,
  SendOptions,
  StopOptions,
  WorkOptions,
} from './types.ts';
export { PgBossJobQueue, type PgBossQueueOptions, SqliteJobQueue, type SqliteQueueOptions };

export interface JobQueueOptions {
  queues: QueueDefinition[];
  logger: Logger;
  metrics?: QueueMetrics;
  /** Idle poll of each worker (SQLite default 500 ms, pg-boss 2000 ms, ≥ 500). */
  pollIntervalMs?: number;
  /** Run lease/heartbeat supervision and the scheduler here (default true; off for send-only processes). */
  maintenance?: boolean;
  /** SQLite: lease a worker renews while a job runs (default 30 s). */
  leaseSeconds?: number;
  /** pg-boss: heartbeat a running job must keep (default 30 s, ≥ 10). */
  heartbeatSeconds?: number;
  /** pg-boss: supervision interval (default 15 s): a killed worker's job is retried within heartbeat + this. */
  superviseIntervalSeconds?: number;
  /** pg-boss: how often due schedules are checked (default 15 s). */
  cronIntervalSeconds?: number;
}

/**
 * The queue for a store: SQLite-backed in the store's own file, or pg-boss in the store's Postgres
 * database. Call `start()` before use and `stop()` on shutdown.
 */
export function createJobQueue(
  store: Pick<Store, 'db' | 'dialect' | 'databaseUrl'>,
  options: JobQueueOptions,
): JobQueue {
  if (store.dialect === 'sqlite') {
    return new SqliteJobQueue({
      db: store.db,
      queues: options.queues,
      logger: options.logger,
      ...(options.metrics ? { metrics: options.metrics } : {}),
      ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
      ...(options.leaseSeconds === undefined ? {} : { leaseSeconds: options.leaseSeconds }),
      ...(options.maintenance === undefined ? {} : { maintenance: options.maintenance }),
    });
  }
  return new PgBossJobQueue({
    connectionString: store.databaseUrl,
    queues: options.queues,
    logger: options.logger,
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
    ...(options.heartbeatSeconds === undefined ? {} : { heartbeatSeconds: options.heartbeatSeconds }),
    ...(options.superviseIntervalSeconds === undefined
      ? {}
      : { superviseIntervalSeconds: options.superviseIntervalSeconds }),
    ...(options.cronIntervalSeconds === undefined
      ? {}
      : { cronIntervalSeconds: options.cronIntervalSeconds }),
    ...(options.maintenance === undefined ? {} : { maintenance: options.maintenance }),
  });
}
