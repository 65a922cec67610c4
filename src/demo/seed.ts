import { hashPassword, usersRepository } from '../auth/index.ts';
import { addWebhookSecret, recordUsage, upsertTenant } from '../platform/index.ts';
import type { SecretBox } from '../secrets/index.ts';
import { newId, now, SEALED_FIELDS, type Store } from '../store/index.ts';
import { DEMO_TENANTS, usageHistory } from './plan.ts';

export const DEMO_PARTNER_NAME = 'Demo MSP';
/** The demo partner's `settings`: with the name, how a later start finds the partner it seeded. */
const DEMO_MARKER = '{"demo":true}';
export const DEMO_LOGINS = {
  admin: { email: 'admin@demo-msp.example', password: 'demo-admin-pass', role: 'msp_admin' as const },
  tenantUser: {
    email: 'it@acmelogistics.example',
    password: 'demo-tenant-pass',
    role: 'tenant_user' as const,
    tenantId: 't-acme',
  },
};

export async function findDemoPartner(store: Store): Promise<string | undefined> {
  const row = await store.db
    .selectFrom('partners')
    .select('id')
    .where('name', '=', DEMO_PARTNER_NAME)
    .where('settings', '=', DEMO_MARKER)
    .executeTakeFirst();
  return row?.id;
}

export async function countPartners(store: Store): Promise<number> {
  const partners = await store.db
    .selectFrom('partners')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(partners.n);
}

/** Writes the demo partner, its tenants and their usage history, both logins and a webhook secret. */
export async function seedDemo(store: Store, box: SecretBox): Promise<string> {
  const partnerId = newId();
  // Hashing is slow on purpose; it is done before the write transaction so the transaction stays short.
  const [adminHash, tenantHash] = await Promise.all([
    hashPassword(DEMO_LOGINS.admin.password),
    hashPassword(DEMO_LOGINS.tenantUser.password),
  ]);
  const today = new Date().toISOString().slice(0, 10);
  await store.writeTransaction(async (tx) => {
    const at = now();
    await tx
      .insertInto('partners')
      .values({
        id: partnerId,
        name: DEMO_PARTNER_NAME,
        time_zone: 'America/New_York',
        settings: DEMO_MARKER,
        created_at: at,
        updated_at: at,
      })
      .execute();
    for (const t of DEMO_TENANTS) {
      await upsertTenant(
        tx,
        partnerId,
        t.tenantId,
        { name: t.name, domains: t.domains, status: t.status },
        at,
      );
    }
    for (const day of usageHistory(DEMO_TENANTS, today)) await recordUsage(tx, partnerId, day, at);
    const users = usersRepository(tx);
    await users.create({
      partnerId,
      email: DEMO_LOGINS.admin.email,
      passwordHash: adminHash,
      role: 'msp_admin',
    });
    await users.create({
      partnerId,
      email: DEMO_LOGINS.tenantUser.email,
      passwordHash: tenantHash,
      role: 'tenant_user',
      tenantId: DEMO_LOGINS.tenantUser.tenantId,
    });
    await addWebhookSecret(tx, box, partnerId);
  });
  return partnerId;
}

/** The partner's newest live webhook secret in clear, adding one if every secret was revoked. */
export async function webhookSecretOf(store: Store, box: SecretBox, partnerId: string): Promise<string> {
  const row = await store.db
    .selectFrom('webhook_secrets')
    .select(['id', 'secret_ciphertext'])
    .where('partner_id', '=', partnerId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  if (row) {
    return box.open(row.secret_ciphertext, {
      partnerId,
      field: SEALED_FIELDS.webhookSecret,
      recordId: row.id,
    });
  }
  return (await store.writeTransaction((tx) => addWebhookSecret(tx, box, partnerId))).secret;
}
