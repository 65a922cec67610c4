import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.ts';
import { createSecretBox, generateMasterKey, keyIdOf, loadKeyring } from '../../secrets/index.ts';
import {
  createPartner,
  createStore,
  getCwCredentials,
  listPartners,
  saveCwConnection,
} from '../../store/index.ts';

const BIN = fileURLToPath(new URL('../../../bin/psa-bridge.js', import.meta.url));
const run = promisify(execFile);
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function seeded(partners: number): Promise<{ dataDir: string; env: NodeJS.ProcessEnv }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'psa-keys-cli-'));
  dirs.push(dataDir);
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    PSA_BRIDGE_MASTER_KEY: '',
    NODE_ENV: 'test',
  };
  const config = loadConfig(env);
  const store = createStore(config);
  await store.migrate();
  const box = createSecretBox(loadKeyring(config));
  for (let i = 0; i < partners; i++) {
    const p = await createPartner(store.db, { name: `P${i}` });
    await saveCwConnection(store.db, box, p.id, {
      site: 's',
      company_id: 'c',
      public_key: 'k',
      private_key: `private-${i}-abcdefgh`,
      client_id: 'x',
    });
  }
  await store.close();
  return { dataDir, env };
}

async function openAll(env: NodeJS.ProcessEnv): Promise<number> {
  const config = loadConfig(env);
  const store = createStore(config);
  const box = createSecretBox(loadKeyring(config));
  let opened = 0;
  for (const p of await listPartners(store.db)) {
    const creds = await getCwCredentials(store.db, box, p.id).catch(() => undefined);
    if (creds?.private_key.startsWith('private-')) opened++;
  }
  await store.close();
  return opened;
}

describe('psa-bridge keys rotate (key file)', () => {
  it('re-encrypts every secret under a new key file and deletes the old key', async () => {
    const { dataDir, env } = await seeded(12);
    const keyFile = path.join(dataDir, 'master.key');
    const before = fs.readFileSync(keyFile, 'utf8');
    const { stdout } = await run(process.execPath, [BIN, 'keys', 'rotate'], { env });
    expect(stdout).toMatch(
      /re-encrypted 12 secret\(s\): 12 CW private key\(s\), 0 webhook secret\(s\); 0 already under this key; 0 failed/,
    );
    const after = fs.readFileSync(keyFile, 'utf8');
    expect(after).not.toBe(before);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('master.key'))).toEqual(['master.key']);
    const newKeyId = keyIdOf(Buffer.from(after.trim(), 'base64'));
    expect(stdout).toContain(newKeyId);
    expect(await openAll(env)).toBe(12);
    const store = createStore(loadConfig(env));
    const audit = await store.db
      .selectFrom('audit_log')
      .select(['actor', 'outcome', 'details'])
      .where('action', '=', 'keys.rotate')
      .execute();
    await store.close();
    expect(audit.map((a) => ({ ...a, details: JSON.parse(a.details) }))).toEqual([
      {
        actor: 'cli',
        outcome: 'success',
        details: { keyId: newKeyId, cwPrivateKeys: 12, webhookSecrets: 0, alreadyCurrent: 0 },
      },
    ]);
  });

  it('resumes a rotation interrupted after the new key file was written', async () => {
    const { dataDir, env } = await seeded(3);
    const { stdout: generated } = await run(process.execPath, [BIN, 'keys', 'generate'], { env });
    fs.writeFileSync(path.join(dataDir, 'master.key.next'), generated, { mode: 0o600 });
    // Before the rerun, the service can still open everything (the .next key is loaded for opening too).
    expect(await openAll(env)).toBe(3);
    const { stdout } = await run(process.execPath, [BIN, 'keys', 'rotate'], { env });
    expect(stdout).toMatch(/resuming/);
    expect(fs.readFileSync(path.join(dataDir, 'master.key'), 'utf8')).toBe(generated);
    expect(await openAll(env)).toBe(3);
  });

  it('has `partners create` seal under master.key.next while a rotation is under way', async () => {
    const { dataDir, env } = await seeded(0);
    const next = generateMasterKey();
    fs.writeFileSync(path.join(dataDir, 'master.key.next'), `${next.toString('base64')}\n`, { mode: 0o600 });
    await run(process.execPath, [BIN, 'partners', 'create', '--name', 'During rotation', '--json'], { env });
    const store = createStore(loadConfig(env));
    const rows = await store.db.selectFrom('webhook_secrets').select('secret_ciphertext').execute();
    await store.close();
    // Sealed under master.key instead, the secret would be lost when the rotation deletes that file.
    expect(rows.map((r) => r.secret_ciphertext.split('.')[1])).toEqual([keyIdOf(next)]);
  });
});
