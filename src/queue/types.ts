import type { CompiledQuery, QueryExecutorProvider, QueryResult } from 'kysely';

/**
 * The job queue port. Two adapters implement it (SQLite for the single-process default, pg-boss for
 * Postgres) and one contract suite (`queue.contract.test.ts`) holds both to the same behaviour.
 *
 * Delivery is at least once: a job whose worker dies mid-run runs again. Handlers must be idempotent
 * (docs/queue.md).
 */

/**
 * A transaction of the store (a Kysely `Transaction`, on SQLite or Postgres). `send(…, {tx})` writes the
 * job in it, so the job exists if and only if the transaction commits: the transactional outbox.
 */
export interface QueueTransaction extends QueryExecutorProvider {
  executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>;
}

/** How failed attempts are retried. Set per queue (`QueueDefinition`) and overridable per `send`. */
export interface RetryPolicy {
  /** Retries after the first attempt; the job runs at most `retryLimit + 1` times. */
  retryLimit: number;
  /** Delay before the first retry, in seconds. */
  retryDelaySeconds: number;
  /** Exponential backoff with jitter from `retryDelaySeconds` (else a fixed delay). */
  retryBackoff: boolean;
  /** Cap on any one backoff delay, in seconds. */
  retryDelayMaxSeconds: number;
}

export interface QueueSettings extends RetryPolicy {
  /** How long one attempt may run before it is aborted and counted as failed. */
  expireInSeconds: number;
}

/** Every queue the process sends to or works must be declared, so it can be created on `start()`. */
export interface QueueDefinition extends Partial<QueueSettings> {
  name: string;
}

export interface SendOptions extends Partial<QueueSettings> {
  /**
   * At most one job per key is queued, waiting for a retry, or active in this queue; a `send` with a key
   * already held returns `null` and creates nothing (e.g. `usage-sync:<partner>:<date>`).
   */
  singletonKey?: string;
  /** Do not run before this instant, or this many seconds from now. */
  startAfter?: Date | number;
  /** Write the job inside this store transaction (transactional outbox). */
  tx?: QueueTransaction;
}

export interface Job<T = unknown> {
  id: string;
  name: string;
  data: T;
  /** 1 on the first run; an attempt cut short by a dead worker or a shutdown counts too. */
  attempt: number;
  /** `retryLimit + 1`: the attempt after which a failure dead-letters the job. */
  maxAttempts: number;
  singletonKey: string | null;
}

/**
 * Runs one job. Resolve to complete it. Throw to fail the attempt: a `NonRetryableError` (or any error
 * with `retryable === false`, like most `ConnectWiseError`s) dead-letters it at once; anything else is
 * retried with backoff until `maxAttempts`, then dead-lettered. `signal` aborts when the attempt
 * expires, its lease is lost, or a graceful stop times out: stop work and throw.
 */
export type JobHandler<T = unknown> = (job: Job<T>, signal: AbortSignal) => Promise<void>;

export interface WorkOptions {
  /** Jobs of this queue run at once in this process. */
  concurrency?: number;
  /** Jobs claimed per fetch (at most `concurrency`). */
  batch?: number;
}

export interface ScheduleOptions {
  /** IANA time zone the cron expression is read in; default UTC. */
  tz?: string;
  /** Several schedules may feed one queue (one per partner, say); `key` tells them apart. Default ''. */
  key?: string;
  /**
   * Singleton key of the jobs the schedule sends; default `schedule:<name>:<key>`, so a tick is skipped
   * while the previous tick's job is still queued or running.
   */
  singletonKey?: string;
  /** An occurrence missed while no process was up: `once` sends one job for the latest (default). */
  missed?: 'skip' | 'once';
}

export interface JobError {
  name: string;
  message: string;
  code?: string;
}

export interface DeadLetter {
  /** Id to pass to `redrive({ids})`. On pg-boss this is the dead-letter copy's id, not `sourceId`. */
  id: string;
  /** The queue the job failed in. */
  name: string;
  /** The id the job had when it failed. */
  sourceId: string;
  data: unknown;
  singletonKey: string | null;
  attempts: number;
  error: JobError | null;
  failedAt: Date;
}

export interface QueueStats {
  name: string;
  /** Waiting to run (now or later). */
  queued: number;
  /** Waiting for a retry after a failed attempt. */
  retry: number;
  active: number;
  /** Completed and still retained. */
  completed: number;
  /** Dead letters waiting for an admin to redrive them. */
  deadLetters: number;
}

export interface StopOptions {
  /** Wait for in-flight jobs (up to `timeoutMs`) before releasing them; false releases them at once. */
  graceful?: boolean;
  timeoutMs?: number;
}

export type AttemptOutcome = 'completed' | 'retry' | 'dead_letter';

/** Hooks for prom-client (src/http). Queue depth comes from `stats()`, read in a gauge's `collect()`. */
export interface QueueMetrics {
  /** An attempt ended (run in this process), with what happens to the job next. */
  attemptEnded(name: string, outcome: AttemptOutcome, durationMs: number): void;
}

export interface JobQueue {
  readonly kind: 'sqlite' | 'pg-boss';
  /** Creates the declared queues (pg-boss), starts maintenance and the scheduler. Call once, first. */
  start(): Promise<void>;
  /** The new job's id, or `null` when `singletonKey` is already held. */
  send(name: string, data: object, options?: SendOptions): Promise<string | null>;
  /** Starts taking jobs of `name` in this process. */
  work<T = unknown>(name: string, options: WorkOptions, handler: JobHandler<T>): Promise<void>;
  /** Creates or replaces the schedule `(name, key)`. `cron` has 5 fields, or 6 with seconds first. */
  schedule(name: string, cron: string, data?: object, options?: ScheduleOptions): Promise<void>;
  unschedule(name: string, key?: string): Promise<void>;
  /** Dead letters, oldest first. */
  deadLetters(options?: { name?: string; limit?: number }): Promise<DeadLetter[]>;
  /** Puts dead letters back to run (fresh attempts); returns how many moved. */
  redrive(target: { ids: string[] } | { name: string }): Promise<number>;
  stats(): Promise<QueueStats[]>;
  /** Stops taking jobs, waits for in-flight ones up to `timeoutMs`, then releases the rest to run again. */
  stop(options?: StopOptions): Promise<void>;
}

/** Same rule as pg-boss, so a name valid on one adapter is valid on the other. */
export const QUEUE_NAME = /^[\w.\-/]+$/;
