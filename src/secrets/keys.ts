import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type Config, decodeMasterKey } from '../config/index.ts';

/**
 * Master keys (KEKs). One is current and seals; older ones only open, until `psa-bridge keys rotate` has
 * re-sealed everything under the current one. A key is named by an id derived from it (not the key).
 */

export interface MasterKey {
  id: string;
  key: Buffer;
}

export interface Keyring {
  current: MasterKey;
  byId: ReadonlyMap<string, MasterKey>;
  /** Where the key came from, for messages: 'env' or the key file path. */
  source: string;
  /**
   * Only on a keyring that follows the key file (followKeyring): the box calls it before each seal, so it
   * seals under the key now on disk, and on a key id it does not know, before failing.
   */
  refresh?(why: 'seal' | 'unknown key id'): void;
}

export class KeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyError';
  }
}

export function generateMasterKey(): Buffer {
  return randomBytes(32);
}

/** 16 hex characters of HMAC(key, label): identifies a key without revealing anything usable. */
export function keyIdOf(key: Buffer): string {
  return createHmac('sha256', key).update('psa-bridge master key id').digest('hex').slice(0, 16);
}

export function masterKey(key: Buffer): MasterKey {
  if (key.length !== 32) throw new KeyError('a master key is exactly 32 bytes');
  return { id: keyIdOf(key), key };
}

export function keyringOf(current: Buffer, older: Buffer[] = [], source = 'memory'): Keyring {
  const currentKey = masterKey(current);
  const byId = new Map<string, MasterKey>();
  for (const k of older) {
    const mk = masterKey(k);
    byId.set(mk.id, mk);
  }
  byId.set(currentKey.id, currentKey);
  return { current: currentKey, byId, source };
}

/** Files next to the key file: `master.key.next` (a rotation under way) and `master.key.retired-<id>`. */
export function keyFileCompanions(keyFile: string): string[] {
  const dir = path.dirname(keyFile);
  const base = path.basename(keyFile);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name === `${base}.next` || name.startsWith(`${base}.retired-`))
    .map((name) => path.join(dir, name));
}

export function readKeyFile(file: string): Buffer {
  const stat = fs.statSync(file);
  if ((stat.mode & 0o077) !== 0) {
    throw new KeyError(
      `${file} is readable by other users (mode ${(stat.mode & 0o777).toString(8)}); run chmod 600 on it`,
    );
  }
  const key = decodeMasterKey(fs.readFileSync(file, 'utf8'));
  if (!key) throw new KeyError(`${file} does not hold a base64 32-byte key`);
  return key;
}

/** Writes a key file readable by its owner only; refuses to overwrite one. fsyncs file and directory. */
export function writeKeyFile(file: string, key: Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const fd = fs.openSync(file, 'wx', 0o600);
  try {
    fs.writeSync(fd, `${key.toString('base64')}\n`);
    fs.fchmodSync(fd, 0o600);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  syncDirectory(path.dirname(file));
}

export function syncDirectory(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The keyring for this process: PSA_BRIDGE_MASTER_KEY (+ PSA_BRIDGE_PREVIOUS_MASTER_KEYS) when set;
 * otherwise the key file in DATA_DIR, generated with mode 0600 at first start (never in production,
 * where the configuration already requires the variable).
 */
export function loadKeyring(config: Config): Keyring {
  if (config.secrets.masterKey) {
    return keyringOf(config.secrets.masterKey, config.secrets.previousMasterKeys, 'PSA_BRIDGE_MASTER_KEY');
  }
  if (config.production) throw new KeyError('PSA_BRIDGE_MASTER_KEY is required in production');
  const file = config.secrets.keyFile;
  if (!fs.existsSync(file)) {
    try {
      writeKeyFile(file, generateMasterKey());
    } catch (error) {
      // Another process created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const older = [...config.secrets.previousMasterKeys, ...keyFileCompanions(file).map(readKeyFile)];
  return keyringOf(readKeyFile(file), older, file);
}
