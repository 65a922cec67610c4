import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { describeStores, freshDatabase, freshStore, postgresReady } from '../../test/support/databases.ts';
import { createStore, newId, now } from './index.ts';

const TABLES = [
  'partners',
  'webhook_secrets',
  'users',
  'sessions',
  'cw_connections',
  'tenants',
  'usage_snapshots',
  'tenant_mappings',
  'sku_mappings',
  'ticket_routes',
  'event_inbox',
  'cases',
  'addition_ledger',
  'sync_runs',
  'sync_run_items',
  'audit_log',
];

describeStores('store', ({ store, dialect }) => {
  it('creates every table', async () => {
    const tables = (await store().db.introspection.getTables()).map((t) => t.name);
    for (const table of TABLES) expect(tables).toContain(table);
  });

  it('applies migrations once: a second migrate applies nothing', async () => {
    expect(await store().migrate()).toEqual([]);
  });

  it('rolls back a write transaction that throws', async () => {
    const id = newId();
    await expect(
      store().writeTransaction(async (trx) => {
        await trx
          .insertInto('partners')
          .values({ id, name: 'Rolled back', created_at: now(), updated_at: now() })
          .execute();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const row = await store().db.selectFrom('partners').select('id').where('id', '=', id).executeTakeFirst();
    expect(row).toBeUndefined();
  });

  it('commits a write transaction that resolves, returning its value', async () => {
    const id = newId();
    const result = await store().writeTransaction(async (trx) => {
      await trx
        .insertInto('partners')
        .values({ id, name: 'Committed', created_at: now(), updated_at: now() })
        .execute();
      return 42;
    });
    expect(result).toBe(42);
    const row = await store()
      .db.selectFrom('partners')
      .select('name')
      .where('id', '=', id)
      .executeTakeFirst();
    expect(row?.name).toBe('Committed');
  });

  it('enforces foreign keys', async () => {
    await expect(
      store()
        .db.insertInto('tenants')
        .values({
          partner_id: 'no-such-partner',
          tenant_id: 't1',
          name: 'x',
          domains: '[]',
          status: 'active',
          created_at: now(),
          updated_at: now(),
        })
        .execute(),
    ).rejects.toThrow(/foreign key/i);
  });

  it('rejects UPDATE and DELETE on the audit log', async () => {
    const id = newId();
    await store()
      .db.insertInto('audit_log')
      .values({
        id,
        at: now(),
        partner_id: null,
        actor: 'system',
        action: 'test',
        target: null,
        outcome: 'success',
        details: '{}',
        ip: null,
      })
      .execute();
    await expect(
      store().db.updateTable('audit_log').set({ action: 'changed' }).where('id', '=', id).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(store().db.deleteFrom('audit_log').where('id', '=', id).execute()).rejects.toThrow(
      /append-only/,
    );
    if (dialect === 'postgres') {
      await expect(sql`truncate audit_log`.execute(store().db)).rejects.toThrow(/append-only/);
    }
    const row = await store()
      .db.selectFrom('audit_log')
      .select('action')
      .where('id', '=', id)
      .executeTakeFirst();
    expect(row?.action).toBe('test');
  });
});

describe('store on SQLite', () => {
  it('uses WAL, foreign keys, FULL sync and a busy timeout', async () => {
    const store = await freshStore('sqlite');
    try {
      const pragma = (name: string) => store.sqlite?.pragma(name, { simple: true });
      expect(pragma('journal_mode')).toBe('wal');
      expect(pragma('foreign_keys')).toBe(1);
      expect(pragma('synchronous')).toBe(2);
      expect(pragma('busy_timeout')).toBe(5000);
    } finally {
      await store.dispose();
    }
  });
});

describe.runIf(postgresReady)('migrations on Postgres', () => {
  it('several stores migrating the same database at once apply each migration once', async () => {
    const database = await freshDatabase('postgres');
    const stores = Array.from({ length: 4 }, () => createStore({ databaseUrl: database.databaseUrl }));
    try {
      const applied = (await Promise.all(stores.map((s) => s.migrate()))).flat();
      expect(applied.filter((name) => name === '0001_initial')).toHaveLength(1);
    } finally {
      for (const s of stores) await s.close();
      await database.drop();
    }
  });
});
