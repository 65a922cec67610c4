// A real platform API for tests and the benchmark: a migrated store, the real queue adapter, sealed
// secrets, and the plugin on a Fastify instance listening on 127.0.0.1. One partner with a token and one
// webhook secret is created; `signedEvent` builds a delivery the way the platform sends it.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { Agent, request } from 'undici';
import {
  addWebhookSecret,
  issuePlatformToken,
  PLATFORM_API_PREFIX,
  PLATFORM_QUEUES,
  type PlatformApi,
  type PlatformApiOptions,
  platformApiOptions,
  platformApiPlugin,
  signWebhook,
} from '../../src/platform/index.ts';
import { createSecretBox, keyringOf, type SecretBox } from '../../src/secrets/index.ts';
import { createPartner, newId, type Store } from '../../src/store/index.ts';
import { createTestQueue, type TestQueue } from './queue.ts';

export interface PlatformHarness {
  url: string;
  app: FastifyInstance;
  store: Store;
  queue: TestQueue;
  box: SecretBox;
  api: PlatformApi;
  partnerId: string;
  token: string;
  secret: string;
  close(): Promise<void>;
}

export async function startPlatform(
  store: Store,
  overrides: Partial<PlatformApiOptions> = {},
): Promise<PlatformHarness> {
  const box = createSecretBox(keyringOf(Buffer.alloc(32, 7)));
  const queue = await createTestQueue(store, PLATFORM_QUEUES);
  const partnerId = newId();
  await createPartner(store.db, { id: partnerId, name: `Partner ${partnerId.slice(-6)}` });
  const token = await issuePlatformToken(store.db, partnerId);
  const { secret } = await store.writeTransaction((tx) => addWebhookSecret(tx, box, partnerId));
  let api: PlatformApi | undefined;
  const app = Fastify({ logger: false });
  await app.register(
    platformApiPlugin,
    platformApiOptions(
      {
        config: { webhook: { toleranceSeconds: 300 }, ingest: { maxBodyBytes: 64 * 1024 } },
        store,
        queue,
        secrets: box,
      },
      {
        credentialCacheMs: 0,
        expose: (a) => {
          api = a;
        },
        ...overrides,
      },
    ),
  );
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    app,
    store,
    queue,
    box,
    api: api!,
    partnerId,
    token,
    secret,
    async close() {
      await app.close();
      await queue.stop();
    },
  };
}

export interface Delivery {
  id: string;
  timestamp: number;
  body: string;
  headers: Record<string, string>;
}

export function eventBody(
  overrides: Record<string, unknown> = {},
  data: Record<string, unknown> = {},
): string {
  return JSON.stringify({
    type: 'incident.created',
    tenantId: 'acme',
    occurredAt: new Date().toISOString(),
    data: { caseId: `inc-${randomUUID()}`, classification: 'unclassified', severity: 'high', ...data },
    ...overrides,
  });
}

export function signedEvent(
  token: string,
  secrets: string | string[],
  options: { id?: string; timestamp?: number; body?: string } = {},
): Delivery {
  const id = options.id ?? `msg_${randomUUID()}`;
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const body = options.body ?? eventBody();
  const signature = (Array.isArray(secrets) ? secrets : [secrets])
    .map((s) => signWebhook(s, id, timestamp, body))
    .join(' ');
  return {
    id,
    timestamp,
    body,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signature,
    },
  };
}

const agent = new Agent({ connections: 128, keepAliveTimeout: 10_000 });

export async function send(
  baseUrl: string,
  method: 'POST' | 'PUT',
  path: string,
  headers: Record<string, string>,
  body: string | Buffer,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await request(`${baseUrl}${PLATFORM_API_PREFIX}${path}`, {
    method,
    headers,
    body,
    dispatcher: agent,
  });
  const text = await res.body.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { text };
  }
  return { status: res.statusCode, json };
}

export function deliver(baseUrl: string, d: Delivery) {
  return send(baseUrl, 'POST', '/events', d.headers, d.body);
}
