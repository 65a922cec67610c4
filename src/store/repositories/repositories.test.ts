import { beforeAll, describe, expect, it } from 'vitest';
import { describeStores } from '../../../test/support/databases.ts';
import type { Sealer } from '../types.ts';
import { newId, now } from '../values.ts';
import {
  addSyncRunItems,
  appendAudit,
  countCasesByState,
  createPartner,
  deletePartner,
  ensureCase,
  findCase,
  findLedgerLine,
  finishSyncRun,
  getCase,
  getCwConnection,
  getCwCredentials,
  getPartner,
  getSkuMapping,
  getSyncRun,
  getTenantMapping,
  getTicketRoute,
  listAudit,
  listCases,
  listLedgerLines,
  listSkuMappings,
  listSyncRunItems,
  listSyncRuns,
  listTenantMappings,
  listTicketRoutes,
  MissingPrivateKeyError,
  recordCwConnectionTest,
  saveCwConnection,
  startSyncRun,
  updateCase,
  updateLedgerLine,
  updatePartner,
  upsertLedgerLine,
  upsertSkuMapping,
  upsertTenantMapping,
  upsertTicketRoute,
} from './index.ts';

/** A transparent sealer that still binds partner and field, so the contract does not depend on src/secrets. */
const sealer: Sealer = {
  seal: (plaintext, c) => `sealed:${c.partnerId}:${c.field}:${Buffer.from(plaintext).toString('hex')}`,
  open: (sealed, c) => {
    const prefix = `sealed:${c.partnerId}:${c.field}:`;
    if (!sealed.startsWith(prefix)) throw new Error('bound to another partner or field');
    return Buffer.from(sealed.slice(prefix.length), 'hex').toString();
  },
};

