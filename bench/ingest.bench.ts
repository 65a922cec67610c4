// Durable event ingest: signed Standard Webhooks deliveries accepted per second and the ack latency,
// against a real server process (test/platform/ingest-server.ts, the full app) on 127.0.0.1, with
// concurrent keep-alive senders in this process. Every delivery is distinct and freshly signed; a 202
// means the inbox row and its job were committed (SQLite: WAL, synchronous=FULL, group commit).
import { randomUUID } from 'node:crypto';
import { Pool } from 'undici';
import { signedEvent } from '../test/platform/harness.ts';
import { type IngestServer, postEvent, startIngestServer } from '../test/platform/ingest-process.ts';
import type { FreshDatabase } from '../test/support/databases.ts';
import { defineSuite, percentile } from './harness.ts';

// 32 concurrent senders saturate one SQLite writer on two cores; more senders add only queueing delay
// (at 64: about the same events/s, p99 roughly doubled). INGEST_BENCH_CONNECTIONS explores other loads.
const CONNECTIONS = Number(process.env['INGEST_BENCH_CONNECTIONS'] ?? 32);
const DURATION_MS = Number(process.env['INGEST_BENCH_SECONDS'] ?? 10) * 1000;
const WARMUP_MS = 2000;
const TARGET_EVENTS_PER_S = 2000;
const TARGET_P99_MS = 50;

async function stopServer(server: IngestServer): Promise<void> {
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  server.child.kill('SIGKILL');
}

const TYPES = [
  ['incident.created', { classification: 'unclassified', severity: 'high', subject: 'Invoice 4471 overdue' }],
  ['message.challenged', { sender: 'billing@vendor.example', recipients: ['ap@acme.example'] }],
  ['quarantine.release_requested', { requestedBy: 'user@acme.example', subject: 'Your parcel' }],
  ['ato.detected', { mailbox: 'ceo@acme.example', severity: 'critical', indicators: ['impossible travel'] }],
] as const;

function delivery(token: string, secret: string, n: number) {
  const [type, data] = TYPES[n % TYPES.length]!;
  const body = JSON.stringify({
    type,
    tenantId: `tenant-${n % 200}`,
    occurredAt: new Date().toISOString(),
    data: { caseId: `case-${randomUUID()}`, ...data },
  });
  return signedEvent(token, secret, { body });
}

interface LoadResult {
  accepted: number;
  other: number;
  errors: number;
  seconds: number;
  latencies: number[];
}

async function drive(server: IngestServer, durationMs: number, connections: number): Promise<LoadResult> {
  const pool = new Pool(server.url, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
  const result: LoadResult = { accepted: 0, other: 0, errors: 0, seconds: 0, latencies: [] };
  let n = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const sender = async () => {
    while (performance.now() < deadline) {
      const d = delivery(server.token, server.secret, n++);
      const t0 = performance.now();
      try {
        if ((await postEvent(pool, d)) === 202) {
          result.accepted += 1;
          result.latencies.push(performance.now() - t0);
        } else result.other += 1;
      } catch {
        result.errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, sender));
  result.seconds = (performance.now() - started) / 1000;
  await pool.close();
  return result;
}

export default defineSuite({
  name: 'ingest',
  rows: [
    'ingest.sqlite.events_per_s',
    'ingest.sqlite.ack_p50_ms',
    'ingest.sqlite.ack_p99_ms',
    'ingest.postgres.events_per_s',
    'ingest.postgres.ack_p50_ms',
    'ingest.postgres.ack_p99_ms',
  ],
  async run(ctx) {
    // Imported here, not at the top: the module probes Postgres when loaded, and `npm run bench` loads
    // every suite, including those it does not run.
    const { freshDatabase } = await import('../test/support/databases.ts');
    for (const dialect of ['sqlite', 'postgres'] as const) {
      if (!ctx.wants(`ingest.${dialect}.`)) continue;
      let database: FreshDatabase;
      try {
        database = await freshDatabase(dialect);
      } catch (error) {
        if (dialect === 'sqlite') throw error;
        const reason = error instanceof Error ? error.message : String(error);
        ctx.progress(`postgres: no database (${reason}): ingest.postgres.* skipped`);
        continue;
      }
      const server = await startIngestServer({ DATABASE_URL: database.databaseUrl, NODE_ENV: 'test' });
      try {
        ctx.progress(
          `${dialect}: warm-up ${WARMUP_MS} ms, then ${DURATION_MS / 1000} s with ${CONNECTIONS} senders`,
        );
        await drive(server, WARMUP_MS, CONNECTIONS);
        const r = await drive(server, DURATION_MS, CONNECTIONS);
        const notes = {
          connections: CONNECTIONS,
          seconds: Number(r.seconds.toFixed(1)),
          accepted: r.accepted,
          non_202: r.other,
          transport_errors: r.errors,
          durability:
            dialect === 'postgres'
              ? 'Postgres commit, group commit (4 in flight)'
              : 'WAL synchronous=FULL, group commit',
        };
        ctx.emit({
          name: `ingest.${dialect}.events_per_s`,
          value: Math.round(r.accepted / r.seconds),
          unit: 'events/s',
          ...(dialect === 'sqlite' ? { floor: TARGET_EVENTS_PER_S, target: TARGET_EVENTS_PER_S } : {}),
          ...notes,
        });
        ctx.emit({
          name: `ingest.${dialect}.ack_p50_ms`,
          value: Number(percentile(r.latencies, 50).toFixed(2)),
          unit: 'ms',
          samples: r.latencies.length,
        });
        ctx.emit({
          name: `ingest.${dialect}.ack_p99_ms`,
          value: Number(percentile(r.latencies, 99).toFixed(2)),
          unit: 'ms',
          samples: r.latencies.length,
          ...(dialect === 'sqlite' ? { ceiling: TARGET_P99_MS, target: TARGET_P99_MS } : {}),
        });
      } finally {
        await stopServer(server);
        await database.drop();
      }
    }
  },
});
