import type { Transaction } from 'kysely';
import { type Database, lockSecrets, SEALED_FIELDS, type Store } from '../store/index.ts';
import { createSecretBox, type SecretBox, type SecretContext, SecretError } from './box.ts';
import type { Keyring } from './keys.ts';

export interface RotationReport {
  /** Values re-sealed under the current key. */
  resealed: { cwPrivateKeys: number; webhookSecrets: number };
  /** Values already sealed under the current key (opened to verify, left as they are). */
  alreadyCurrent: number;
  /** Values that failed to open after the rotation; the transaction is rolled back when this is not 0. */
  failed: number;
  keyId: string;
}

export interface RotationProgress {
  table: string;
  done: number;
  total: number;
}

/**
 * Re-seals every secret in the database under the keyring's current key, in one write transaction, and
 * opens every value again before committing. Any value that does not open (tampered, unknown key) aborts
 * the whole rotation with a SecretError naming where it is; nothing is half-rotated.
 */
export async function rotateSecrets(
  store: Store,
  keyring: Keyring,
  onProgress: (progress: RotationProgress) => void = () => {},
): Promise<RotationReport> {
  const box = createSecretBox(keyring);
  return store.writeTransaction(async (trx) => {
    // Waits for writers sealing under the old key to commit (their values are re-sealed below) and
    // holds off new ones until the commit, so no save is lost to or missed by the re-sealing pass.
    await lockSecrets(trx, 'exclusive');
    const report: RotationReport = {
      resealed: { cwPrivateKeys: 0, webhookSecrets: 0 },
      alreadyCurrent: 0,
      failed: 0,
      keyId: keyring.current.id,
    };
    const failures: string[] = [];

    const tally = { box, report, failures, onProgress };

    const sealed = await sealedValues(trx);
    report.resealed.cwPrivateKeys = await resealAll('cw_connections', sealed.cwPrivateKeys, tally);
    report.resealed.webhookSecrets = await resealAll('webhook_secrets', sealed.webhookSecrets, tally);

    // Verify what will be committed; failures already found are not counted twice.
    report.failed = failures.length > 0 ? failures.length : await verifyAll(trx, box);
    if (report.failed > 0) {
      throw new SecretError(
        `rotation aborted, nothing changed: ${report.failed} secret(s) do not open: ${failures.slice(0, 10).join(', ')}`,
      );
    }
    return report;
  });
}

/** A sealed value as rotation sees it: what it is bound to, where it lives, how to write it back. */
interface SealedValue {
  sealed: string;
  context: SecretContext;
  /** Names the row in the abort message when the value does not open. */
  where: string;
  write(next: string): Promise<unknown>;
}

/**
 * Re-seals each value not yet under the current key and writes it back; returns how many were written.
 * Values that do not open are added to `failures`, so the caller can abort with all of them named.
 */
async function resealAll(
  table: string,
  values: SealedValue[],
  tally: {
    box: SecretBox;
    report: RotationReport;
    failures: string[];
    onProgress: (progress: RotationProgress) => void;
  },
): Promise<number> {
  let done = 0;
  let resealed = 0;
  for (const value of values) {
    const next = reseal(tally.box, value.sealed, value.context, value.where, tally.failures);
    if (next === 'current') tally.report.alreadyCurrent++;
    else if (next !== undefined) {
      await value.write(next);
      resealed++;
    }
    tally.onProgress({ table, done: ++done, total: values.length });
  }
  return resealed;
}

function reseal(
  box: SecretBox,
  sealed: string,
  context: SecretContext,
  where: string,
  failures: string[],
): string | 'current' | undefined {
  try {
    const plaintext = box.open(sealed, context);
    if (box.keyIdOf(sealed) === box.currentKeyId) return 'current';
    return box.seal(plaintext, context);
  } catch {
    failures.push(where);
    return undefined;
  }
}

/** Every sealed value in the database, with what it is bound to: the one place rotation reads them. */
async function sealedValues(
  trx: Transaction<Database>,
): Promise<{ cwPrivateKeys: SealedValue[]; webhookSecrets: SealedValue[] }> {
  const connections = await trx
    .selectFrom('cw_connections')
    .select(['partner_id', 'private_key_ciphertext'])
    .orderBy('partner_id')
    .execute();
  const secrets = await trx
    .selectFrom('webhook_secrets')
    .select(['id', 'partner_id', 'secret_ciphertext'])
    .orderBy('id')
    .execute();
  return {
    cwPrivateKeys: connections.map((row) => ({
      sealed: row.private_key_ciphertext,
      context: { partnerId: row.partner_id, field: SEALED_FIELDS.cwPrivateKey },
      where: `cw_connections(partner ${row.partner_id})`,
      write: (next) =>
        trx
          .updateTable('cw_connections')
          .set({ private_key_ciphertext: next })
          .where('partner_id', '=', row.partner_id)
          .execute(),
    })),
    webhookSecrets: secrets.map((row) => ({
      sealed: row.secret_ciphertext,
      context: { partnerId: row.partner_id, field: SEALED_FIELDS.webhookSecret, recordId: row.id },
      where: `webhook_secrets(${row.id})`,
      write: (next) =>
        trx
          .updateTable('webhook_secrets')
          .set({ secret_ciphertext: next })
          .where('id', '=', row.id)
          .execute(),
    })),
  };
}

/** Opens every sealed value as it now stands (read again, after the writes); returns how many fail. */
async function verifyAll(trx: Transaction<Database>, box: SecretBox): Promise<number> {
  const { cwPrivateKeys, webhookSecrets } = await sealedValues(trx);
  let failed = 0;
  for (const { sealed, context } of [...cwPrivateKeys, ...webhookSecrets]) {
    try {
      box.open(sealed, context);
      if (box.keyIdOf(sealed) !== box.currentKeyId) failed++;
    } catch {
      failed++;
    }
  }
  return failed;
}
