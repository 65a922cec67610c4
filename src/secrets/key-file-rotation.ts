// The key-file steps of `psa-bridge keys rotate`, in one place so the tests that race a running service
// against a rotation run these very steps rather than a copy of them.
import fs from 'node:fs';
import type { Config } from '../config/index.ts';
import {
  generateMasterKey,
  type Keyring,
  keyFileCompanions,
  keyIdOf,
  keyringOf,
  loadKeyring,
  readKeyFile,
  syncDirectory,
  writeKeyFile,
} from './keys.ts';

export interface KeyFileRotationOptions {
  /** Keep the old key as `master.key.retired-<id>` instead of deleting it. */
  keepOld: boolean;
  /** Re-seals the database under `keyring` (its current key is the new one); `rotateSecrets` plus reporting. */
  reseal: (keyring: Keyring) => Promise<void>;
  /** Told when an interrupted rotation's `master.key.next` is picked up again. */
  onResume?: (nextFile: string) => void;
  /** For tests: the moments a running service can act in between (after the commit, between renames). */
  afterCommit?: () => Promise<void>;
  betweenRenames?: () => Promise<void>;
}

export interface KeyFileRotationResult {
  file: string;
  keyId: string;
  /** Old key files kept (with keepOld) or deleted. */
  retired: string[];
}

/**
 * Crash-safe at every step: the new key is written to `master.key.next` before anything is re-sealed
 * (synchronously, before this returns its promise), and every key file present is loaded for opening at
 * start, so a crash before, during or after the transaction leaves every secret openable and a rerun
 * resumes with the same `.next`. Only after the commit does the new key take the place of the old.
 */
export async function rotateKeyFile(
  config: Config,
  options: KeyFileRotationOptions,
): Promise<KeyFileRotationResult> {
  const file = config.secrets.keyFile;
  const current = loadKeyring(config);
  const nextFile = `${file}.next`;
  if (fs.existsSync(nextFile)) options.onResume?.(nextFile);
  else writeKeyFile(nextFile, generateMasterKey());
  const next = readKeyFile(nextFile);
  const older = [...current.byId.values()].map((k) => k.key);
  await options.reseal(keyringOf(next, older, nextFile));
  await options.afterCommit?.();
  fs.renameSync(file, `${file}.retired-${current.current.id}`);
  await options.betweenRenames?.();
  fs.renameSync(nextFile, file);
  syncDirectory(config.dataDir);
  const retired = keyFileCompanions(file);
  if (!options.keepOld) {
    for (const f of retired) fs.rmSync(f);
    syncDirectory(config.dataDir);
  }
  return { file, keyId: keyIdOf(next), retired };
}
