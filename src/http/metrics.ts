import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, type Metric, Registry } from 'prom-client';
import type { QueueMetrics } from '../queue/index.ts';

export interface MetricsSources {
  /** Jobs waiting per state (e.g. `{ queued: 3, active: 1, dead: 0 }`), read at scrape time. */
  queueCounts?: (() => Promise<Record<string, number>>) | undefined;
  /** Metrics made before the app (the queue's attempt counters), added to its registry. */
  extra?: Metric[] | undefined;
}

/** The queue's hooks (`createJobQueue({metrics})`) and the metrics they feed, for `buildApp`. */
export interface QueueMetricsCollector extends QueueMetrics {
  readonly metrics: Metric[];
}

/**
 * Made before the queue and the app: the queue reports each attempt here, and `buildApp({queueMetrics})`
 * exposes the counts on /metrics.
 */
export function createQueueMetrics(): QueueMetricsCollector {
  const attempts = new Counter({
    name: 'psa_bridge_queue_attempts_total',
    help: 'Job attempts run in this process, by queue and what happens next (completed, retry, dead_letter)',
    labelNames: ['queue', 'outcome'],
    registers: [],
  });
  const duration = new Histogram({
    name: 'psa_bridge_queue_attempt_duration_seconds',
    help: 'Job attempt duration by queue and outcome',
    labelNames: ['queue', 'outcome'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [],
  });
  return {
    metrics: [attempts, duration],
    attemptEnded(name, outcome, durationMs) {
      attempts.inc({ queue: name, outcome });
      duration.observe({ queue: name, outcome }, durationMs / 1000);
    },
  };
}

/**
 * One registry per app (not prom-client's global one), so several apps in one test process do not
 * collide. Route labels are the route pattern (`/api/v1/tenants/:id`), never the raw URL, to keep
 * cardinality bounded and ids out of metrics.
 */
export function installMetrics(app: FastifyInstance, sources: MetricsSources): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'psa_bridge_' });
  for (const metric of sources.extra ?? []) registry.registerMetric(metric);

  const duration = new Histogram({
    name: 'psa_bridge_http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const denied = new Counter({
    name: 'psa_bridge_access_denied_total',
    help: 'Requests refused by the access checks, by reason',
    labelNames: ['reason'],
    registers: [registry],
  });
  new Gauge({
    name: 'psa_bridge_queue_jobs',
    help: 'Jobs in the queue by state',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      if (!sources.queueCounts) return;
      this.reset();
      try {
        for (const [state, count] of Object.entries(await sources.queueCounts())) this.set({ state }, count);
      } catch {
        // A scrape must not fail because the queue is briefly unreachable; /readyz reports that.
      }
    },
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  app.decorate('countDenied', (reason: string) => denied.inc({ reason }));
  return registry;
}

declare module 'fastify' {
  interface FastifyInstance {
    countDenied(reason: string): void;
  }
}
