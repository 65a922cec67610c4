import type { Command } from 'commander';
import type { Config } from '../../config/index.ts';
import { insertAudit } from '../../http/index.ts';
import {
  generateMasterKey,
  type Keyring,
  keyIdOf,
  loadKeyring,
  type RotationProgress,
  rotateKeyFile,
  rotateSecrets,
} from '../../secrets/index.ts';
import { createStore, type Store } from '../../store/index.ts';
import { configOrExit } from './config-or-exit.ts';

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('master key for the secrets kept in the database');

  keys
    .command('generate')
    .description('print a new random master key (base64 of 32 bytes) for PSA_BRIDGE_MASTER_KEY')
    .action(() => {
      const key = generateMasterKey();
      console.log(key.toString('base64'));
      console.error(`key id ${keyIdOf(key)}`);
    });

  keys
    .command('rotate')
    .description(
      're-encrypt every secret under a new master key in one transaction. With PSA_BRIDGE_MASTER_KEY: set it to ' +
        'the new key and PSA_BRIDGE_PREVIOUS_MASTER_KEYS to the old one(s) first. With the key file: a new key ' +
        'file is generated and the old one removed once everything is re-encrypted.',
    )
    .option('--keep-old', 'keep the retired key file (key file mode) instead of deleting it', false)
    .action(async (opts: { keepOld: boolean }) => {
      const config = configOrExit();
      if (!config) return;
      const store = createStore(config);
      try {
        await store.migrate();
        if (config.secrets.masterKey) await rotateWithEnvironmentKey(config, store);
        else await rotateWithKeyFile(config, store, opts.keepOld);
      } catch (error) {
        console.error(`key rotation failed: ${error instanceof Error ? error.message : String(error)}`);
        await audit(store, 'failure', { error: error instanceof Error ? error.name : 'Error' }).catch(
          () => {},
        );
        process.exitCode = 1;
      } finally {
        await store.close();
      }
    });
}

function progressPrinter(): (p: RotationProgress) => void {
  let lastTable = '';
  let lastTenth = -1;
  return (p) => {
    const tenth = Math.floor((p.done / p.total) * 10);
    if (p.table !== lastTable || tenth !== lastTenth || p.done === p.total) {
      console.log(`  ${p.table}: ${p.done}/${p.total}`);
      lastTable = p.table;
      lastTenth = tenth;
    }
  };
}

async function run(store: Store, keyring: Keyring): Promise<void> {
  console.log(`re-encrypting every secret under master key ${keyring.current.id}…`);
  const report = await rotateSecrets(store, keyring, progressPrinter());
  const total = report.resealed.cwPrivateKeys + report.resealed.webhookSecrets;
  console.log(
    `re-encrypted ${total} secret(s): ${report.resealed.cwPrivateKeys} CW private key(s), ` +
      `${report.resealed.webhookSecrets} webhook secret(s); ${report.alreadyCurrent} already under this key; ` +
      `${report.failed} failed`,
  );
  await audit(store, 'success', {
    keyId: report.keyId,
    ...report.resealed,
    alreadyCurrent: report.alreadyCurrent,
  });
}

async function audit(
  store: Store,
  outcome: 'success' | 'failure',
  details: Record<string, unknown>,
): Promise<void> {
  await insertAudit(store.db, {
    partnerId: null,
    actor: 'cli',
    action: 'keys.rotate',
    target: null,
    outcome,
    details,
  });
}

async function rotateWithEnvironmentKey(config: Config, store: Store): Promise<void> {
  const keyring = loadKeyring(config);
  if (keyring.byId.size === 1) {
    console.log(
      'note: PSA_BRIDGE_PREVIOUS_MASTER_KEYS is empty; secrets under another key will fail and abort.',
    );
  }
  await run(store, keyring);
  console.log('done: remove PSA_BRIDGE_PREVIOUS_MASTER_KEYS from the environment and restart the service.');
}

/** Key file mode: see `rotateKeyFile` for why it is crash-safe at every step. */
async function rotateWithKeyFile(config: Config, store: Store, keepOld: boolean): Promise<void> {
  const result = await rotateKeyFile(config, {
    keepOld,
    reseal: (keyring) => run(store, keyring),
    onResume: (nextFile) => console.log(`resuming with the key in ${nextFile} from an interrupted rotation`),
  });
  if (keepOld) {
    console.log(
      `done: new key in ${result.file}; old key kept as ${result.retired.join(', ')} (delete when backups no longer need it)`,
    );
  } else {
    console.log(
      `done: new key in ${result.file}; the old key file was deleted. Running services pick up the new key by themselves.`,
    );
  }
}
