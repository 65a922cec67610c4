import fs from 'node:fs';
import type { Config } from '../config/index.ts';
import {
  KeyError,
  type Keyring,
  keyFileCompanions,
  keyringOf,
  loadKeyring,
  type MasterKey,
  readKeyFile,
} from './keys.ts';

/**
 * The keyring of a long-running process in key-file mode. `psa-bridge keys rotate` runs in another
 * process and replaces master.key under us; a keyring loaded once would then fail on every re-sealed
 * value and, worse, keep sealing under a key that is about to be deleted, so those values could not be
 * opened after the next start. This one re-reads the key files when they changed, so no restart is needed.
 *
 * Sealing key: `master.key.next` while it exists, else `master.key`. The .next file exists from before
 * the rotation's transaction until after its commit, and `keys rotate` adopts it (a rerun resumes with
 * it); sealing under it closes the gap between that commit and the rename, in which a write waiting for
 * the rotation's lock would otherwise seal under the old key and commit after the re-sealing pass.
 *
 * Opening keys: every key this process ever loaded, plus all key files present, so nothing openable
 * becomes unopenable in this process.
 */

export interface FollowOptions {
  /**
   * Least time between two reloads caused by key ids we do not know, so a flood of bad values cannot
   * become a flood of file reads. Reloads before a seal are not limited: they happen only on a change.
   */
  minReloadIntervalMs?: number;
  /** Monotonic milliseconds; tests pass their own. */
  now?: () => number;
  /** Called after a reload that brought a new sealing key or new key ids (the service logs it). */
  onChange?: (keyring: Keyring) => void;
}

interface Loaded {
  keyring: Keyring;
  /** What the key files looked like just before they were read. */
  stamps: string;
}

/**
 * A keyring that follows the key file (see above); in environment mode the keys are fixed by the
 * environment, so this is `loadKeyring(config)`.
 */
export function followKeyring(config: Config, options: FollowOptions = {}): Keyring {
  // Production check, env mode and first-start key generation: as at every start.
  const initial = loadKeyring(config);
  if (config.secrets.masterKey) return initial;
  const file = config.secrets.keyFile;
  const now = options.now ?? (() => performance.now());
  const interval = options.minReloadIntervalMs ?? 1000;
  let state = load(file, initial.byId.values());
  let lastUnknownReload = Number.NEGATIVE_INFINITY;

  const reload = () => {
    const before = state.keyring;
    state = load(file, before.byId.values());
    const after = state.keyring;
    // Keys are only ever added, so a new id shows as a larger map.
    if (after.current.id !== before.current.id || after.byId.size !== before.byId.size) {
      options.onChange?.(after);
    }
  };

  return {
    get current() {
      return state.keyring.current;
    },
    get byId() {
      return state.keyring.byId;
    },
    source: file,
    refresh(why) {
      if (why === 'seal') {
        // A stat or two per seal: seals are rare (an admin saving a credential). A failure throws, so
        // nothing is sealed under a key that is not the one on disk.
        if (stampsOf(file) !== state.stamps) reload();
        return;
      }
      const at = now();
      if (at - lastUnknownReload < interval) return;
      lastUnknownReload = at;
      try {
        reload();
      } catch {
        // Keep what we have: every known key still opens, and the next seal reports the problem.
      }
    },
  };
}

/** Inode, mtime and size of master.key and master.key.next: a rename, a rewrite or a new .next shows. */
function stampsOf(file: string): string {
  return [file, `${file}.next`]
    .map((f) => {
      const s = fs.statSync(f, { throwIfNoEntry: false });
      return s ? `${s.ino}:${s.mtimeMs}:${s.size}` : '-';
    })
    .join(' ');
}

function load(file: string, known: Iterable<MasterKey>): Loaded {
  // Stamped before reading: a change while we read differs from the stamp and is read at the next seal.
  const stamps = stampsOf(file);
  const nextFile = `${file}.next`;
  // A .next that does not read yet is still being written, before the rotation's transaction: a value
  // sealed under master.key now is committed before that transaction (SQLite serialises writers, the
  // secrets lock does on Postgres) and re-sealed by it.
  const next = readOrUndefined(nextFile, true);
  // Missing only for an instant inside a rotation (renamed to .retired-…, .next renamed in its place).
  const main = readOrUndefined(file, false);
  const sealing = next ?? main;
  if (!sealing) {
    throw new KeyError(`neither ${file} nor ${nextFile} exists: not sealing under a key that is not on disk`);
  }
  const companions = keyFileCompanions(file).flatMap((f) => {
    const key = readOrUndefined(f, true);
    return key ? [key] : [];
  });
  const older = [...[...known].map((k) => k.key), ...companions, ...(main ? [main] : [])];
  return { keyring: keyringOf(sealing, older, file), stamps };
}

/** Undefined when the file is missing (or, with anyError, unreadable for any reason). */
function readOrUndefined(file: string, anyError: boolean): Buffer | undefined {
  try {
    return readKeyFile(file);
  } catch (error) {
    if (anyError || (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
