import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Config, loadConfig } from '../config/index.ts';
import {
  createPartner,
  createStore,
  getCwCredentials,
  newId,
  now,
  SEALED_FIELDS,
  type Store,
  saveCwConnection,
} from '../store/index.ts';
import { createSecretBox, type SecretBox, SecretError } from './box.ts';
import { followKeyring } from './follow.ts';
import { rotateKeyFile } from './key-file-rotation.ts';
import {
  generateMasterKey,
  KeyError,
  keyIdOf,
  keyringOf,
  loadKeyring,
  readKeyFile,
  writeKeyFile,
} from './keys.ts';
import { rotateSecrets } from './rotate.ts';

const BIN = fileURLToPath(new URL('../../bin/psa-bridge.js', import.meta.url));
const run = promisify(execFile);
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface KeyFileEnv extends Record<string, string> {
  DATA_DIR: string;
}

function keyFileEnv(): KeyFileEnv {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'psa-follow-'));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  return { DATA_DIR: dataDir, DATABASE_URL: '', PSA_BRIDGE_MASTER_KEY: '', NODE_ENV: 'test' };
}

async function openStore(config: Config): Promise<Store> {
  const store = createStore(config);
  cleanups.push(() => store.close());
  await store.migrate();
  return store;
}

/** A partner with a CW connection and a webhook secret, both sealed by `box`. */
async function seedPartner(store: Store, box: SecretBox, i: number): Promise<string> {
  const p = await createPartner(store.db, { name: `P${i}` });
  await saveCwConnection(store.db, box, p.id, {
    site: 's',
    company_id: 'c',
    public_key: 'k',
    private_key: `private-${i}-abcdefgh`,
    client_id: 'x',
  });
  const id = newId();
  await store.db
    .insertInto('webhook_secrets')
    .values({
      id,
      partner_id: p.id,
      secret_ciphertext: box.seal(`whsec-${i}`, {
        partnerId: p.id,
        field: SEALED_FIELDS.webhookSecret,
        recordId: id,
      }),
      created_at: now(),
    })
    .execute();
  return p.id;
}

/** Opens every sealed value in the database with `box`; returns the key ids they are sealed under. */
async function openEverything(store: Store, box: SecretBox): Promise<Set<string | undefined>> {
  const ids = new Set<string | undefined>();
  for (const row of await store.db.selectFrom('cw_connections').selectAll().execute()) {
    const creds = await getCwCredentials(store.db, box, row.partner_id);
    expect(creds?.private_key).toMatch(/^private-/);
    ids.add(box.keyIdOf(row.private_key_ciphertext));
  }
  for (const row of await store.db.selectFrom('webhook_secrets').selectAll().execute()) {
    const context = { partnerId: row.partner_id, field: SEALED_FIELDS.webhookSecret, recordId: row.id };
    expect(box.open(row.secret_ciphertext, context)).toMatch(/^whsec-/);
    ids.add(box.keyIdOf(row.secret_ciphertext));
  }
  return ids;
}

/**
 * What `psa-bridge keys rotate` does in key-file mode, with its own keyring, and hooks at the two
 * moments a running service can act in between: after the commit, and between the two renames.
 */
async function rotateLikeTheCli(
  config: Config,
  store: Store,
  hooks: { afterCommit?: () => Promise<void>; betweenRenames?: () => Promise<void> } = {},
): Promise<string> {
  const { keyId } = await rotateKeyFile(config, {
    keepOld: false,
    reseal: async (keyring) => {
      await rotateSecrets(store, keyring);
    },
    ...hooks,
  });
  return keyId;
}

