import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import {
  cookiePolicy,
  createLoginLimiter,
  type SessionService,
  sessionService,
  usersRepository,
} from '../auth/index.ts';
import type { Config } from '../config/index.ts';
import type { JobQueue } from '../queue/index.ts';
import type { Store } from '../store/index.ts';
import type { AuditWriter } from './audit.ts';
import { storeAuditWriter } from './audit-store.ts';
import {
  ANONYMOUS_DENIAL_MAX_KEYS,
  ANONYMOUS_DENIAL_WINDOW_MS,
  createDenialCoalescer,
} from './denial-coalescer.ts';
import { errorHandler, notFoundHandler } from './errors.ts';
import { installGuard } from './guard.ts';
import { createLogger } from './logger.ts';
import { installMetrics, type QueueMetricsCollector } from './metrics.ts';
import { openApiOptions } from './openapi.ts';
import { installRouteTable } from './route-table.ts';
import type { ConsoleDeps } from './routes/deps.ts';
import { consoleRoutes } from './routes/index.ts';
import { landingRoutes } from './routes/landing.ts';
import { opsRoutes, type ReadinessCheck } from './routes/ops.ts';

export interface AppDeps {
  config: Config;
  store: Store;
  /** The job queue; dead-letter routes, queue metrics and /readyz use it. */
  queue?: JobQueue;
  /** pino logger (secrets redacted); default: one built from `config.logLevel`. */
  logger?: Logger;
  /** Clock for sessions, login limits and audit coalescing windows, injectable for timeout tests. */
  clock?: () => Date;
  /** The queue's attempt metrics (`createQueueMetrics()`, also given to `createJobQueue`), shown on /metrics. */
  queueMetrics?: QueueMetricsCollector;
  /** Seals and opens secrets bound to a partner and field (src/secrets). */
  secrets?: ConsoleDeps['secrets'];
  /**
   * Mounts extra route plugins (the platform API, later areas) after the console routes; each gets the
   * root instance and registers itself (with its own encapsulation, auth and error handling).
   */
  plugins?: Array<(app: FastifyInstance) => Promise<void>>;
  /** Extra readiness checks (e.g. `queue: () => queueStarted`); each throws or resolves false when not ready. */
  readiness?: Record<string, ReadinessCheck>;
  version?: string;
}

/**
 * The whole HTTP service, built apart from `listen()` so tests use `app.inject` or listen on port 0.
 * Route groups: ops (`/healthz`, `/readyz`, `/metrics`, `/api/openapi.json`), the console API under
 * `/api/v1/` (cookie session, CSRF header, role check), and plugins such as the platform API.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, store } = deps;
  const logger = deps.logger ?? createLogger(config.logLevel);
  const clock = deps.clock ?? (() => new Date());
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // Client addresses come from the socket; proxy headers are not trusted (ASVS 4.1.3).
    trustProxy: false,
    bodyLimit: Math.max(config.ingest.maxBodyBytes, 64 * 1024),
    requestTimeout: 30_000,
    connectionTimeout: 30_000,
    keepAliveTimeout: 10_000,
    return503OnClosing: true,
    ajv: { customOptions: { removeAdditional: false, allErrors: false } },
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);

  installRouteTable(app);
  const metrics = installMetrics(app, {
    queueCounts: deps.queue ? () => queueCounts(deps.queue as JobQueue) : undefined,
    extra: deps.queueMetrics?.metrics,
  });
  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    hsts: config.secureCookies ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
  const cookie = cookiePolicy(config.publicUrl);
  await app.register(fastifySwagger, openApiOptions(deps.version ?? '0.1.0', config.publicUrl, cookie.name));

  const audit: AuditWriter = storeAuditWriter(store, logger);
  const sessions: SessionService = sessionService(
    store.db,
    { idleMs: config.session.idleMinutes * 60_000, absoluteMs: config.session.absoluteHours * 3_600_000 },
    clock,
  );
  const anonymousDenials = createDenialCoalescer({
    windowMs: ANONYMOUS_DENIAL_WINDOW_MS,
    maxKeys: ANONYMOUS_DENIAL_MAX_KEYS,
    now: () => clock().getTime(),
  });
  installGuard(app, {
    sessions,
    cookie,
    publicOrigin: new URL(config.publicUrl).origin,
    audit,
    anonymousDenials,
  });

  const consoleDeps: ConsoleDeps = {
    config,
    store,
    queue: deps.queue,
    secrets: deps.secrets,
    audit,
    anonymousDenials,
    sessions,
    users: usersRepository(store.db),
    cookie,
    clock,
    loginLimiter: createLoginLimiter({
      limit: config.loginRateLimit,
      windowMs: 15 * 60_000,
      now: () => clock().getTime(),
    }),
  };

  await app.register(landingRoutes);
  await app.register(opsRoutes, { store, queue: deps.queue, metrics, readiness: deps.readiness ?? {} });
  await app.register(async (api) => {
    api.setValidatorCompiler(validatorCompiler);
    api.setSerializerCompiler(serializerCompiler);
    await consoleRoutes(api.withTypeProvider<ZodTypeProvider>(), consoleDeps);
  });
  for (const plugin of deps.plugins ?? []) await plugin(app);

  await app.ready();
  return app;
}

async function queueCounts(queue: JobQueue): Promise<Record<string, number>> {
  const totals = { queued: 0, retry: 0, active: 0, dead_letter: 0 };
  for (const s of await queue.stats()) {
    totals.queued += s.queued;
    totals.retry += s.retry;
    totals.active += s.active;
    totals.dead_letter += s.deadLetters;
  }
  return totals;
}
