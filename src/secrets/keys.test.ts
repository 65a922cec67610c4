import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.ts';
import { generateMasterKey, KeyError, keyIdOf, loadKeyring } from './keys.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'psa-keys-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('master keys', () => {
  it('generates the key file at first start with mode 0600, then reuses it', () => {
    const dir = tempDir();
    const config = loadConfig({ DATA_DIR: path.join(dir, 'data'), NODE_ENV: 'development' });
    const first = loadKeyring(config);
    const file = path.join(dir, 'data', 'master.key');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadKeyring(config).current.id).toBe(first.current.id);
  });

  it('refuses a key file other users can read', () => {
    const dir = tempDir();
    const config = loadConfig({ DATA_DIR: dir, NODE_ENV: 'development' });
    loadKeyring(config);
    fs.chmodSync(path.join(dir, 'master.key'), 0o644);
    expect(() => loadKeyring(config)).toThrow(KeyError);
  });

  it('uses PSA_BRIDGE_MASTER_KEY, with previous keys for opening only, and writes no file', () => {
    const dir = tempDir();
    const current = generateMasterKey();
    const previous = generateMasterKey();
    const keyring = loadKeyring(
      loadConfig({
        DATA_DIR: dir,
        PSA_BRIDGE_MASTER_KEY: current.toString('base64'),
        PSA_BRIDGE_PREVIOUS_MASTER_KEYS: previous.toString('base64url'),
      }),
    );
    expect(keyring.current.id).toBe(keyIdOf(current));
    expect([...keyring.byId.keys()].sort()).toEqual([keyIdOf(current), keyIdOf(previous)].sort());
    expect(fs.existsSync(path.join(dir, 'master.key'))).toBe(false);
  });

  it('derives a key id that does not reveal the key', () => {
    const key = generateMasterKey();
    expect(keyIdOf(key)).toMatch(/^[0-9a-f]{16}$/);
    expect(key.toString('hex')).not.toContain(keyIdOf(key));
  });
});