describe('a keyring that follows the key file', () => {
  it('opens re-sealed values and seals under the new key after a rotation by another keyring', async () => {
    const config = loadConfig(keyFileEnv());
    const store = await openStore(config);
    const service = createSecretBox(followKeyring(config));
    const oldId = service.currentKeyId;
    const partners = [];
    for (let i = 0; i < 3; i++) partners.push(await seedPartner(store, service, i));
    const heldInMemory = service.seal('old', { partnerId: 'p', field: 'f' });

    const newKeyId = await rotateLikeTheCli(config, store);
    expect(newKeyId).not.toBe(oldId);
    expect(fs.readdirSync(config.dataDir).filter((f) => f.startsWith('master.key'))).toEqual(['master.key']);

    // An admin saving credentials after the rotation, before this process opened anything under the
    // new key: sealed under the key now on disk.
    await saveCwConnection(store.db, service, partners[0] as string, {
      site: 's',
      company_id: 'c',
      public_key: 'k',
      private_key: 'private-saved-after-rotation',
      client_id: 'x',
    });
    expect(service.currentKeyId).toBe(newKeyId);
    expect(await openEverything(store, service)).toEqual(new Set([newKeyId]));
    // Nothing this process could open becomes unopenable in it, though the old key file is gone.
    expect(service.open(heldInMemory, { partnerId: 'p', field: 'f' })).toBe('old');

    // After a restart (a freshly loaded keyring: master.key only), everything still opens.
    const restarted = createSecretBox(loadKeyring(config));
    expect(await openEverything(store, restarted)).toEqual(new Set([newKeyId]));
  });

  it('seals under master.key.next between the rotation commit and the renames', async () => {
    const config = loadConfig(keyFileEnv());
    const store = await openStore(config);
    const service = createSecretBox(followKeyring(config));
    await seedPartner(store, service, 0);
    // Writes that waited for the rotation's lock land after its commit, before master.key is replaced.
    const newKeyId = await rotateLikeTheCli(config, store, {
      afterCommit: async () => void (await seedPartner(store, service, 1)),
      betweenRenames: async () => void (await seedPartner(store, service, 2)),
    });
    const restarted = createSecretBox(loadKeyring(config));
    expect(await openEverything(store, restarted)).toEqual(new Set([newKeyId]));
  });

  it('follows a real `psa-bridge keys rotate` run in another process', async () => {
    const env = keyFileEnv();
    const config = loadConfig(env);
    const store = await openStore(config);
    const service = createSecretBox(followKeyring(config));
    for (let i = 0; i < 3; i++) await seedPartner(store, service, i);
    await run(process.execPath, [BIN, 'keys', 'rotate'], { env: { ...process.env, ...env } });
    const newKeyId = keyIdOf(readKeyFile(config.secrets.keyFile));
    await seedPartner(store, service, 3);
    expect(await openEverything(store, service)).toEqual(new Set([newKeyId]));
    expect(await openEverything(store, createSecretBox(loadKeyring(config)))).toEqual(new Set([newKeyId]));
  });

  it('re-reads the key files for an unknown key id at most once a second', () => {
    const config = loadConfig(keyFileEnv());
    let clock = 0;
    const box = createSecretBox(followKeyring(config, { now: () => clock }));
    const ctx = { partnerId: 'p', field: 'f' };
    const other = generateMasterKey();
    const sealed = createSecretBox(keyringOf(other)).seal('v', ctx);
    expect(() => box.open(sealed, ctx)).toThrow(SecretError);

    // The key appears on disk, but within the second no flood of bad values reads the files again.
    writeKeyFile(`${config.secrets.keyFile}.retired-${keyIdOf(other)}`, other);
    const readdir = vi.spyOn(fs, 'readdirSync');
    cleanups.push(() => readdir.mockRestore());
    clock = 999;
    for (let i = 0; i < 1000; i++) expect(() => box.open(sealed, ctx)).toThrow(SecretError);
    expect(readdir).not.toHaveBeenCalled();

    clock = 1000;
    expect(box.open(sealed, ctx)).toBe('v');
    expect(readdir).toHaveBeenCalledTimes(1);
  });

  it('follows a changed master.key at every seal, whatever the reload limit', () => {
    const config = loadConfig(keyFileEnv());
    const file = config.secrets.keyFile;
    const box = createSecretBox(followKeyring(config, { now: () => 0 }));
    const ctx = { partnerId: 'p', field: 'f' };
    for (let i = 0; i < 2; i++) {
      const key = generateMasterKey();
      writeKeyFile(`${file}.new`, key);
      fs.renameSync(`${file}.new`, file);
      expect(box.keyIdOf(box.seal('v', ctx))).toBe(keyIdOf(key));
    }
  });

  it('refuses to seal when no key file is on disk, and creates none', () => {
    const config = loadConfig(keyFileEnv());
    const file = config.secrets.keyFile;
    const box = createSecretBox(followKeyring(config));
    const ctx = { partnerId: 'p', field: 'f' };
    const sealed = box.seal('v', ctx);
    const key = fs.readFileSync(file);
    fs.rmSync(file);
    expect(() => box.seal('v', ctx)).toThrow(KeyError);
    expect(fs.existsSync(file)).toBe(false);
    expect(box.open(sealed, ctx)).toBe('v');
    fs.writeFileSync(file, key, { mode: 0o600 });
    expect(box.open(box.seal('w', ctx), ctx)).toBe('w');
  });

  it('is the environment keyring when PSA_BRIDGE_MASTER_KEY is set', () => {
    const key = generateMasterKey();
    const env = { ...keyFileEnv(), PSA_BRIDGE_MASTER_KEY: key.toString('base64') };
    const keyring = followKeyring(loadConfig(env));
    expect(keyring.refresh).toBeUndefined();
    expect(keyring.current.id).toBe(keyIdOf(key));
    expect(fs.existsSync(path.join(env.DATA_DIR, 'master.key'))).toBe(false);
  });
});
