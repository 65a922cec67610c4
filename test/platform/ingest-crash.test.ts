// T10-lite: a real ingest server process is killed with SIGKILL while it acknowledges events, several
// times; afterwards every event that got a 202 is in the inbox, has its job, and SQLite is intact.
import { sql } from 'kysely';
import { Pool } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { PLATFORM_EVENT_JOB, type PlatformEventJob } from '../../src/platform/index.ts';
import { createStore } from '../../src/store/index.ts';
import { type FreshDatabase, freshDatabase } from '../support/databases.ts';
import { signedEvent } from './harness.ts';
import { postEvent, startIngestServer } from './ingest-process.ts';
import { jobPayloads } from './queue.ts';

const ROUNDS = 4;

describe('ingest survives kill -9 [sqlite]', () => {
  let db: FreshDatabase | undefined;
  afterAll(async () => {
    await db?.drop();
  });

  it('loses no acknowledged event and keeps the database intact', { timeout: 90_000 }, async () => {
    db = await freshDatabase('sqlite');
    const acked = new Set<string>();
    let creds: { token: string; secret: string } | undefined;
    let refusedWith5xx = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const server = await startIngestServer({
        DATABASE_URL: db.databaseUrl,
        ...(creds ? { PARTNER_TOKEN: creds.token, WEBHOOK_SECRET: creds.secret } : {}),
      });
      creds = { token: server.token, secret: server.secret };
      const pool = new Pool(server.url, { connections: 16 });
      let stop = false;
      const senders = Array.from({ length: 16 }, async () => {
        while (!stop) {
          const d = signedEvent(server.token, server.secret);
          try {
            const status = await postEvent(pool, d);
            if (status === 202) acked.add(d.id);
            else if (status >= 500) refusedWith5xx += 1;
          } catch {
            // The connection died with the server: this event was never acknowledged.
          }
        }
      });
      // Let it acknowledge for a random while, then kill it mid-stream.
      await new Promise((r) => setTimeout(r, 300 + Math.floor(Math.random() * 500)));
      const exited = new Promise((r) => server.child.once('exit', r));
      server.child.kill('SIGKILL');
      await exited;
      stop = true;
      await Promise.all(senders);
      await pool.destroy();
    }
    expect(acked.size).toBeGreaterThan(0);
    expect(refusedWith5xx).toBe(0);

    const store = createStore({ databaseUrl: db.databaseUrl });
    try {
      const rows = await store.db.selectFrom('event_inbox').select(['id', 'webhook_id']).execute();
      const stored = new Set(rows.map((r) => r.webhook_id));
      const missing = [...acked].filter((id) => !stored.has(id));
      expect(missing).toEqual([]);
      // Every stored row has the job that processes it (same transaction).
      const jobs = await jobPayloads<PlatformEventJob>(store, PLATFORM_EVENT_JOB);
      const scheduled = new Set(jobs.flatMap((j) => j.inboxIds));
      expect(rows.filter((r) => !scheduled.has(r.id))).toEqual([]);
      const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(store.db);
      expect(integrity.rows.map((r) => r.integrity_check)).toEqual(['ok']);
    } finally {
      await store.close();
    }
  });
});
