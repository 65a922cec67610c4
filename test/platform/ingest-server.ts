// A real ingest server in its own process, for the crash test (T10) and the benchmark:
//   node test/platform/ingest-server.ts   with DATABASE_URL, and PARTNER_TOKEN + WEBHOOK_SECRET to reuse
//   the partner a previous run created. INGEST_APP=bare mounts the plugin on a plain Fastify instead of
//   the full app (buildApp). Prints one JSON line {url, partnerId, token, secret} once listening.
import { performance } from 'node:perf_hooks';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { loadConfig } from '../../src/config/index.ts';
import { buildApp } from '../../src/http/index.ts';
import {
  addWebhookSecret,
  hashPlatformToken,
  issuePlatformToken,
  PLATFORM_QUEUES,
  platformApi,
} from '../../src/platform/index.ts';
import { createJobQueue } from '../../src/queue/index.ts';
import { createSecretBox, keyringOf } from '../../src/secrets/index.ts';
import { createPartner, createStore } from '../../src/store/index.ts';

const MASTER_KEY = Buffer.alloc(32, 11).toString('base64');
const config = loadConfig({
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  DATABASE_URL: process.env['DATABASE_URL'],
  DATABASE_POOL_MAX: process.env['DATABASE_POOL_MAX'] ?? '16',
  PSA_BRIDGE_MASTER_KEY: MASTER_KEY,
  DATA_DIR: process.env['DATA_DIR'] ?? '/tmp/psa-ingest-server',
  PORT: '0',
});
const logger = pino({ level: 'silent' });
const store = createStore(config);
await store.migrate();
const queue = createJobQueue(store, { queues: PLATFORM_QUEUES, logger });
await queue.start();
const box = createSecretBox(keyringOf(Buffer.from(MASTER_KEY, 'base64')));

let token = process.env['PARTNER_TOKEN'];
let secret = process.env['WEBHOOK_SECRET'];
let partnerId: string;
if (token && secret) {
  const row = await store.db
    .selectFrom('partners')
    .select('id')
    .where('api_token_hash', '=', hashPlatformToken(token))
    .executeTakeFirstOrThrow();
  partnerId = row.id;
} else {
  partnerId = (await createPartner(store.db, { name: 'Ingest bench' })).id;
  token = await issuePlatformToken(store.db, partnerId);
  secret = (await store.writeTransaction((tx) => addWebhookSecret(tx, box, partnerId))).secret;
}

const deps = { config, store, queue, secrets: box };
let app: FastifyInstance;
if (process.env['INGEST_APP'] === 'bare') {
  app = Fastify({ logger: false });
  await platformApi(deps)(app);
} else {
  app = await buildApp({
    config,
    store,
    queue,
    secrets: box,
    logger,
    plugins: [platformApi(deps)],
  });
}
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ url, partnerId, token, secret })}\n`);

// INGEST_STATS=1: on SIGUSR2 start a window; at exit print CPU and event-loop use for it (diagnostics).
let window = { cpu: process.cpuUsage(), elu: performance.eventLoopUtilization(), at: performance.now() };
if (process.env['INGEST_STATS'] === '1') {
  process.on('SIGUSR2', () => {
    window = { cpu: process.cpuUsage(), elu: performance.eventLoopUtilization(), at: performance.now() };
  });
  process.on('exit', () => {
    const cpu = process.cpuUsage(window.cpu);
    const wall = performance.now() - window.at;
    const elu = performance.eventLoopUtilization(window.elu).utilization;
    process.stderr.write(
      `ingest-server: wall ${wall.toFixed(0)} ms, cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms ` +
        `(sys ${(cpu.system / 1000).toFixed(0)}), event loop busy ${(elu * 100).toFixed(0)}%\n`,
    );
  });
}

const stop = async () => {
  await app.close();
  await queue.stop({ graceful: false });
  await store.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
