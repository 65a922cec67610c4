// The platform API (DESIGN §6) as one encapsulated Fastify plugin. It declares its routes with their full
// paths (`/api/v1/platform/…`), so it is registered WITHOUT a prefix. Events get a raw-body parser of
// their own: the signature covers the exact bytes received, so nothing may parse (or re-serialize) them
// before verification.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { badRequest, errorHandler, HttpError, unauthorized } from '../http/index.ts';
import type { Database } from '../store/index.ts';
import { type CredentialPorts, CredentialResolver, type PartnerCredentials } from './credentials.ts';
import { type PlatformEvent, platformEventSchema, tenantIdSchema } from './events.ts';
import type { GroupCommitOptions } from './group-commit.ts';
import { createInboxWriter, type InboxPorts, type InboxWriter } from './inbox.ts';
import { tenantBodySchema, upsertTenant } from './tenants.ts';
import { duplicateItem, recordUsage, usageBodySchema } from './usage.ts';
import { parseOrThrow } from './validation.ts';
import { DEFAULT_TOLERANCE_SECONDS, type VerifyFailure, verifyWebhook } from './webhook-signature.ts';

export const PLATFORM_API_PREFIX = '/api/v1/platform';

export interface PlatformApiOptions {
  /** Reads (credentials) and the write transaction the inbox, tenants and usage use. */
  db: Kysely<Database>;
  writeTransaction: InboxPorts['writeTransaction'];
  /** Transactional job send for accepted events. */
  enqueue: InboxPorts['enqueue'];
  openWebhookSecret: CredentialPorts['openWebhookSecret'];
  /** SQLite: the store's connection, for the inbox's prepared-statement fast path (see inbox.ts). */
  sqlite?: InboxPorts['sqlite'];
  newId?: () => string;
  /** Webhook timestamp tolerance, both directions (config `WEBHOOK_TOLERANCE_SECONDS`). */
  toleranceSeconds?: number;
  /** Largest event body accepted (config `INGEST_MAX_BODY_BYTES`); larger → 413. */
  maxBodyBytes?: number;
  /** Largest tenant/usage body; usage for thousands of tenants is bigger than one event. */
  maxUsageBodyBytes?: number;
  /** How long a resolved token and its secrets are reused; 0 disables the cache. */
  credentialCacheMs?: number;
  /** Group commit of inbox rows (see group-commit.ts); Postgres benefits from concurrency > 1. */
  groupCommit?: GroupCommitOptions;
  /** Clock for signature tolerance, in Unix seconds (tests). */
  nowSeconds?: () => number;
  /** Called once with the plugin's inbox writer and credential cache (shutdown, stats, tests). */
  expose?: (api: PlatformApi) => void;
}

declare module 'fastify' {
  interface FastifyRequest {
    platformPartner?: PartnerCredentials;
  }
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer ([A-Za-z0-9._~+/=-]{16,512})$/.exec(header.trim());
  return match?.[1];
}

function partnerOf(request: FastifyRequest): PartnerCredentials {
  const partner = request.platformPartner;
  if (!partner) throw unauthorized('send Authorization: Bearer <platform API token>');
  return partner;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(' ') : value;
}

/** JSON.parse that drops `__proto__` keys, so a parsed event can never carry a prototype. */
function parseJson(raw: string): unknown {
  if (!raw.includes('__proto__')) return JSON.parse(raw);
  return JSON.parse(raw, (key, value) => (key === '__proto__' ? undefined : value));
}

export interface PlatformApi {
  /** The inbox writer, for draining on shutdown and for the benchmark's batch statistics. */
  inbox: InboxWriter;
  credentials: CredentialResolver;
}

/**
 * `app.register(platformApiPlugin, options)`. The plugin drains its inbox writer in `onClose`, so every
 * request waiting for its commit gets it before the app has closed.
 */
