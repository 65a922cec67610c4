import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createLogger } from '../../src/http/index.ts';
import {
  addWebhookSecret,
  issuePlatformToken,
  PLATFORM_API_PREFIX,
  PLATFORM_QUEUES,
  platformApi,
} from '../../src/platform/index.ts';
import { createSecretBox, keyringOf, rotateSecrets } from '../../src/secrets/index.ts';
import type { Store } from '../../src/store/index.ts';
import { signedEvent } from '../platform/harness.ts';
import { createTestQueue, type TestQueue } from '../platform/queue.ts';
import { login, seedPartner, seedTenant, seedUser, testConfig } from '../support/console.ts';
import { freshStore, postgresReady, type TestStore } from '../support/databases.ts';

// T17: a CW private key saved through the console API, and a webhook secret issued the way
// `psa-bridge partners create` issues it, never appear in clear in a response, a log line or the
// database; neither do the Basic header the key would make, the platform token or the master key.
// The same scenario runs on SQLite and on Postgres (skipped with a printed reason when Postgres is
// unreachable, failing when REQUIRE_POSTGRES=1).
//
// What "the database" means per dialect:
// - SQLite: the bytes of the database file and its WAL after a checkpoint (free pages and old row
//   versions included).
// - Postgres: (1) a logical dump, every row of every table in every schema of the test database as
//   `row_to_json(t)::text` (text, json/jsonb, and bytea as `\x…` hex; also sees values TOAST
//   compressed), and (2) after a CHECKPOINT, the raw files of every relation of that database (heap,
//   TOAST and indexes), which also hold row versions an UPDATE left behind.

/** The forms a secret could be written in: as is, base64, base64url, hex. */
function encodings(secret: string | Buffer): string[] {
  const bytes = Buffer.isBuffer(secret) ? secret : Buffer.from(secret, 'utf8');
  const hex = bytes.toString('hex');
  const forms = [bytes.toString('base64'), bytes.toString('base64url'), hex, hex.toUpperCase()];
  return Buffer.isBuffer(secret) ? forms : [secret, ...forms];
}

/** Where the scan looked, by name, and what it read there. */
type Haystacks = Record<string, string>;

async function databaseHaystacks(store: Store): Promise<{ haystacks: Haystacks; tables: string[] }> {
  if (store.sqlite) {
    store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const files = [store.databaseUrl, `${store.databaseUrl}-wal`].filter((f) => fs.existsSync(f));
    const tables = store.sqlite
      .prepare("select name from sqlite_master where type = 'table' order by name")
      .all()
      .map((r) => (r as { name: string }).name);
    return {
      haystacks: { 'database file': Buffer.concat(files.map((f) => fs.readFileSync(f))).toString('latin1') },
      tables,
    };
  }
  const pool = store.pgPool;
  if (!pool) throw new Error('a Postgres store without a pool');
  // Every ordinary table (partitions included) and materialized view of every schema of this database.
  const { rows: relations } = await pool.query<{ schema: string; name: string }>(
    `select n.nspname as schema, c.relname as name
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'm')
        and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
        and n.nspname not like 'pg_temp%' and n.nspname not like 'pg_toast_temp%'
      order by 1, 2`,
  );
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  const logical: string[] = [];
  for (const { schema, name } of relations) {
    const { rows } = await pool.query<{ row: string }>(
      `select row_to_json(t)::text as row from ${quote(schema)}.${quote(name)} t`,
    );
    logical.push(`-- ${schema}.${name}`, ...rows.map((r) => r.row));
  }

  // Raw relation files (needs a superuser, as the test database itself is created by one).
  const { rows: role } = await pool.query<{ rolsuper: boolean }>(
    'select rolsuper from pg_roles where rolname = current_user',
  );
  expect(
    role[0]?.rolsuper,
    'T17 on Postgres reads relation files (CHECKPOINT, pg_read_binary_file): connect as a superuser',
  ).toBe(true);
  await pool.query('checkpoint');
  const { rows: files } = await pool.query<{ file: string; size: string }>(
    `select pg_relation_filepath(c.oid) as file, pg_relation_size(c.oid)::text as size
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'm', 't', 'i')
        and c.relpersistence = 'p' and not c.relisshared
        and n.nspname not in ('pg_catalog', 'information_schema')
        and pg_relation_filepath(c.oid) is not null
      order by 1`,
  );
  const raw: Buffer[] = [];
  for (const { file, size } of files) {
    if (Number(size) === 0) continue;
    const { rows } = await pool.query<{ bytes: Buffer }>('select pg_read_binary_file($1) as bytes', [file]);
    raw.push(rows[0]?.bytes ?? Buffer.alloc(0));
  }
  return {
    haystacks: {
      'database rows': logical.join('\n'),
      'database files': Buffer.concat(raw).toString('latin1'),
    },
    tables: relations.map((r) => (r.schema === 'public' ? r.name : `${r.schema}.${r.name}`)),
  };
}

