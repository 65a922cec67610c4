import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { isRetryable, toJobError } from '../errors.ts';
import { decideAfterFailure } from '../policy.ts';
import { logFailedAttempt } from '../reporting.ts';
import type { Job, JobHandler, QueueMetrics } from '../types.ts';
import { extendLeases } from './leases.ts';
import { type JobRow, jobSettings } from './rows.ts';
import { settleCompleted, settleFailure } from './settle.ts';

interface Attempt {
  row: JobRow;
  token: string;
  controller: AbortController;
  /** Set once the attempt's outcome is written (or its lease was lost): later outcomes are dropped. */
  settled: boolean;
  startedAt: number;
  /** Resolves when the handler has returned (or thrown), whether or not the attempt was settled first. */
  finished: Promise<void>;
}

/**
 * The attempts this process is running: runs each handler under its expiry, writes the outcome fenced
 * on the attempt's lease, keeps the leases renewed, and releases what is left at shutdown.
 */
export class RunningAttempts<DB> {
  readonly #db: Kysely<DB>;
  readonly #log: Logger;
  readonly #metrics: QueueMetrics | undefined;
  readonly #leaseMs: number;
  readonly #byToken = new Map<string, Attempt>();

  constructor(options: { db: Kysely<DB>; log: Logger; metrics: QueueMetrics | undefined; leaseMs: number }) {
    this.#db = options.db;
    this.#log = options.log;
    this.#metrics = options.metrics;
    this.#leaseMs = options.leaseMs;
  }

  get size(): number {
    return this.#byToken.size;
  }

  /** Runs a claimed row's handler; `end` is called once the handler is done and its outcome written. */
  run(row: JobRow, handler: JobHandler, end: () => void): void {
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
    const attempt: Attempt = {
      row,
      token: row.lease_token!,
      controller,
      settled: false,
      startedAt: Date.now(),
      finished: Promise.resolve(),
    };
    this.#byToken.set(attempt.token, attempt);
    const expiry = setTimeout(() => {
      const error = new Error(`job ran longer than expireInSeconds (${settings.expireInSeconds})`);
      controller.abort(error);
      // If this write fails the lease lapses once the handler returns, and the sweep retries the job.
      this.#fail(attempt, error).catch((e) =>
        this.#log.error({ err: e, queue: row.name, jobId: row.id }, 'failing an expired job failed'),
      );
    }, settings.expireInSeconds * 1000);
    attempt.finished = (async () => {
      try {
        await handler(job, controller.signal);
        clearTimeout(expiry);
        await this.#complete(attempt);
      } catch (error) {
        clearTimeout(expiry);
        await this.#fail(attempt, error);
      } finally {
        this.#byToken.delete(attempt.token);
        end();
      }
    })().catch((error) =>
      this.#log.error({ err: error, queue: row.name, jobId: row.id }, 'settling a job failed'),
    );
  }

  async #complete(attempt: Attempt): Promise<void> {
    if (attempt.settled) return;
    attempt.settled = true;
    const { row } = attempt;
    const written = await settleCompleted(this.#db, { id: row.id, leaseToken: attempt.token });
    const duration = Date.now() - attempt.startedAt;
    if (!written) {
      this.#log.warn({ queue: row.name, jobId: row.id }, 'job finished after its lease was lost');
      return;
    }
    this.#metrics?.attemptEnded(row.name, 'completed', duration);
    this.#log.debug({ queue: row.name, jobId: row.id, durationMs: duration }, 'job completed');
  }

  async #fail(attempt: Attempt, error: unknown): Promise<void> {
    if (attempt.settled) return;
    attempt.settled = true;
    const { row } = attempt;
    const retryable = isRetryable(error);
    const decision = decideAfterFailure(row.attempts, retryable, jobSettings(row));
    const now = Date.now();
    const jobError = toJobError(error);
    const written = await settleFailure(
      this.#db,
      { id: row.id, leaseToken: attempt.token },
      decision,
      JSON.stringify(jobError),
      now,
    );
    if (!written) return;
    const willRetry = decision.kind === 'retry';
    this.#metrics?.attemptEnded(row.name, willRetry ? 'retry' : 'dead_letter', now - attempt.startedAt);
    logFailedAttempt(this.#log, willRetry, {
      queue: row.name,
      jobId: row.id,
      attempt: row.attempts,
      error: jobError,
      ...(decision.kind === 'retry' ? { retryInSeconds: decision.delaySeconds } : { retryable }),
    });
  }

  /** Extends the leases of the jobs running here; a job whose lease was lost meanwhile is aborted. */
  async renewLeases(): Promise<void> {
    const tokens = [...this.#byToken.values()].filter((a) => !a.settled).map((a) => a.token);
    if (tokens.length === 0) return;
    try {
      const held = await extendLeases(this.#db, tokens, this.#leaseMs);
      for (const token of tokens) {
        const attempt = this.#byToken.get(token);
        if (attempt && !attempt.settled && !held.has(token)) {
          attempt.settled = true;
          attempt.controller.abort(new Error('lease lost: the job was handed to another worker'));
          this.#log.warn(
            { queue: attempt.row.name, jobId: attempt.row.id },
            'job lease lost; aborting the handler',
          );
        }
      }
    } catch (error) {
      this.#log.error({ err: error }, 'renewing job leases failed');
    }
  }

  /** Waits for every running handler to return, or for `timeoutMs`, whichever comes first. */
  async drain(timeoutMs: number): Promise<void> {
    const inFlight = [...this.#byToken.values()];
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(inFlight.map((a) => a.finished)),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }

  /**
   * Aborts what is still running and fails its attempt: the attempt counts, and the job runs again (or is
   * dead-lettered if that was its last attempt), exactly as pg-boss does on shutdown. Returns the job ids.
   */
  async releaseAll(): Promise<string[]> {
    const left = [...this.#byToken.values()].filter((a) => !a.settled);
    for (const attempt of left) {
      const error = new Error('interrupted by shutdown');
      attempt.controller.abort(error);
      await this.#fail(attempt, error);
    }
    return left.map((a) => a.row.id);
  }
}
