export { type AppDeps, buildApp } from './app.ts';
export { type AuditRecord, type AuditWriter, encodeForAudit } from './audit.ts';
export { insertAudit, storeAuditWriter } from './audit-store.ts';
export {
  badRequest,
  type ErrorBody,
  errorHandler,
  forbidden,
  HttpError,
  notFound,
  unauthorized,
} from './errors.ts';
export { CSRF_HEADER, type RequestAuth } from './guard.ts';
export { createLogger, loggerOptions, REDACT_PATHS } from './logger.ts';
export { createQueueMetrics, type QueueMetricsCollector } from './metrics.ts';
export { CONSOLE_PREFIX, PLATFORM_PREFIX, type RouteEntry, type RouteKind } from './route-table.ts';
export { CONSOLE_API_PREFIX } from './routes/index.ts';
export type { ReadinessCheck } from './routes/ops.ts';