export async function platformApiPlugin(app: FastifyInstance, options: PlatformApiOptions): Promise<void> {
  const credentials = new CredentialResolver(
    { db: options.db, openWebhookSecret: options.openWebhookSecret },
    { cacheMs: options.credentialCacheMs ?? 1000 },
  );
  const inboxPorts: InboxPorts = {
    writeTransaction: options.writeTransaction,
    enqueue: options.enqueue,
    sqlite: options.sqlite,
  };
  if (options.newId) inboxPorts.newId = options.newId;
  const inbox = createInboxWriter(inboxPorts, options.groupCommit);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const maxBody = options.maxBodyBytes ?? 256 * 1024;
  const maxUsageBody = Math.max(maxBody, options.maxUsageBodyBytes ?? 8 * 1024 * 1024);
  const nowSeconds = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));

  options.expose?.({ inbox, credentials });
  app.setErrorHandler(errorHandler);
  app.addHook('onClose', async () => inbox.drain());

  // Authenticate before the body is read: an unknown caller never gets to upload anything.
  app.addHook('onRequest', async (request) => {
    const token = bearer(request);
    if (!token) throw unauthorized('send Authorization: Bearer <platform API token>');
    const partner = await credentials.resolve(token);
    if (!partner) throw unauthorized('the platform API token is not valid');
    request.platformPartner = partner;
  });

  app.put<{ Params: { tenantId: string } }>(
    `${PLATFORM_API_PREFIX}/tenants/:tenantId`,
    { bodyLimit: maxUsageBody },
    async (request, reply) => {
      const { partnerId } = partnerOf(request);
      const tenantId = parseOrThrow(tenantIdSchema, request.params.tenantId, 'params.tenantId');
      const body = parseOrThrow(tenantBodySchema, request.body, 'body');
      const now = new Date().toISOString();
      const result = await options.writeTransaction((tx) => upsertTenant(tx, partnerId, tenantId, body, now));
      return reply.code(result.created ? 201 : 200).send({ tenant: result.tenant });
    },
  );

  app.post(`${PLATFORM_API_PREFIX}/usage`, { bodyLimit: maxUsageBody }, async (request, reply) => {
    const { partnerId } = partnerOf(request);
    const body = parseOrThrow(usageBodySchema, request.body, 'body');
    const duplicate = duplicateItem(body);
    if (duplicate) throw duplicate;
    const now = new Date().toISOString();
    const result = await options.writeTransaction((tx) => recordUsage(tx, partnerId, body, now));
    return reply.code(200).send({ date: body.date, upserted: result.upserted });
  });

  await app.register(async (events) => {
    events.removeAllContentTypeParsers();
    events.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBody }, (_req, body, done) =>
      done(null, body),
    );
    events.post(`${PLATFORM_API_PREFIX}/events`, { bodyLimit: maxBody }, async (request, reply) =>
      ingestEvent(request, reply),
    );
  });

  async function ingestEvent(request: FastifyRequest, reply: FastifyReply) {
    const partner = partnerOf(request);
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const webhookId = header(request, 'webhook-id');
    const verdict = verifyWebhook(
      {
        id: webhookId,
        timestamp: header(request, 'webhook-timestamp'),
        signature: header(request, 'webhook-signature'),
      },
      raw,
      partner.webhookSecrets,
      { toleranceSeconds: tolerance, nowSeconds: nowSeconds() },
    );
    if (!verdict.ok) {
      request.log.info({ reason: verdict.reason, partnerId: partner.partnerId }, 'webhook refused');
      throw new HttpError(401, 'invalid_signature', SIGNATURE_MESSAGES[verdict.reason]);
    }
    if (webhookId!.length > 255) {
      throw badRequest('headers.webhook-id', 'at most 255 characters');
    }
    const text = raw.toString('utf8');
    let json: unknown;
    try {
      json = parseJson(text);
    } catch {
      throw badRequest('body', 'expected a valid JSON document');
    }
    const event = parseOrThrow(platformEventSchema, json, 'body') as PlatformEvent;
    const outcome = await inbox.write({
      partnerId: partner.partnerId,
      webhookId: webhookId!,
      type: event.type,
      tenantId: event.tenantId,
      caseId: event.data.caseId,
      occurredAt: new Date(event.occurredAt).toISOString(),
      rawBody: text,
    });
    return reply.code(202).send({ id: webhookId, status: outcome.status });
  }
}

const SIGNATURE_MESSAGES: Record<VerifyFailure, string> = {
  missing_headers: 'webhook-id, webhook-timestamp and webhook-signature headers are required',
  bad_timestamp: 'webhook-timestamp must be Unix seconds',
  timestamp_too_old: 'webhook-timestamp is too old; check the sender clock or resend with a new signature',
  timestamp_too_new: 'webhook-timestamp is in the future; check the sender clock',
  no_matching_signature: 'no v1 signature matches a webhook secret of this partner',
};
