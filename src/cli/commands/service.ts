import type { Logger } from 'pino';
import type { Config } from '../../config/index.ts';
import { createLogger, createQueueMetrics, type QueueMetricsCollector } from '../../http/index.ts';
import { PLATFORM_QUEUES } from '../../platform/index.ts';
import {
  createJobQueue,
  type JobHandler,
  type JobQueue,
  type QueueDefinition,
  type WorkOptions,
} from '../../queue/index.ts';
import { createSecretBox, followKeyring, type SecretBox } from '../../secrets/index.ts';
import { createStore, type Store } from '../../store/index.ts';

/** A queue a worker process runs, with its handler. Later areas (tickets, billing) add theirs here. */
export interface WorkerJob {
  name: string;
  options: WorkOptions;
  handler: JobHandler;
}

/** Every queue the service sends to or works; declared up front so `start()` can create them. */
export function queueDefinitions(): QueueDefinition[] {
  return [...PLATFORM_QUEUES];
}

/** The handlers `serve` (unless --no-worker) and `worker` run. */
export function workerJobs(_service: Service): WorkerJob[] {
  return [];
}

export interface Service {
  config: Config;
  logger: Logger;
  store: Store;
  secrets: SecretBox;
  queue: JobQueue;
  /** Attempt counters the queue feeds; `serve` shows them on /metrics. */
  queueMetrics: QueueMetricsCollector;
  /** Migrations applied by this start (all of them on a new database). */
  applied: string[];
}

/**
 * Opens what both `serve` and `worker` need: logger, store (migrated), keyring, queue (started, with its
 * lease sweep and scheduler, which every service process runs).
 */
export async function openService(config: Config): Promise<Service> {
  const logger = createLogger(config.logLevel);
  const store = createStore(config);
  try {
    const applied = await store.migrate();
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    // Follows master.key, so `keys rotate` (another process) needs no restart of this one.
    const secrets = createSecretBox(
      followKeyring(config, {
        onChange: (keyring) =>
          logger.info(
            { keyId: keyring.current.id, keys: keyring.byId.size },
            'master key file changed: keyring reloaded',
          ),
      }),
    );
    const queueMetrics = createQueueMetrics();
    const queue = createJobQueue(store, {
      queues: queueDefinitions(),
      logger,
      metrics: queueMetrics,
    });
    await queue.start();
    return { config, logger, store, secrets, queue, queueMetrics, applied };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** Starts the worker loops of every known job in this process. */
export async function startWorkers(service: Service): Promise<number> {
  const jobs = workerJobs(service);
  for (const job of jobs) await service.queue.work(job.name, job.options, job.handler);
  return jobs.length;
}

/**
 * Runs `stop` once on the first SIGTERM or SIGINT; a second signal, or a stop that takes longer than
 * `hardLimitMs`, exits at once with code 1.
 */
export function onShutdownSignal(logger: Logger, stop: () => Promise<void>, hardLimitMs = 35_000): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('shutdown took too long: exiting');
      process.exit(1);
    }, hardLimitMs);
    timer.unref();
    stop().then(
      () => {
        clearTimeout(timer);
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