describeStores('repositories contract', ({ store }) => {
  let a: string;
  let b: string;
  const db = () => store().db;

  async function tenant(partnerId: string, tenantId: string) {
    await db()
      .insertInto('tenants')
      .values({
        partner_id: partnerId,
        tenant_id: tenantId,
        name: tenantId,
        status: 'active',
        created_at: now(),
        updated_at: now(),
      })
      .execute();
  }

  beforeAll(async () => {
    a = (await createPartner(db(), { name: 'Partner A', time_zone: 'America/New_York' })).id;
    b = (await createPartner(db(), { name: 'Partner B' })).id;
    await tenant(a, 't-1');
    await tenant(a, 't-2');
    await tenant(b, 't-1');
  });

  describe('partners', () => {
    it('creates with defaults, reads, updates', async () => {
      const p = await getPartner(db(), a);
      expect(p).toMatchObject({
        name: 'Partner A',
        time_zone: 'America/New_York',
        integration_enabled: 0,
        settings: '{}',
      });
      const updated = await updatePartner(db(), a, { fallback_company_id: 250, settings: '{"x":1}' });
      expect(updated).toMatchObject({ fallback_company_id: 250, settings: '{"x":1}' });
      expect(await updatePartner(db(), 'nobody', { name: 'x' })).toBeUndefined();
    });

    it('deletes a partner with everything it owns, keeping the audit trail', async () => {
      const c = (await createPartner(db(), { name: 'Short-lived' })).id;
      await tenant(c, 't-9');
      await upsertTenantMapping(db(), c, 't-9', { cw_company_id: 1 });
      await appendAudit(db(), { partner_id: c, actor: 'cli', action: 'partner.create', outcome: 'success' });
      expect(await deletePartner(db(), c)).toBe(true);
      expect(await listTenantMappings(db(), c)).toEqual([]);
      expect(await listAudit(db(), c)).toHaveLength(1);
    });
  });

  describe('cw connections', () => {
    const input = {
      site: 'na.myconnectwise.net',
      company_id: 'acme',
      public_key: 'pubKEY1234',
      client_id: 'cid',
    };

    it('requires a private key the first time', async () => {
      await expect(saveCwConnection(db(), sealer, b, input)).rejects.toBeInstanceOf(MissingPrivateKeyError);
    });

    it('never shows the private key: only "set" and its last 4 characters', async () => {
      const saved = await saveCwConnection(db(), sealer, a, {
        ...input,
        private_key: 'PRIVATE-key-abcdWXYZ',
      });
      expect(saved).toMatchObject({ private_key_set: true, private_key_last4: 'WXYZ', status: 'untested' });
      expect(JSON.stringify(saved)).not.toContain('PRIVATE-key');
      expect(JSON.stringify(await getCwConnection(db(), a))).not.toContain('PRIVATE-key');
      const raw = await db()
        .selectFrom('cw_connections')
        .selectAll()
        .where('partner_id', '=', a)
        .executeTakeFirst();
      expect(JSON.stringify(raw)).not.toContain('PRIVATE-key');
    });

    it('opens the credentials for the client, and keeps the key when an update omits it', async () => {
      await recordCwConnectionTest(db(), a, { status: 'ok', codebase: 'v4_6_release/' });
      expect((await getCwConnection(db(), a))?.codebase).toBe('v4_6_release/');
      await saveCwConnection(db(), sealer, a, { ...input, public_key: 'pubKEY5678' });
      const creds = await getCwCredentials(db(), sealer, a);
      expect(creds).toMatchObject({
        public_key: 'pubKEY5678',
        private_key: 'PRIVATE-key-abcdWXYZ',
        codebase: null,
      });
      expect((await getCwConnection(db(), a))?.status).toBe('untested');
    });

    it('is invisible to another partner, and a sealed key copied to another partner does not open', async () => {
      expect(await getCwConnection(db(), b)).toBeUndefined();
      expect(await getCwCredentials(db(), sealer, b)).toBeUndefined();
      expect(await recordCwConnectionTest(db(), b, { status: 'ok' })).toBe(false);
      const row = await db()
        .selectFrom('cw_connections')
        .selectAll()
        .where('partner_id', '=', a)
        .executeTakeFirstOrThrow();
      await db()
        .insertInto('cw_connections')
        .values({ ...row, partner_id: b })
        .execute();
      await expect(getCwCredentials(db(), sealer, b)).rejects.toThrow();
      await db().deleteFrom('cw_connections').where('partner_id', '=', b).execute();
    });
  });

  describe('tenant and SKU mappings', () => {
    it('upserts one mapping per tenant and per SKU', async () => {
      await upsertTenantMapping(db(), a, 't-1', { cw_company_id: 10, cw_company_name: 'Acme' });
      const second = await upsertTenantMapping(db(), a, 't-1', { cw_company_id: 11, cw_agreement_id: 7 });
      expect(second).toMatchObject({ cw_company_id: 11, cw_agreement_id: 7, cw_company_name: null });
      expect(await listTenantMappings(db(), a)).toHaveLength(1);
      await upsertSkuMapping(db(), a, 'CORE', { cw_product_id: 100 });
      await upsertSkuMapping(db(), a, 'CORE', { cw_product_id: 101, cw_product_identifier: 'CORE-1' });
      expect(await listSkuMappings(db(), a)).toEqual([
        expect.objectContaining({ sku: 'CORE', cw_product_id: 101 }),
      ]);
    });

    it('refuses a mapping for a tenant the partner does not have', async () => {
      await expect(upsertTenantMapping(db(), a, 't-unknown', { cw_company_id: 1 })).rejects.toThrow();
    });

    it('keeps partners apart', async () => {
      expect(await getTenantMapping(db(), b, 't-1')).toBeUndefined();
      expect(await listTenantMappings(db(), b)).toEqual([]);
      expect(await getSkuMapping(db(), b, 'CORE')).toBeUndefined();
      await upsertTenantMapping(db(), b, 't-1', { cw_company_id: 99 });
      expect((await getTenantMapping(db(), a, 't-1'))?.cw_company_id).toBe(11);
    });
  });

  describe('ticket routes', () => {
    it('upserts per case kind and keeps partners apart', async () => {
      await upsertTicketRoute(db(), a, 'incident', {
        enabled: 1,
        board_id: 1,
        summary_template: '{subject}',
      });
      await upsertTicketRoute(db(), a, 'incident', { enabled: 0, board_id: 2 });
      await upsertTicketRoute(db(), a, 'account_takeover', { enabled: 1, board_id: 3 });
      expect(await listTicketRoutes(db(), a)).toHaveLength(2);
      expect(await getTicketRoute(db(), a, 'incident')).toMatchObject({
        enabled: 0,
        board_id: 2,
        summary_template: null,
      });
      expect(await getTicketRoute(db(), b, 'incident')).toBeUndefined();
    });

    it('refuses an unknown case kind', async () => {
      await expect(
        db()
          .insertInto('ticket_routes')
          .values({ partner_id: a, case_kind: 'nonsense' as 'incident', updated_at: now() })
          .execute(),
      ).rejects.toThrow();
    });
  });

  describe('cases', () => {
    it('creates a case once per key, also when 20 callers race', async () => {
      const key = { kind: 'incident' as const, platform_case_id: 'case-1', tenant_id: 't-1', state: 'open' };
      const results = await Promise.all(Array.from({ length: 20 }, () => ensureCase(db(), a, key)));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.case.id)).size).toBe(1);
      const again = await ensureCase(db(), a, key);
      expect(again.created).toBe(false);
    });

    it('rejects a duplicate key at the database', async () => {
      const existing = await findCase(db(), a, { kind: 'incident', platform_case_id: 'case-1' });
      await expect(
        db()
          .insertInto('cases')
          .values({ ...existing!, id: newId() })
          .execute(),
      ).rejects.toThrow();
    });

    it('the same platform case id under another kind or partner is another case', async () => {
      const other = await ensureCase(db(), a, {
        kind: 'account_takeover',
        platform_case_id: 'case-1',
        tenant_id: 't-1',
        state: 'open',
      });
      const theirs = await ensureCase(db(), b, {
        kind: 'incident',
        platform_case_id: 'case-1',
        tenant_id: 't-1',
        state: 'open',
      });
      expect(other.created && theirs.created).toBe(true);
    });

    it('updates only within the partner', async () => {
      const mine = (await findCase(db(), a, { kind: 'incident', platform_case_id: 'case-1' }))!;
      expect(await updateCase(db(), b, mine.id, { state: 'closed' })).toBeUndefined();
      expect(await getCase(db(), b, mine.id)).toBeUndefined();
      const updated = await updateCase(db(), a, mine.id, { cw_ticket_id: 5001, state: 'ticketed' });
      expect(updated).toMatchObject({ cw_ticket_id: 5001, state: 'ticketed' });
      expect(await listCases(db(), a, { state: 'ticketed' })).toHaveLength(1);
      expect(await countCasesByState(db(), a)).toEqual({ open: 1, ticketed: 1 });
      expect(await listCases(db(), b)).toHaveLength(1);
    });
  });

  describe('addition ledger', () => {
    const key = { cw_agreement_id: 7, cw_product_id: 101, effective_month: '2026-12' };

    it('holds one line per agreement, product and month', async () => {
      const first = await upsertLedgerLine(db(), a, { ...key, cw_addition_id: null, quantity: 5 });
      const second = await upsertLedgerLine(db(), a, { ...key, cw_addition_id: 9001, quantity: 6 });
      expect(second.id).toBe(first.id);
      expect(await findLedgerLine(db(), a, key)).toMatchObject({ cw_addition_id: 9001, quantity: 6 });
      await expect(
        db()
          .insertInto('addition_ledger')
          .values({ ...second, id: newId() })
          .execute(),
      ).rejects.toThrow();
    });

    it('lists open lines, filtered by agreement, and keeps partners apart', async () => {
      const old = await upsertLedgerLine(db(), a, {
        ...key,
        effective_month: '2026-11',
        cw_addition_id: 9000,
        quantity: 4,
      });
      expect(await updateLedgerLine(db(), b, old.id, { cancelled_date: '2026-11-30' })).toBeUndefined();
      await updateLedgerLine(db(), a, old.id, { cancelled_date: '2026-11-30' });
      expect((await listLedgerLines(db(), a, { openOnly: true })).map((l) => l.effective_month)).toEqual([
        '2026-12',
      ]);
      expect(await listLedgerLines(db(), a, { agreementIds: [7] })).toHaveLength(2);
      expect(await listLedgerLines(db(), a, { agreementIds: [] })).toEqual([]);
      expect(await listLedgerLines(db(), b)).toEqual([]);
      expect(await findLedgerLine(db(), b, key)).toBeUndefined();
    });
  });

  describe('sync runs', () => {
    it('records a run with its items; another partner can neither add to it nor read it', async () => {
      const run = await startSyncRun(db(), a, {
        kind: 'usage',
        business_date: '2026-12-03',
        trigger: 'manual',
        dry_run: true,
      });
      expect(run).toMatchObject({ status: 'running', dry_run: 1 });
      expect(
        await addSyncRunItems(
          db(),
          a,
          run.id,
          Array.from({ length: 450 }, (_, i) => ({ action: 'none', outcome: 'ok', quantity: i })),
        ),
      ).toBe(450);
      expect(await addSyncRunItems(db(), b, run.id, [{ action: 'create', outcome: 'ok' }])).toBe(0);
      await finishSyncRun(db(), a, run.id, { status: 'succeeded', summary: { unchanged: 450 } });
      expect(await getSyncRun(db(), a, run.id)).toMatchObject({
        status: 'succeeded',
        summary: '{"unchanged":450}',
      });
      expect(await finishSyncRun(db(), b, run.id, { status: 'failed' })).toBeUndefined();
      expect(await getSyncRun(db(), b, run.id)).toBeUndefined();
      expect(await listSyncRunItems(db(), a, run.id)).toHaveLength(450);
      expect(await listSyncRunItems(db(), b, run.id)).toEqual([]);
      expect(await listSyncRuns(db(), a)).toHaveLength(1);
      expect(await listSyncRuns(db(), b)).toEqual([]);
    });
  });

  describe('audit log', () => {
    it('appends and lists per partner, newest first', async () => {
      await appendAudit(db(), {
        partner_id: a,
        actor: 'user:1',
        action: 'mapping.update',
        outcome: 'success',
        details: { n: 1 },
      });
      await appendAudit(db(), { partner_id: a, actor: 'user:1', action: 'route.update', outcome: 'denied' });
      await appendAudit(db(), {
        partner_id: b,
        actor: 'user:2',
        action: 'mapping.update',
        outcome: 'success',
      });
      const mine = await listAudit(db(), a);
      expect(mine.map((e) => e.action).slice(0, 2)).toEqual(['route.update', 'mapping.update']);
      expect(mine.every((e) => e.partner_id === a)).toBe(true);
      expect(await listAudit(db(), a, { before: mine[0]!.id, limit: 1 })).toEqual([mine[1]]);
    });
  });

  describe('unique keys of the other areas’ tables', () => {
    it('users: e-mail unique per partner; a tenant user needs a tenant of the same partner', async () => {
      const user = (
        partnerId: string,
        email: string,
        role: 'msp_admin' | 'tenant_user',
        tenantId: string | null,
      ) =>
        db()
          .insertInto('users')
          .values({
            id: newId(),
            partner_id: partnerId,
            email,
            password_hash: 'x',
            role,
            tenant_id: tenantId,
            created_at: now(),
            updated_at: now(),
          })
          .execute();
      await user(a, 'admin@a.test', 'msp_admin', null);
      await expect(user(a, 'admin@a.test', 'msp_admin', null)).rejects.toThrow();
      await user(b, 'admin@a.test', 'msp_admin', null);
      await expect(user(a, 'tu@a.test', 'tenant_user', null)).rejects.toThrow();
      await expect(user(a, 'admin2@a.test', 'msp_admin', 't-1')).rejects.toThrow();
      await expect(user(a, 'tu@a.test', 'tenant_user', 't-nope')).rejects.toThrow();
      await user(a, 'tu@a.test', 'tenant_user', 't-1');
    });

    it('event inbox: a webhook id once per partner', async () => {
      const event = (partnerId: string) =>
        db()
          .insertInto('event_inbox')
          .values({
            id: newId(),
            partner_id: partnerId,
            webhook_id: 'msg_1',
            type: 'incident.created',
            tenant_id: 't-1',
            case_id: 'c',
            occurred_at: now(),
            raw_body: '{}',
            received_at: now(),
          })
          .execute();
      await event(a);
      await expect(event(a)).rejects.toThrow();
      await event(b);
    });

    it('usage snapshots: one per tenant, SKU and date, upserted', async () => {
      const snapshot = (quantity: number) =>
        db()
          .insertInto('usage_snapshots')
          .values({
            partner_id: a,
            tenant_id: 't-2',
            sku: 'CORE',
            date: '2026-12-01',
            quantity,
            received_at: now(),
          })
          .onConflict((oc) =>
            oc
              .columns(['partner_id', 'tenant_id', 'sku', 'date'])
              .doUpdateSet((eb) => ({ quantity: eb.ref('excluded.quantity') })),
          )
          .execute();
      await snapshot(3);
      await snapshot(8);
      const rows = await db().selectFrom('usage_snapshots').selectAll().where('partner_id', '=', a).execute();
      expect(rows).toEqual([expect.objectContaining({ quantity: 8 })]);
      await expect(
        db()
          .insertInto('usage_snapshots')
          .values({
            partner_id: a,
            tenant_id: 't-2',
            sku: 'CORE',
            date: '2026-12-01',
            quantity: 1,
            received_at: now(),
          })
          .execute(),
      ).rejects.toThrow();
    });
  });
});
