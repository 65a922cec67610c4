// T18 of docs/reliability-and-security.md at full scale, on SQLite and Postgres: 1,000 partners whose
// ConnectWise private keys and webhook secrets are sealed in the store. One flipped byte anywhere in a
// sealed value, or a value copied to another partner's row, fails closed for every partner; a master-key
// rotation over all of them leaves nothing that needs the old key. And random IVs do not repeat.
import { beforeAll, describe, expect, it } from 'vitest';
import { describeStores, type TestStore } from '../../test/support/databases.ts';
import { addWebhookSecret } from '../platform/index.ts';
import { createPartner, getCwCredentials, SEALED_FIELDS, saveCwConnection } from '../store/index.ts';
import { createSecretBox, type SecretBox, type SecretContext, SecretError } from './box.ts';
import { generateMasterKey, keyringOf } from './keys.ts';
import { rotateSecrets } from './rotate.ts';

const PARTNERS = 1_000;
/** Every 10th partner is in the middle of a webhook secret rotation and holds two secrets. */
const SECOND_SECRET_EVERY = 10;
const WEBHOOK_SECRETS = PARTNERS + PARTNERS / SECOND_SECRET_EVERY;

/** The regions of the decoded blob (box.ts): wrap IV 12 | wrapped DEK 32 | wrap tag 16 | IV 12 | tag 16 | ct. */
const REGIONS: Array<{ name: string; start: number; end?: number }> = [
  { name: 'wrap IV', start: 0, end: 12 },
  { name: 'wrapped DEK (ciphertext)', start: 12, end: 44 },
  { name: 'wrap tag', start: 44, end: 60 },
  { name: 'IV', start: 60, end: 72 },
  { name: 'tag', start: 72, end: 88 },
  { name: 'ciphertext', start: 88 },
];

/** Replaces one whole byte of `region` (position and mask vary with `n`; the mask is never 0). */
function flipByte(sealed: string, region: (typeof REGIONS)[number], n: number): string {
  const [v, kid, body] = sealed.split('.') as [string, string, string];
  const blob = Buffer.from(body, 'base64url');
  const end = region.end ?? blob.length;
  const at = region.start + ((n * 7919) % (end - region.start));
  blob[at] = (blob[at] ?? 0) ^ (1 + ((n * 31) % 255));
  return `${v}.${kid}.${blob.toString('base64url')}`;
}

/** True when `sealed` opens under `context`; false when it fails closed; anything else is thrown. */
function opens(box: SecretBox, sealed: string, context: SecretContext): boolean {
  try {
    box.open(sealed, context);
    return true;
  } catch (error) {
    if (error instanceof SecretError) return false;
    throw error;
  }
}

interface Outcomes {
  opened: number;
  refusedCw: number;
  refusedWebhook: number;
  wrongValue: string[];
  otherError: string[];
}

interface WebhookSecretRow {
  id: string;
  partnerId: string;
  secret: string;
}

