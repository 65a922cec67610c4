import { type Kysely, sql } from 'kysely';
import type { StoreMigration } from './types.ts';

/**
 * Every table of the service backbone. Types are chosen to mean the same on SQLite and Postgres:
 * text ids and instants, integer CW ids and flags, JSON as text (docs/storage.md).
 */

const partnerFk = 'references partners(id) on delete cascade';

async function createTables(db: Kysely<unknown>): Promise<void> {
  const s = db.schema;
  await s
    .createTable('partners')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('api_token_hash', 'text', (c) => c.unique())
    .addColumn('fallback_company_id', 'integer')
    .addColumn('integration_enabled', 'integer', (c) =>
      c.notNull().defaultTo(0).check(sql`integration_enabled in (0, 1)`),
    )
    .addColumn('enabled_at', 'text')
    .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await s
    .createTable('webhook_secrets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'text', (c) => c.notNull().modifyEnd(sql.raw(partnerFk)))
    .addColumn('secret_ciphertext', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await s.createIndex('webhook_secrets_partner').on('webhook_secrets').column('partner_id').execute();

  await s
    .createTable('tenants')
    .addColumn('partner_id', 'text', (c) => c.notNull().modifyEnd(sql.raw(partnerFk)))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('domains', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'suspended', 'deleted')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('tenants_pk', ['partner_id', 'tenant_id'])
    .execute();

  await s
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'text', (c) => c.notNull().modifyEnd(sql.raw(partnerFk)))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) =>
      c.notNull().check(sql`role in ('msp_admin', 'msp_viewer', 'tenant_user')`),
    )
    .addColumn('tenant_id', 'text')
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0).check(sql`disabled in (0, 1)`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('last_login_at', 'text')
    .addUniqueConstraint('users_partner_email', ['partner_id', 'email'])
    .addForeignKeyConstraint('users_tenant_fk', ['partner_id', 'tenant_id'], 'tenants', [
      'partner_id',
      'tenant_id',
    ])
    .addCheckConstraint(
      'users_tenant_role',
      sql`(role = 'tenant_user' and tenant_id is not null) or (role <> 'tenant_user' and tenant_id is null)`,
    )
    .execute();

  await s
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('partner_id', 'text', (c) => c.notNull().modifyEnd(sql.raw(partnerFk)))
    .addColumn('csrf_token_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('ip', 'text')
    .execute();
  await s.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await s
    .createTable('cw_connections')
    .addColumn('partner_id', 'text', (c) => c.primaryKey().modifyEnd(sql.raw(partnerFk)))
    .addColumn('site', 'text', (c) => c.notNull())
    .addColumn('company_id', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('private_key_ciphertext', 'text', (c) => c.notNull())
    .addColumn('private_key_last4', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('codebase', 'text')
    .addColumn('codebase_checked_at', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('untested').check(sql`status in ('untested', 'ok', 'failed')`),
    )
    .addColumn('status_detail', 'text')
    .addColumn('last_tested_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  await s
    .createTable('usage_snapshots')
    .addColumn('partner_id', 'text', (c) => c.notNull().modifyEnd(sql.raw(partnerFk)))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity >= 0`))
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('usage_snapshots_pk', ['partner_id', 'tenant_id', 'sku', 'date'])
    .addForeignKeyConstraint(
      'usage_snapshots_tenant_fk',
      ['partner_id', 'tenant_id'],
      'tenants',
      ['partner_id', 'tenant_id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
  await s
    .createIndex('usage_snapshots_partner_date')
    .on('usage_snapshots')
    .columns(['partner_id', 'date'])
    .execute();

  await s
    .createTable('tenant_mappings')
    .addColumn('partner_id', 'text', (c) => c.notNull().modifyEnd(sql.raw(partnerFk)))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('cw_company_id', 'integer', (c) => c.notNull())
    .addColumn('cw_company_identifier', 'text')
    .addColumn('cw_company_name', 'text')
    .addColumn('cw_agreement_id', 'integer')
    .addColumn('cw_agreement_name', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addPrimaryKeyConstraint('tenant_mappings_pk', ['partner_id', 'tenant_id'])
    .addForeignKeyConstraint(
      'tenant_mappings_tenant_fk',
      ['partner_id', 'tenant_id'],
      'tenants',
      ['partner_id', 'tenant_id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();

  await s
    .createTable('sku_mappings')
    .addColumn('partner_id', 'text', (c) => c.notNull().modifyEnd(sql.raw(partnerFk)))
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('cw_product_id', 'integer', (c) => c.notNull())
    .addColumn('cw_product_identifier', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addPrimaryKeyConstraint('sku_mappings_pk', ['partner_id', 'sku'])
    .execute();

  await s
    .createTable('ticket_routes')
    .addColumn('partner_id', 'text', (c) => c.notNull().modifyEnd(sql.raw(partnerFk)))
    .addColumn('case_kind', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`case_kind in ('incident', 'challenged_message', 'quarantine_release', 'account_takeover')`,
        ),
    )
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(0).check(sql`enabled in (0, 1)`))
    .addColumn('board_id', 'integer')
    .addColumn('board_name', 'text')
    .addColumn('new_status_id', 'integer')
    .addColumn('closed_status_id', 'integer')
    .addColumn('priority_id', 'integer')
    .addColumn('type_id', 'integer')
    .addColumn('subtype_id', 'integer')
    .addColumn('item_id', 'integer')
    .addColumn('summary_template', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addPrimaryKeyConstraint('ticket_routes_pk', ['partner_id', 'case_kind'])
    .execute();

  await s
    .createTable('event_inbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'text', (c) => c.notNull().modifyEnd(sql.raw(partnerFk)))
    .addColumn('webhook_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text')
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('raw_body', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('received'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('processed_at', 'text')
    .addColumn('error', 'text')
    .addUniqueConstraint('event_inbox_partner_webhook', ['partner_id', 'webhook_id'])
    .execute();
  await s.createIndex('event_inbox_status').on('event_inbox').columns(['status', 'received_at']).execute();
  await s.createIndex('event_inbox_case').on('event_inbox').columns(['partner_id', 'case_id']).execute();

  await s
    .createTable('cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'text', (c) => c.notNull().modifyEnd(sql.raw(partnerFk)))
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .check(sql`kind in ('incident', 'challenged_message', 'quarantine_release', 'account_takeover')`),
    )
    .addColumn('platform_case_id', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('cw_ticket_id', 'integer')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('last_event_id', 'text')
    .addColumn('last_event_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('cases_key', ['partner_id', 'kind', 'platform_case_id'])
    .execute();
  await s.createIndex('cases_partner_state').on('cases').columns(['partner_id', 'state']).execute();

  await s
    .createTable('addition_ledger')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'text', (c) => c.notNull().modifyEnd(sql.raw(partnerFk)))
    .addColumn('cw_agreement_id', 'integer', (c) => c.notNull())
    .addColumn('cw_product_id', 'integer', (c) => c.notNull())
    .addColumn('effective_month', 'text', (c) => c.notNull())
    .addColumn('cw_addition_id', 'integer')
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('cancelled_date', 'text')
    .addColumn('tenant_id', 'text')
    .addColumn('sku', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('addition_ledger_line', [
      'partner_id',
      'cw_agreement_id',
      'cw_product_id',
      'effective_month',
    ])
    .execute();

  await s
    .createTable('sync_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'text', (c) => c.notNull().modifyEnd(sql.raw(partnerFk)))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('business_date', 'text')
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('running', 'succeeded', 'partial', 'failed')`),
    )
    .addColumn('dry_run', 'integer', (c) => c.notNull().defaultTo(0).check(sql`dry_run in (0, 1)`))
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('error', 'text')
    .execute();
  await s
    .createIndex('sync_runs_partner_started')
    .on('sync_runs')
    .columns(['partner_id', 'started_at'])
    .execute();

  await s
    .createTable('sync_run_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('run_id', 'text', (c) => c.notNull().references('sync_runs.id').onDelete('cascade'))
    .addColumn('partner_id', 'text', (c) => c.notNull().modifyEnd(sql.raw(partnerFk)))
    .addColumn('tenant_id', 'text')
    .addColumn('sku', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('cw_agreement_id', 'integer')
    .addColumn('cw_product_id', 'integer')
    .addColumn('cw_addition_id', 'integer')
    .addColumn('quantity', 'integer')
    .addColumn('reason', 'text')
    .addColumn('hint', 'text')
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('sync_run_items_run').on('sync_run_items').column('run_id').execute();

  // No foreign key to partners: the audit trail outlives what it describes, and a cascade would be a delete.
  await s
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('partner_id', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('success', 'denied', 'failure')`))
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('ip', 'text')
    .execute();
  await s.createIndex('audit_log_partner_at').on('audit_log').columns(['partner_id', 'at']).execute();
}

async function protectAuditLog(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect === 'sqlite') {
    for (const op of ['UPDATE', 'DELETE']) {
      await sql
        .raw(
          `create trigger audit_log_no_${op.toLowerCase()} before ${op} on audit_log ` +
            `begin select raise(abort, 'audit_log is append-only'); end`,
        )
        .execute(db);
    }
    return;
  }
  await sql`
    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only' using errcode = 'insufficient_privilege';
    end
    $$`.execute(db);
  await sql`create trigger audit_log_no_update_delete before update or delete on audit_log
    for each row execute function audit_log_append_only()`.execute(db);
  await sql`create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_append_only()`.execute(db);
}

export const initial: StoreMigration = {
  async up(db, dialect) {
    await createTables(db);
    await protectAuditLog(db, dialect);
  },
};
