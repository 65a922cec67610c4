// The event inbox: every verified event becomes one row (unique per partner and `webhook-id`), and the
// job that processes it is written in the SAME transaction (a transactional outbox), so the 202 we send
// after the commit means "stored and scheduled" and a redelivery finds the row and does nothing more.
//
// Rows reach the database through a GroupCommitter: events that arrive together share one transaction
// and so one fsync. Each caller still gets its answer only after its own row committed. A group gets one
// job per partner listing its new rows (in arrival order) rather than one job per row: a job insert
// costs more than an inbox row, and per-row jobs halved ingest throughput. The job's handler applies the
// rows one by one and records each row's outcome in the row (status, attempts, error), so a retry of the
// job skips rows already done.
import { randomUUID } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { QueueDefinition } from '../queue/index.ts';
import type { Database } from '../store/index.ts';
import type { EventType } from './events.ts';
import { type GroupCommitOptions, GroupCommitter } from './group-commit.ts';

export const PLATFORM_EVENT_JOB = 'platform.events';

/** The queue the platform sends accepted events to; declare it with the queue at start. */
export const PLATFORM_QUEUES: QueueDefinition[] = [
  {
    name: PLATFORM_EVENT_JOB,
    retryLimit: 10,
    retryBackoff: true,
    retryDelaySeconds: 5,
    retryDelayMaxSeconds: 600,
  },
];

export interface InboxEntry {
  partnerId: string;
  webhookId: string;
  type: EventType;
  tenantId: string;
  caseId: string;
  occurredAt: string;
  /** The exact body that was signed, kept for the job and for audits. */
  rawBody: string;
}

/** What one processing job carries: new inbox rows of one partner, in the order they were received. */
export interface PlatformEventJob {
  partnerId: string;
  /** `event_inbox.id` values; the rows hold type, tenant, case and the raw body. */
  inboxIds: string[];
}

export type IngestOutcome = { status: 'accepted'; inboxId: string } | { status: 'duplicate' };

export interface InboxPorts {
  /** Runs `work` in one write transaction of the store and commits it before resolving. */
  writeTransaction<T>(work: (tx: Kysely<Database>) => Promise<T>): Promise<T>;
  /** Enqueues the processing job inside `tx` (the queue's transactional send). */
  enqueue(tx: Kysely<Database>, job: PlatformEventJob): Promise<void>;
  newId?: () => string;
  now?: () => string;
  /**
   * SQLite only: the store's own connection. Inside `writeTransaction` it is the transaction's
   * connection (the store's mutex is held), so rows can go through one cached prepared statement
   * instead of a Kysely-built multi-row INSERT that is compiled and prepared anew for every batch.
   */
  sqlite?: BetterSqlite3.Database | undefined;
}

const ROWS_PER_STATEMENT = 400;
const INSERT_SQL = `insert into event_inbox (id, partner_id, webhook_id, type, tenant_id, case_id, occurred_at,
  raw_body, received_at, status, attempts) values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', 0)
  on conflict (partner_id, webhook_id) do nothing`;
const statements = new WeakMap<BetterSqlite3.Database, BetterSqlite3.Statement>();

function insertStatement(db: BetterSqlite3.Database): BetterSqlite3.Statement {
  let statement = statements.get(db);
  if (!statement) {
    statement = db.prepare(INSERT_SQL);
    statements.set(db, statement);
  }
  return statement;
}

/** Writes a batch in one transaction; returns one outcome per entry, in order. */
export async function commitInboxBatch(
  ports: InboxPorts,
  entries: readonly InboxEntry[],
): Promise<IngestOutcome[]> {
  const newId = ports.newId ?? randomUUID;
  const now = (ports.now ?? (() => new Date().toISOString()))();
  // Postgres: concurrent batches take unique-index locks in one global order, so they cannot deadlock.
  const order = entries
    .map((entry, index) => ({ entry, index, id: newId() }))
    .sort((a, b) =>
      a.entry.partnerId === b.entry.partnerId
        ? a.entry.webhookId < b.entry.webhookId
          ? -1
          : a.entry.webhookId > b.entry.webhookId
            ? 1
            : a.index - b.index
        : a.entry.partnerId < b.entry.partnerId
          ? -1
          : 1,
    );
  return ports.writeTransaction(async (tx) => {
    const inserted = new Set<string>();
    if (ports.sqlite) {
      const insert = insertStatement(ports.sqlite);
      for (const { entry: e, id } of order) {
        const result = insert.run(
          id,
          e.partnerId,
          e.webhookId,
          e.type,
          e.tenantId,
          e.caseId,
          e.occurredAt,
          e.rawBody,
          now,
        );
        if (result.changes === 1) inserted.add(id);
      }
    } else {
      for (let i = 0; i < order.length; i += ROWS_PER_STATEMENT) {
        const rows = await tx
          .insertInto('event_inbox')
          .values(
            order.slice(i, i + ROWS_PER_STATEMENT).map(({ entry, id }) => ({
              id,
              partner_id: entry.partnerId,
              webhook_id: entry.webhookId,
              type: entry.type,
              tenant_id: entry.tenantId,
              case_id: entry.caseId,
              occurred_at: entry.occurredAt,
              raw_body: entry.rawBody,
              received_at: now,
              status: 'received',
              attempts: 0,
              processed_at: null,
              error: null,
            })),
          )
          .onConflict((oc) => oc.columns(['partner_id', 'webhook_id']).doNothing())
          .returning('id')
          .execute();
        for (const row of rows) inserted.add(row.id);
      }
    }
    const outcomes: IngestOutcome[] = new Array(entries.length);
    const jobs = new Map<string, string[]>();
    // Arrival order (not lock order) within each partner's job.
    for (const { entry, index, id } of [...order].sort((a, b) => a.index - b.index)) {
      if (!inserted.has(id)) {
        outcomes[index] = { status: 'duplicate' };
        continue;
      }
      outcomes[index] = { status: 'accepted', inboxId: id };
      const ids = jobs.get(entry.partnerId) ?? [];
      ids.push(id);
      jobs.set(entry.partnerId, ids);
    }
    for (const [partnerId, inboxIds] of jobs) await ports.enqueue(tx, { partnerId, inboxIds });
    return outcomes;
  });
}

export type InboxWriter = {
  write(entry: InboxEntry): Promise<IngestOutcome>;
  drain(): Promise<void>;
  stats: GroupCommitter<InboxEntry, IngestOutcome>['stats'];
};

export function createInboxWriter(ports: InboxPorts, options: GroupCommitOptions = {}): InboxWriter {
  const committer = new GroupCommitter<InboxEntry, IngestOutcome>(
    (batch) => commitInboxBatch(ports, batch),
    options,
  );
  return {
    write: (entry) => committer.submit(entry),
    drain: () => committer.drain(),
    stats: committer.stats,
  };
}