describeStores('T18: sealed credentials of 1,000 partners', ({ store }) => {
  const oldKey = generateMasterKey();
  const newKey = generateMasterKey();
  const oldBox = createSecretBox(keyringOf(oldKey));
  const partners: string[] = [];
  const webhookSecrets: WebhookSecretRow[] = [];
  const privateKeyOf = (i: number) => `cw-private-key-${i}-${'k'.repeat(i % 40)}`;
  const cwContext = (partnerId: string) => ({ partnerId, field: SEALED_FIELDS.cwPrivateKey });
  const whContext = (partnerId: string, recordId: string | undefined) => ({
    partnerId,
    field: SEALED_FIELDS.webhookSecret,
    recordId,
  });

  const sealedCw = async (s: TestStore) =>
    new Map(
      (
        await s.db.selectFrom('cw_connections').select(['partner_id', 'private_key_ciphertext']).execute()
      ).map((r) => [r.partner_id, r.private_key_ciphertext]),
    );
  const sealedWh = async (s: TestStore) =>
    new Map(
      (await s.db.selectFrom('webhook_secrets').select(['id', 'secret_ciphertext']).execute()).map((r) => [
        r.id,
        r.secret_ciphertext,
      ]),
    );

  /** Writes the given ciphertexts over the stored ones, in one transaction. */
  async function overwrite(cw: Map<string, string>, wh: Map<string, string>): Promise<void> {
    await store().writeTransaction(async (tx) => {
      for (const [partnerId, sealed] of cw) {
        await tx
          .updateTable('cw_connections')
          .set({ private_key_ciphertext: sealed })
          .where('partner_id', '=', partnerId)
          .execute();
      }
      for (const [id, sealed] of wh) {
        await tx
          .updateTable('webhook_secrets')
          .set({ secret_ciphertext: sealed })
          .where('id', '=', id)
          .execute();
      }
    });
  }

  /**
   * Opens every stored secret with `box` the way its readers do. Fails closed = SecretError; a value that
   * opens to something other than what was saved, or another error, is counted apart.
   */
  async function openAll(box: SecretBox): Promise<Outcomes> {
    const out: Outcomes = { opened: 0, refusedCw: 0, refusedWebhook: 0, wrongValue: [], otherError: [] };
    const sealed = await sealedWh(store());
    const attempt = (where: string, expected: string, open: () => Promise<string | undefined>) =>
      open().then(
        (value) => {
          if (value === expected) out.opened++;
          else out.wrongValue.push(where);
        },
        (error: unknown) => {
          if (!(error instanceof SecretError)) out.otherError.push(`${where}: ${String(error)}`);
          else if (where.startsWith('cw')) out.refusedCw++;
          else out.refusedWebhook++;
        },
      );
    for (const [i, partnerId] of partners.entries()) {
      await attempt(`cw ${partnerId}`, privateKeyOf(i), async () => {
        return (await getCwCredentials(store().db, box, partnerId))?.private_key;
      });
    }
    for (const row of webhookSecrets) {
      await attempt(`webhook ${row.id}`, row.secret, async () =>
        box.open(sealed.get(row.id) ?? '', whContext(row.partnerId, row.id)),
      );
    }
    return out;
  }
  const allOpen: Outcomes = {
    opened: PARTNERS + WEBHOOK_SECRETS,
    refusedCw: 0,
    refusedWebhook: 0,
    wrongValue: [],
    otherError: [],
  };
  const allRefused: Outcomes = {
    opened: 0,
    refusedCw: PARTNERS,
    refusedWebhook: WEBHOOK_SECRETS,
    wrongValue: [],
    otherError: [],
  };

  beforeAll(async () => {
    // One transaction, through the repositories the product uses.
    await store().writeTransaction(async (tx) => {
      for (let i = 0; i < PARTNERS; i++) {
        const p = await createPartner(tx, { name: `Partner ${i}` });
        partners.push(p.id);
        await saveCwConnection(tx, oldBox, p.id, {
          site: 'na.myconnectwise.net',
          company_id: `company${i}`,
          public_key: `pub${i}`,
          private_key: privateKeyOf(i),
          client_id: 'client-id',
        });
        const first = await addWebhookSecret(tx, oldBox, p.id);
        webhookSecrets.push({ id: first.id, partnerId: p.id, secret: first.secret });
        if (i % SECOND_SECRET_EVERY === 0) {
          const second = await addWebhookSecret(tx, oldBox, p.id);
          webhookSecrets.push({ id: second.id, partnerId: p.id, secret: second.secret });
        }
      }
    });
  });

  it('starts with every secret sealed under the old key and opening to what was saved', async () => {
    const cw = await sealedCw(store());
    const wh = await sealedWh(store());
    expect([cw.size, wh.size]).toEqual([PARTNERS, WEBHOOK_SECRETS]);
    expect([...cw.values(), ...wh.values()].every((s) => s.startsWith(`v1.${oldBox.currentKeyId}.`))).toBe(
      true,
    );
    expect(await openAll(oldBox)).toEqual(allOpen);
  });

  it('fails closed on one flipped byte in wrap IV, wrapped DEK, wrap tag, IV, tag or ciphertext (every secret)', async () => {
    const cw = await sealedCw(store());
    const wh = await sealedWh(store());
    const values = [
      ...partners.map((p) => ({ sealed: cw.get(p)!, context: cwContext(p) })),
      ...webhookSecrets.map((r) => ({ sealed: wh.get(r.id)!, context: whContext(r.partnerId, r.id) })),
    ];
    let cases = 0;
    const openedAnyway: string[] = [];
    const wrongError: string[] = [];
    for (const [n, { sealed, context }] of values.entries()) {
      for (const region of REGIONS) {
        const tampered = flipByte(sealed, region, n);
        cases++;
        try {
          oldBox.open(tampered, context);
          openedAnyway.push(`${context.field} ${context.partnerId} ${region.name}`);
        } catch (error) {
          if (!(error instanceof SecretError)) wrongError.push(`${context.partnerId} ${region.name}`);
        }
      }
    }
    expect(cases).toBe(REGIONS.length * (PARTNERS + WEBHOOK_SECRETS));
    expect({ openedAnyway, wrongError }).toEqual({ openedAnyway: [], wrongError: [] });
  });

  it('fails closed for every partner when tampered values are in the store, and rotation refuses them', async () => {
    const cw = await sealedCw(store());
    const wh = await sealedWh(store());
    const tamperedCw = new Map(
      partners.map((p, i) => [p, flipByte(cw.get(p)!, REGIONS[i % REGIONS.length]!, i)]),
    );
    const tamperedWh = new Map(
      webhookSecrets.map((r, i) => [r.id, flipByte(wh.get(r.id)!, REGIONS[i % REGIONS.length]!, i)]),
    );
    await overwrite(tamperedCw, tamperedWh);
    try {
      expect(await openAll(oldBox)).toEqual(allRefused);
      await expect(rotateSecrets(store(), keyringOf(newKey, [oldKey]))).rejects.toThrow(
        new RegExp(
          `rotation aborted, nothing changed: ${PARTNERS + WEBHOOK_SECRETS} secret\\(s\\) do not open`,
        ),
      );
      expect(await sealedCw(store())).toEqual(tamperedCw);
      expect(await sealedWh(store())).toEqual(tamperedWh);
    } finally {
      await overwrite(cw, wh);
    }
    expect(await openAll(oldBox)).toEqual(allOpen);
  });

  it("refuses a ciphertext copied to another partner's row or another field (AAD mismatch), for every partner", async () => {
    const cw = await sealedCw(store());
    const wh = await sealedWh(store());
    // Each row gets a value of the next partner: every partner holds well-formed, foreign ciphertexts.
    const indexOf = new Map(partners.map((p, i) => [p, i]));
    const next = (partnerId: string) => partners[(indexOf.get(partnerId)! + 1) % PARTNERS]!;
    const firstSecretOf = new Map<string, string>();
    for (const r of webhookSecrets) if (!firstSecretOf.has(r.partnerId)) firstSecretOf.set(r.partnerId, r.id);
    const movedCw = new Map(partners.map((p) => [p, cw.get(next(p))!]));
    const movedWh = new Map(
      webhookSecrets.map((r) => [r.id, wh.get(firstSecretOf.get(next(r.partnerId))!)!]),
    );
    await overwrite(movedCw, movedWh);
    try {
      expect(await openAll(oldBox)).toEqual(allRefused);
      await expect(rotateSecrets(store(), keyringOf(newKey, [oldKey]))).rejects.toThrow(
        new RegExp(
          `rotation aborted, nothing changed: ${PARTNERS + WEBHOOK_SECRETS} secret\\(s\\) do not open`,
        ),
      );
      expect(await sealedCw(store())).toEqual(movedCw);
      expect(await sealedWh(store())).toEqual(movedWh);
    } finally {
      await overwrite(cw, wh);
    }
    // Another field of the same partner: a CW private key offered as its webhook secret, and back.
    const crossField = [
      ...partners.filter((p) =>
        opens(oldBox, cw.get(p)!, whContext(p, webhookSecrets.find((r) => r.partnerId === p)?.id)),
      ),
      ...webhookSecrets.filter((r) => opens(oldBox, wh.get(r.id)!, cwContext(r.partnerId))).map((r) => r.id),
    ];
    expect(crossField).toEqual([]);
    expect(await openAll(oldBox)).toEqual(allOpen);
  });

  it("refuses a webhook secret copied to the same partner's other row (bound to its row, not only its partner)", async () => {
    const wh = await sealedWh(store());
    const byPartner = new Map<string, WebhookSecretRow[]>();
    for (const row of webhookSecrets)
      byPartner.set(row.partnerId, [...(byPartner.get(row.partnerId) ?? []), row]);
    const pairs = [...byPartner.values()].filter((rows) => rows.length === 2);
    expect(pairs.length).toBeGreaterThan(0);
    // Positive control: in place, every one of these rows opens under the same context.
    const inPlace = pairs
      .flat()
      .filter((row) => opens(oldBox, wh.get(row!.id)!, whContext(row!.partnerId, row!.id)));
    expect(inPlace.length).toBe(pairs.length * 2);
    const swapped = new Map<string, string>();
    for (const [a, b] of pairs) {
      swapped.set(a!.id, wh.get(b!.id)!);
      swapped.set(b!.id, wh.get(a!.id)!);
    }
    const opened = [...swapped].filter(([id, sealed]) => {
      const row = webhookSecrets.find((r) => r.id === id)!;
      return opens(oldBox, sealed, whContext(row.partnerId, row.id));
    });
    expect(opened).toEqual([]);
  });

  it('rotates the master key over all 1,000 partners: 0 failed decrypts, and the old key is removable', async () => {
    const cwBefore = await sealedCw(store());
    const whBefore = await sealedWh(store());
    const newBox = createSecretBox(keyringOf(newKey));

    const report = await rotateSecrets(store(), keyringOf(newKey, [oldKey]));
    expect(report).toEqual({
      resealed: { cwPrivateKeys: PARTNERS, webhookSecrets: WEBHOOK_SECRETS },
      alreadyCurrent: 0,
      failed: 0,
      keyId: newBox.currentKeyId,
    });

    // Every value re-sealed (new DEK, wrapped by the new key), none left naming the old key.
    const cwAfter = await sealedCw(store());
    const whAfter = await sealedWh(store());
    const stale = [...cwAfter, ...whAfter].filter(
      ([id, s]) =>
        !s.startsWith(`v1.${newBox.currentKeyId}.`) || s === (cwBefore.get(id) ?? whBefore.get(id)),
    );
    expect(stale).toEqual([]);

    // With only the new key, everything opens to what was saved; with only the old key, nothing does.
    expect(await openAll(newBox)).toEqual(allOpen);
    expect(await openAll(oldBox)).toEqual(allRefused);

    // The product's own check that the old key can go: a rotation holding only the new key finds all current.
    expect(await rotateSecrets(store(), keyringOf(newKey))).toEqual({
      resealed: { cwPrivateKeys: 0, webhookSecrets: 0 },
      alreadyCurrent: PARTNERS + WEBHOOK_SECRETS,
      failed: 0,
      keyId: newBox.currentKeyId,
    });
  });
});

describe('T18: IV uniqueness', () => {
  // Each seal makes two AES-GCM encryptions (the DEK wrap and the data), each with its own random IV.
  const SEALS = 100_000;

  it(`never repeats an IV over ${2 * SEALS} encryptions (${SEALS} seals)`, () => {
    const box = createSecretBox(keyringOf(generateMasterKey()));
    const seen = new Set<string>();
    for (let i = 0; i < SEALS; i++) {
      const sealed = box.seal(`value ${i}`, {
        partnerId: `partner-${i % PARTNERS}`,
        field: SEALED_FIELDS.cwPrivateKey,
      });
      const blob = Buffer.from(sealed.slice(sealed.lastIndexOf('.') + 1), 'base64url');
      seen.add(blob.toString('latin1', 0, 12));
      seen.add(blob.toString('latin1', 60, 72));
    }
    expect(seen.size).toBe(2 * SEALS);
  });
});
