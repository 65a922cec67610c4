// Sealing against `psa-bridge keys rotate` in another process (src/store/secrets-lock.ts): writers seal
// inside their write transaction under the shared secrets lock, the rotation re-seals under the
// exclusive one. The Postgres cases use two stores (pools) on one database, as service and CLI do.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Kysely, type KyselyPlugin, type RootOperationNode, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeStores, freshStore, postgresReady, type TestStore } from '../../test/support/databases.ts';
import { type Config, loadConfig } from '../config/index.ts';
import { addWebhookSecret } from '../platform/index.ts';
import {
  createPartner,
  createStore,
  type Database,
  lockSecrets,
  recordCwConnectionTest,
  SEALED_FIELDS,
  type Sealer,
  type Store,
  saveCwConnection,
} from '../store/index.ts';
import { createSecretBox, type SecretBox } from './box.ts';
import { followKeyring } from './follow.ts';
import { rotateKeyFile } from './key-file-rotation.ts';
import { generateMasterKey, keyIdOf, keyringOf, readKeyFile } from './keys.ts';
import { rotateSecrets } from './rotate.ts';

const connection = (privateKey: string) => ({
  site: 's',
  company_id: 'c',
  public_key: 'k',
  private_key: privateKey,
  client_id: 'x',
});

describeStores('writers that seal', ({ dialect, store }) => {
  const box = createSecretBox(keyringOf(generateMasterKey()));

  /** Records in completion order the lock query, the seals (on SQLite: in a transaction?) and the writes. */
  function recording(): { events: string[]; plugin: KyselyPlugin; sealer: Sealer } {
    const events: string[] = [];
    const pending = new WeakMap<object, string>();
    const labelOf = (node: RootOperationNode) =>
      node.kind === 'RawNode' && node.sqlFragments.join('').includes('pg_advisory_xact_lock_shared')
        ? 'lock'
        : { InsertQueryNode: 'insert', UpdateQueryNode: 'update' }[node.kind as string];
    return {
      events,
      plugin: {
        transformQuery({ node, queryId }) {
          const label = labelOf(node);
          if (label) pending.set(queryId, label);
          return node;
        },
        async transformResult({ queryId, result }) {
          const label = pending.get(queryId);
          if (label) events.push(label);
          return result;
        },
      },
      sealer: {
        seal(plaintext, context) {
          events.push(
            dialect === 'sqlite' ? `seal (in transaction: ${store().sqlite?.inTransaction})` : 'seal',
          );
          return box.seal(plaintext, context);
        },
        open: (sealed, context) => box.open(sealed, context),
      },
    };
  }
  const expected = (...writes: string[]) =>
    dialect === 'sqlite' ? ['seal (in transaction: true)', ...writes] : ['lock', 'seal', ...writes];

  it('save a CW connection inside a write transaction, after the secrets lock, even when given none', async () => {
    const p = await createPartner(store().db, { name: 'P' });
    const { events, plugin, sealer } = recording();
    await saveCwConnection(store().db.withPlugin(plugin), sealer, p.id, connection('private-1'));
    await store().writeTransaction((trx) =>
      saveCwConnection(trx.withPlugin(plugin), sealer, p.id, connection('private-2')),
    );
    expect(events).toEqual([...expected('insert'), ...expected('update')]);
  });

  it('add a webhook secret after the secrets lock, and refuse to outside a transaction', async () => {
    const p = await createPartner(store().db, { name: 'P' });
    const { events, plugin, sealer } = recording();
    await store().writeTransaction((trx) => addWebhookSecret(trx.withPlugin(plugin), sealer, p.id));
    expect(events).toEqual(expected('insert'));
    await expect(addWebhookSecret(store().db, sealer, p.id)).rejects.toThrow(/inside a write transaction/);
    await expect(lockSecrets(store().db, 'exclusive')).rejects.toThrow(/inside a write transaction/);
    expect(events).toHaveLength(expected('insert').length);
  });
});

/**
 * Until a backend of this database waits for a lock of this kind ('advisory': the secrets lock;
 * 'transactionid': a row another transaction holds), or `until` settles first (it did not wait).
 * Polls pg_stat_activity: another backend's lock wait cannot be observed any other way.
 */
async function lockWait(
  db: Kysely<Database>,
  event: 'advisory' | 'transactionid',
  until: Promise<unknown>,
): Promise<'waited' | 'did not wait' | 'timed out'> {
  let settled = false;
  const done = until.then(
    () => (settled = true),
    () => (settled = true),
  );
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock' and wait_event = ${event}`.execute(db);
    if ((rows[0]?.n ?? 0) > 0) return 'waited';
    if (settled) return 'did not wait';
    await Promise.race([done, new Promise((r) => setTimeout(r, 5))]);
  }
  return 'timed out';
}

