import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createLogger } from '../../src/http/index.ts';
import { createSecretBox, keyringOf } from '../../src/secrets/index.ts';
import { login, seedPartner, seedUser, testConfig } from '../support/console.ts';
import { freshStore, type TestStore } from '../support/databases.ts';

// T17: a CW private key saved through the console API never appears in a response, a log line or the
// database file; neither does the Basic header it would make.

describe('the ConnectWise private key stays secret (T17)', () => {
  const privateKey = `Pk${randomBytes(12).toString('hex')}`;
  const secondKey = `Pk${randomBytes(12).toString('hex')}`;
  const publicKey = 'PubKey1234abcd';
  const companyId = 'acme';
  const basic = (key: string) => Buffer.from(`${companyId}+${publicKey}:${key}`).toString('base64');
  const logs: string[] = [];
  const responses: string[] = [];
  let store: TestStore;
  let app: FastifyInstance;

  beforeAll(async () => {
    store = await freshStore('sqlite');
    const partner = await seedPartner(store, 'Secret MSP');
    await seedUser(store, partner, 'msp_admin', 'admin@secret.test');
    const sink = new Writable({
      write(chunk, _enc, done) {
        logs.push(String(chunk));
        done();
      },
    });
    app = await buildApp({
      config: testConfig({ LOG_LEVEL: 'trace' }),
      store,
      logger: createLogger('trace', sink),
      secrets: createSecretBox(keyringOf(randomBytes(32))),
    });
  });
  afterAll(async () => {
    await app?.close();
    await store?.dispose();
  });

  it('never returns, logs or stores the key in clear', async () => {
    const admin = await login(app, 'admin@secret.test');
    const record = async (
      p: Promise<{ body: string; headers: Record<string, unknown>; statusCode: number }>,
    ) => {
      const res = await p;
      responses.push(JSON.stringify(res.headers), res.body);
      return res;
    };
    const body = { site: 'na.myconnectwise.net', companyId, publicKey, privateKey };
    const saved = await record(admin.request('PUT', '/api/v1/connection', body));
    expect(saved.statusCode).toBe(200);
    expect(JSON.parse(saved.body)).toMatchObject({
      privateKeySet: true,
      privateKeyLast4: privateKey.slice(-4),
    });
    await record(admin.request('GET', '/api/v1/connection'));
    // Errors must not echo it either: a bad field beside it, an unknown field, broken JSON around it.
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
    await record(admin.request('GET', '/api/v1/audit'));
    await record(app.inject({ method: 'GET', url: '/api/openapi.json' }));

    const db = store.sqlite!;
    db.pragma('wal_checkpoint(TRUNCATE)');
    const files = [store.databaseUrl, `${store.databaseUrl}-wal`].filter((f) => fs.existsSync(f));
    const dbBytes = Buffer.concat(files.map((f) => fs.readFileSync(f)));

    const haystacks = {
      responses: responses.join('\n'),
      logs: logs.join(''),
      database: dbBytes.toString('latin1'),
    };
    expect(haystacks.logs.length).toBeGreaterThan(0);
    for (const [where, text] of Object.entries(haystacks)) {
      for (const needle of [privateKey, secondKey, basic(privateKey), basic(secondKey)]) {
        expect(text.includes(needle), `${needle} found in ${where}`).toBe(false);
      }
    }
    // The ciphertext is there (so the search looked at the right file).
    const row = await store.db
      .selectFrom('cw_connections')
      .select('private_key_ciphertext')
      .executeTakeFirstOrThrow();
    expect(haystacks.database).toContain(row.private_key_ciphertext.slice(0, 20));
  });
});