function leaks(haystacks: Haystacks, needles: Record<string, string[]>): string[] {
  const found: string[] = [];
  for (const [where, text] of Object.entries(haystacks)) {
    for (const [what, forms] of Object.entries(needles)) {
      for (const form of forms) if (text.includes(form)) found.push(`${what} (${form}) found in ${where}`);
    }
  }
  return found;
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.runIf(dialect === 'sqlite' || postgresReady)(`secrets stay secret (T17) [${dialect}]`, () => {
    const privateKey = `Pk${randomBytes(12).toString('hex')}`;
    const secondKey = `Pk${randomBytes(12).toString('hex')}`;
    const publicKey = 'PubKey1234abcd';
    const companyId = 'acme';
    const basic = (key: string) => `${companyId}+${publicKey}:${key}`;
    const masterKey = randomBytes(32);
    const nextMasterKey = randomBytes(32);
    const logs: string[] = [];
    const responses: string[] = [];
    let store: TestStore;
    let queue: TestQueue;
    let app: FastifyInstance;
    let partnerId: string;

    beforeAll(async () => {
      store = await freshStore(dialect);
      partnerId = await seedPartner(store, 'Secret MSP');
      await seedUser(store, partnerId, 'msp_admin', 'admin@secret.test');
      await seedTenant(store, partnerId, 'acme');
      const sink = new Writable({
        write(chunk, _enc, done) {
          logs.push(String(chunk));
          done();
        },
      });
      const config = testConfig({ LOG_LEVEL: 'trace' });
      const secrets = createSecretBox(keyringOf(masterKey));
      queue = await createTestQueue(store, PLATFORM_QUEUES);
      app = await buildApp({
        config,
        store,
        logger: createLogger('trace', sink),
        secrets,
        plugins: [platformApi({ config, store, queue, secrets }, { credentialCacheMs: 0 })],
      });
    });
    afterAll(async () => {
      await app?.close();
      await queue?.stop();
      await store?.dispose();
    });

    it('never returns, logs or stores a secret in clear', async () => {
      const admin = await login(app, 'admin@secret.test');
      const record = async (
        p: Promise<{ body: string; headers: Record<string, unknown>; statusCode: number }>,
      ) => {
        const res = await p;
        responses.push(JSON.stringify(res.headers), res.body);
        return res;
      };

      // The CW private key: saved, read, refused in every way an error could echo it, replaced.
      const body = { site: 'na.myconnectwise.net', companyId, publicKey, privateKey };
      const saved = await record(admin.request('PUT', '/api/v1/connection', body));
      expect(saved.statusCode).toBe(200);
      expect(JSON.parse(saved.body)).toMatchObject({
        privateKeySet: true,
        privateKeyLast4: privateKey.slice(-4),
      });
      await record(admin.request('GET', '/api/v1/connection'));
      const bad = await record(admin.request('PUT', '/api/v1/connection', { ...body, site: '' }));
      expect(bad.statusCode).toBe(400);
      await record(admin.request('PUT', '/api/v1/connection', { ...body, privateKey: `${privateKey}!` }));
      await record(admin.request('PUT', '/api/v1/connection', { ...body, extra: privateKey }));
      await record(
        admin.request('PUT', '/api/v1/connection', `{"privateKey": "${privateKey}", `, {
          'content-type': 'application/json',
        }),
      );
      const rotated = await record(
        admin.request('PUT', '/api/v1/connection', { ...body, privateKey: secondKey }),
      );
      expect(rotated.statusCode).toBe(200);

      // The platform token and webhook secrets, issued as `partners create` does (in one write
      // transaction), then used: a signed event is accepted, one signed with a wrong secret refused.
      const box = createSecretBox(keyringOf(masterKey));
      const { token, webhookSecrets } = await store.writeTransaction(async (trx) => {
        const token = await issuePlatformToken(trx, partnerId);
        const first = await addWebhookSecret(trx, box, partnerId);
        const second = await addWebhookSecret(trx, box, partnerId);
        return { token, webhookSecrets: [first.secret, second.secret] };
      });
      const deliver = (secret: string) => {
        const d = signedEvent(token, secret);
        return record(
          app.inject({
            method: 'POST',
            url: `${PLATFORM_API_PREFIX}/events`,
            headers: d.headers,
            payload: d.body,
          }),
        );
      };
      expect((await deliver(webhookSecrets[1]!)).statusCode).toBe(202);
      expect((await deliver(`whsec_${randomBytes(32).toString('base64')}`)).statusCode).toBe(401);

      await record(admin.request('GET', '/api/v1/connection'));
      await record(admin.request('GET', '/api/v1/audit'));
      await record(app.inject({ method: 'GET', url: '/api/openapi.json' }));

      // `keys rotate` writes every sealed value again, under the next master key.
      const report = await rotateSecrets(store, keyringOf(nextMasterKey, [masterKey]));
      expect(report.resealed).toEqual({ cwPrivateKeys: 1, webhookSecrets: 2 });

      const { haystacks: database, tables } = await databaseHaystacks(store);
      expect(tables).toEqual(expect.arrayContaining(['cw_connections', 'webhook_secrets', 'audit_log']));
      const haystacks: Haystacks = { responses: responses.join('\n'), logs: logs.join(''), ...database };
      expect(haystacks['logs']?.length).toBeGreaterThan(0);

      const needles: Record<string, string[]> = {
        'CW private key': [...encodings(privateKey), ...encodings(secondKey)],
        'Basic header': [...encodings(basic(privateKey)), ...encodings(basic(secondKey))],
        'webhook secret': webhookSecrets.flatMap((s) => [
          ...encodings(s),
          // `whsec_<base64 of the key>`: the key bytes, however they are written.
          ...encodings(Buffer.from(s.slice('whsec_'.length), 'base64')),
        ]),
        'platform token': encodings(token),
        'master key': [...encodings(masterKey), ...encodings(nextMasterKey)],
      };
      expect(leaks(haystacks, needles)).toEqual([]);

      // The ciphertexts are there (so the scan looked at the right data), sealed under the new key.
      const sealed = [
        (
          await store.db
            .selectFrom('cw_connections')
            .select('private_key_ciphertext')
            .executeTakeFirstOrThrow()
        ).private_key_ciphertext,
        ...(await store.db.selectFrom('webhook_secrets').select('secret_ciphertext').execute()).map(
          (r) => r.secret_ciphertext,
        ),
      ];
      expect(sealed).toHaveLength(3);
      for (const value of sealed) {
        expect(value.startsWith(`v1.${keyringOf(nextMasterKey).current.id}.`)).toBe(true);
        for (const [where, text] of Object.entries(database)) {
          expect(text.includes(value.slice(0, 40)), `ciphertext not found in ${where}`).toBe(true);
        }
      }
    });
  });
}
