import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeStores, freshStore } from '../../test/support/databases.ts';
import {
  createPartner,
  getCwCredentials,
  newId,
  now,
  SEALED_FIELDS,
  saveCwConnection,
} from '../store/index.ts';
import { createSecretBox } from './box.ts';
import { generateMasterKey, keyringOf } from './keys.ts';
import { rotateSecrets } from './rotate.ts';

const PARTNERS = 25;

describeStores('secrets at rest and key rotation', ({ store }) => {
  const oldKey = generateMasterKey();
  const newKey = generateMasterKey();
  const oldBox = createSecretBox(keyringOf(oldKey));
  const partners: string[] = [];
  const privateKeyOf = (i: number) => `cw-private-key-${i}-${'x'.repeat(20)}`;
  const webhookSecretOf = (i: number) => `whsec_partner_${i}_secret_value`;

  beforeAll(async () => {
    const db = store().db;
    for (let i = 0; i < PARTNERS; i++) {
      const p = await createPartner(db, { name: `P${i}` });
      partners.push(p.id);
      await saveCwConnection(db, oldBox, p.id, {
        site: 'na.myconnectwise.net',
        company_id: `c${i}`,
        public_key: `pub${i}`,
        private_key: privateKeyOf(i),
        client_id: 'cid',
      });
      const secretId = newId();
      await db
        .insertInto('webhook_secrets')
        .values({
          id: secretId,
          partner_id: p.id,
          secret_ciphertext: oldBox.seal(webhookSecretOf(i), {
            partnerId: p.id,
            field: SEALED_FIELDS.webhookSecret,
            recordId: secretId,
          }),
          created_at: now(),
        })
        .execute();
    }
  });

  it('holds no plaintext secret anywhere in the database', async () => {
    const db = store().db;
    const dump = JSON.stringify([
      await db.selectFrom('cw_connections').selectAll().execute(),
      await db.selectFrom('webhook_secrets').selectAll().execute(),
    ]);
    expect(dump).not.toContain('cw-private-key-');
    expect(dump).not.toContain('whsec_partner_');
  });

  it('aborts a rotation, changing nothing, when one secret does not open', async () => {
    const db = store().db;
    const victim = partners[3]!;
    const row = await db
      .selectFrom('cw_connections')
      .select('private_key_ciphertext')
      .where('partner_id', '=', victim)
      .executeTakeFirstOrThrow();
    // A ciphertext moved from another partner: does not open under this partner's binding.
    const moved = await db
      .selectFrom('cw_connections')
      .select('private_key_ciphertext')
      .where('partner_id', '=', partners[4]!)
      .executeTakeFirstOrThrow();
    await db
      .updateTable('cw_connections')
      .set({ private_key_ciphertext: moved.private_key_ciphertext })
      .where('partner_id', '=', victim)
      .execute();
    await expect(rotateSecrets(store(), keyringOf(newKey, [oldKey]))).rejects.toThrow(
      /1 secret\(s\) do not open.*cw_connections/,
    );
    const unchanged = await db.selectFrom('cw_connections').select('private_key_ciphertext').execute();
    expect(unchanged.every((r) => r.private_key_ciphertext.startsWith(`v1.${oldBox.currentKeyId}.`))).toBe(
      true,
    );
    await db
      .updateTable('cw_connections')
      .set({ private_key_ciphertext: row.private_key_ciphertext })
      .where('partner_id', '=', victim)
      .execute();
  });

  it('re-seals every secret under the new key; the old key is then not needed', async () => {
    const progress: string[] = [];
    const report = await rotateSecrets(store(), keyringOf(newKey, [oldKey]), (p) =>
      progress.push(`${p.table}:${p.done}/${p.total}`),
    );
    expect(report).toMatchObject({
      resealed: { cwPrivateKeys: PARTNERS, webhookSecrets: PARTNERS },
      alreadyCurrent: 0,
      failed: 0,
    });
    expect(progress).toContain(`webhook_secrets:${PARTNERS}/${PARTNERS}`);

    const newOnly = createSecretBox(keyringOf(newKey));
    let failed = 0;
    for (const [i, partnerId] of partners.entries()) {
      const creds = await getCwCredentials(store().db, newOnly, partnerId).catch(() => undefined);
      if (creds?.private_key !== privateKeyOf(i)) failed++;
      const secret = await store()
        .db.selectFrom('webhook_secrets')
        .select(['id', 'secret_ciphertext'])
        .where('partner_id', '=', partnerId)
        .executeTakeFirstOrThrow();
      if (
        newOnly.open(secret.secret_ciphertext, {
          partnerId,
          field: SEALED_FIELDS.webhookSecret,
          recordId: secret.id,
        }) !== webhookSecretOf(i)
      )
        failed++;
    }
    expect(failed).toBe(0);

    const again = await rotateSecrets(store(), keyringOf(newKey));
    expect(again).toMatchObject({
      resealed: { cwPrivateKeys: 0, webhookSecrets: 0 },
      alreadyCurrent: 2 * PARTNERS,
    });
  });
});

describe('the SQLite file', () => {
  it('never contains a saved private key in clear, in the database file or its WAL', async () => {
    const store = await freshStore('sqlite');
    try {
      const box = createSecretBox(keyringOf(generateMasterKey()));
      const p = await createPartner(store.db, { name: 'P' });
      const secret = 'PLAINTEXT-PRIVATE-KEY-0123456789';
      await saveCwConnection(store.db, box, p.id, {
        site: 's',
        company_id: 'c',
        public_key: 'k',
        private_key: secret,
        client_id: 'x',
      });
      const files = [store.databaseUrl, `${store.databaseUrl}-wal`].filter((f) => fs.existsSync(f));
      const bytes = Buffer.concat(files.map((f) => fs.readFileSync(f)));
      expect(bytes.length).toBeGreaterThan(0);
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
      expect(bytes.includes(Buffer.from('0123456789'))).toBe(false);
      // The last 4 characters are stored for display, by design.
      expect(bytes.includes(Buffer.from('6789'))).toBe(true);
    } finally {
      await store.dispose();
    }
  });
});
