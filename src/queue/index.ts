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
  // Unset options stay undefined: each adapter fills in its own defaults.
  const { queues, logger, metrics, pollIntervalMs, maintenance } = options;
  if (store.dialect === 'sqlite') {
    return new SqliteJobQueue({
      db: store.db,
      queues,
      logger,
      metrics,
      pollIntervalMs,
      maintenance,
      leaseSeconds: options.leaseSeconds,
    });
  }
  return new PgBossJobQueue({
    connectionString: store.databaseUrl,
    queues,
    logger,
    metrics,
    pollIntervalMs,
    maintenance,
    heartbeatSeconds: options.heartbeatSeconds,
    superviseIntervalSeconds: options.superviseIntervalSeconds,
    cronIntervalSeconds: options.cronIntervalSeconds,
  });
}
