// The platform side: tenants, usage snapshots, event schemas and the signed ingest routes.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/index.ts';
import type { JobQueue } from '../queue/index.ts';
import type { SecretBox } from '../secrets/index.ts';
import { newId, SEALED_FIELDS, type Store } from '../store/index.ts';
import { PLATFORM_EVENT_JOB } from './inbox.ts';
import { type PlatformApiOptions, platformApiPlugin } from './routes.ts';

export { CredentialResolver, hashPlatformToken } from './credentials.ts';
export {
  CASE_KIND_OF,
  type CaseKind,
  EVENT_TYPES,
  type EventType,
  INCIDENT_CLASSIFICATIONS,
  type PlatformEvent,
  platformEventSchema,
} from './events.ts';
export { type GroupCommitOptions, GroupCommitter } from './group-commit.ts';
export {
  commitInboxBatch,
  createInboxWriter,
  type InboxEntry,
  type InboxWriter,
  type IngestOutcome,
  PLATFORM_EVENT_JOB,
  PLATFORM_QUEUES,
  type PlatformEventJob,
} from './inbox.ts';
export {
  addWebhookSecret,
  issuePlatformToken,
  MAX_ACTIVE_WEBHOOK_SECRETS,
  newPlatformToken,
  newWebhookSecret,
  revokeWebhookSecret,
} from './partner-credentials.ts';
export {
  PLATFORM_API_PREFIX,
  type PlatformApi,
  type PlatformApiOptions,
  platformApiPlugin,
} from './routes.ts';
export { type TenantBody, type TenantView, upsertTenant } from './tenants.ts';
export { recordUsage, type UsageBody } from './usage.ts';
export { signWebhook, verifyWebhook } from './webhook-signature.ts';

export interface PlatformDeps {
  config: Pick<Config, 'webhook' | 'ingest'>;
  store: Store;
  queue: Pick<JobQueue, 'send'>;
  secrets: Pick<SecretBox, 'open'>;
}

/** Plugin options from the service's parts: SQLite gets one commit in flight, Postgres a few. */
export function platformApiOptions(
  deps: PlatformDeps,
  overrides: Partial<PlatformApiOptions> = {},
): PlatformApiOptions {
  const { config, store, queue, secrets } = deps;
  return {
    db: store.db,
    writeTransaction: (work) => store.writeTransaction(work),
    enqueue: async (tx, job) => {
      await queue.send(PLATFORM_EVENT_JOB, job, { tx });
    },
    openWebhookSecret: (partnerId, secretId, sealed) =>
      secrets.open(sealed, { partnerId, field: SEALED_FIELDS.webhookSecret, recordId: secretId }),
    sqlite: store.sqlite,
    newId: () => newId(),
    toleranceSeconds: config.webhook.toleranceSeconds,
    maxBodyBytes: config.ingest.maxBodyBytes,
    groupCommit:
      store.dialect === 'sqlite' ? { concurrency: 1, maxBatch: 400 } : { concurrency: 4, maxBatch: 200 },
    ...overrides,
  };
}

/**
 * For `buildApp({plugins: [platformApi(deps)]})`: mounts the platform API (full paths, no prefix) in its
 * own encapsulated context.
 */
export function platformApi(
  deps: PlatformDeps,
  overrides: Partial<PlatformApiOptions> = {},
): (app: FastifyInstance) => Promise<void> {
  return async (app) => {
    await app.register(platformApiPlugin, platformApiOptions(deps, overrides));
  };
}