describe.runIf(postgresReady)('sealing while `keys rotate` runs in another process [postgres]', () => {
  let service: TestStore;
  let cli: Store;
  let config: Config;
  let box: SecretBox;

  beforeEach(async () => {
    service = await freshStore('postgres');
    cli = createStore({ databaseUrl: service.databaseUrl, poolMax: 2 });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'psa-seal-lock-'));
    config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: '', PSA_BRIDGE_MASTER_KEY: '', NODE_ENV: 'test' });
    box = createSecretBox(followKeyring(config));
  });
  afterEach(async () => {
    await cli.close();
    await service.dispose();
    fs.rmSync(config.dataDir, { recursive: true, force: true });
  });

  /** `keys rotate` in key-file mode: master.key.next is written before this returns its promise. */
  async function rotate(): Promise<{ newKey: Buffer; resealed: object }> {
    let resealed: object = {};
    await rotateKeyFile(config, {
      keepOld: false,
      reseal: async (keyring) => {
        resealed = (await rotateSecrets(cli, keyring)).resealed;
      },
    });
    return { newKey: readKeyFile(config.secrets.keyFile), resealed };
  }

  async function seed(name: string): Promise<string> {
    const p = await createPartner(service.db, { name });
    await saveCwConnection(service.db, box, p.id, connection(`private-${name}`));
    await service.writeTransaction((trx) => addWebhookSecret(trx, box, p.id, `whsec-${name}`));
    return p.id;
  }

  /** Every sealed value, opened with `opener`; `?` for those that do not open. */
  async function openAll(opener: SecretBox): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    const attempt = (f: () => string) => {
      try {
        return f();
      } catch {
        return '?';
      }
    };
    for (const r of await service.db.selectFrom('cw_connections').selectAll().execute()) {
      const context = { partnerId: r.partner_id, field: SEALED_FIELDS.cwPrivateKey };
      out[`cw ${r.partner_id}`] = attempt(() => opener.open(r.private_key_ciphertext, context));
    }
    for (const r of await service.db.selectFrom('webhook_secrets').selectAll().execute()) {
      const context = { partnerId: r.partner_id, field: SEALED_FIELDS.webhookSecret, recordId: r.id };
      out[`webhook ${r.id}`] = attempt(() => opener.open(r.secret_ciphertext, context));
    }
    return out;
  }

  it('waits for a writer that sealed under the old key, then re-seals what it wrote', async () => {
    const existing = await seed('existing');
    const newcomer = (await createPartner(service.db, { name: 'newcomer' })).id;
    const oldKeyId = box.currentKeyId;
    const sealed = Promise.withResolvers<void>();
    const commit = Promise.withResolvers<void>();
    const writer = service.writeTransaction(async (trx) => {
      await saveCwConnection(trx, box, newcomer, connection('private-newcomer'));
      const added = await addWebhookSecret(trx, box, existing, 'whsec-added');
      sealed.resolve();
      await commit.promise;
      return added.id;
    });
    await sealed.promise;
    const sealedUnder = box.currentKeyId;

    const rotation = rotate();
    const rotationWaited = await lockWait(service.db, 'advisory', rotation);
    commit.resolve();
    const addedId = await writer;
    const { newKey, resealed } = await rotation;

    const values = await openAll(createSecretBox(keyringOf(newKey)));
    expect(values[`cw ${newcomer}`]).toBe('private-newcomer');
    expect(values[`webhook ${addedId}`]).toBe('whsec-added');
    expect(Object.values(values).sort()).toEqual(
      ['private-existing', 'private-newcomer', 'whsec-existing', 'whsec-added'].sort(),
    );
    expect(resealed).toEqual({ cwPrivateKeys: 2, webhookSecrets: 2 });
    expect([sealedUnder, rotationWaited]).toEqual([oldKeyId, 'waited']);
  });

  it('holds off a writer that starts during the rotation: sealed under the new key, not overwritten', async () => {
    // Partner ids are time-ordered, and the rotation updates rows in id order: `first` before `second`.
    const first = await seed('first');
    const second = await seed('second');
    // A transaction that seals nothing (a connection test being recorded) holds the `first` row, so the
    // rotation, already holding the exclusive lock, stops there: the window in which a save arrives.
    const rowHeld = Promise.withResolvers<void>();
    const releaseRow = Promise.withResolvers<void>();
    const holder = service.writeTransaction(async (trx) => {
      await recordCwConnectionTest(trx, first, { status: 'ok' });
      rowHeld.resolve();
      await releaseRow.promise;
    });
    await rowHeld.promise;
    const rotation = rotate();
    const rotationStopped = await lockWait(service.db, 'transactionid', rotation);

    const writer = service.writeTransaction((trx) =>
      saveCwConnection(trx, box, second, connection('private-second-saved-during-rotation')),
    );
    const writerWaited = await lockWait(service.db, 'advisory', writer);
    releaseRow.resolve();
    await holder;
    const { newKey } = await rotation;
    await writer;

    const values = await openAll(createSecretBox(keyringOf(newKey)));
    expect(values[`cw ${second}`]).toBe('private-second-saved-during-rotation');
    expect(Object.values(values)).not.toContain('?');
    const row = await service.db
      .selectFrom('cw_connections')
      .select('private_key_ciphertext')
      .where('partner_id', '=', second)
      .executeTakeFirstOrThrow();
    expect(box.keyIdOf(row.private_key_ciphertext)).toBe(keyIdOf(newKey));
    expect([rotationStopped, writerWaited]).toEqual(['waited', 'waited']);
  });
});
