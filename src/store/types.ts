import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * The database, as Kysely sees it. Column conventions (docs/storage.md):
 * - ids we mint are text (`newId()`, a ULID); ConnectWise ids are integers; platform ids are text as given;
 * - instants are ISO-8601 UTC text with milliseconds (`now()`), so they sort as text on both dialects;
 *   calendar dates are `YYYY-MM-DD` text and months `YYYY-MM`;
 * - booleans are integers 0/1 on both dialects (`bool()` / `isTrue()`);
 * - JSON is text (`toJson()` / `fromJson()`);
 * - secrets are `…_ciphertext` text sealed by src/secrets, bound to their partner and field.
 */

/** 0 or 1: SQLite has no boolean type, so both dialects store integers. */
export type Flag = 0 | 1;
/** ISO-8601 UTC instant, e.g. 2026-12-03T16:40:02.123Z. */
export type Instant = string;

export const ROLES = ['msp_admin', 'msp_viewer', 'tenant_user'] as const;
export type Role = (typeof ROLES)[number];

export const CASE_KINDS = [
  'incident',
  'challenged_message',
  'quarantine_release',
  'account_takeover',
] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

export const TENANT_STATUSES = ['active', 'suspended', 'deleted'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

export interface PartnersTable {
  id: string;
  name: string;
  /** IANA zone; the business date of usage syncs is computed in it. */
  time_zone: Generated<string>;
  /** SHA-256 (hex) of the platform API token; the token itself is shown once and never stored. */
  api_token_hash: string | null;
  /** CW company that receives tickets of unmapped tenants, when set. */
  fallback_company_id: number | null;
  integration_enabled: Generated<Flag>;
  enabled_at: Instant | null;
  /** JSON object of partner settings that need no column of their own. */
  settings: Generated<string>;
  created_at: Instant;
  updated_at: Instant;
}

/** Standard Webhooks signing secrets; at most two unrevoked per partner so a rotation can overlap. */
export interface WebhookSecretsTable {
  id: string;
  partner_id: string;
  secret_ciphertext: string;
  created_at: Instant;
  revoked_at: Instant | null;
}

export interface UsersTable {
  id: string;
  partner_id: string;
  /** Lower-cased; unique per partner. */
  email: string;
  /** argon2id PHC string. */
  password_hash: string;
  role: Role;
  /** Platform tenant id; set exactly when role is tenant_user. */
  tenant_id: string | null;
  disabled: Generated<Flag>;
  created_at: Instant;
  updated_at: Instant;
  last_login_at: Instant | null;
}

export interface SessionsTable {
  /** SHA-256 (hex) of the cookie's session token; the token is never stored. */
  id_hash: string;
  user_id: string;
  partner_id: string;
  /** SHA-256 (hex) of the session's CSRF token. */
  csrf_token_hash: string;
  created_at: Instant;
  last_seen_at: Instant;
  /** Absolute expiry; the idle timeout is checked against last_seen_at. */
  expires_at: Instant;
  revoked_at: Instant | null;
  user_agent: string | null;
  ip: string | null;
}

export interface CwConnectionsTable {
  partner_id: string;
  /** Site host as entered and validated, e.g. na.myconnectwise.net. */
  site: string;
  company_id: string;
  public_key: string;
  private_key_ciphertext: string;
  private_key_last4: string;
  client_id: string;
  /** Cached codebase from /login/companyinfo, e.g. v4_6_release/. */
  codebase: string | null;
  codebase_checked_at: Instant | null;
  status: Generated<'untested' | 'ok' | 'failed'>;
  status_detail: string | null;
  last_tested_at: Instant | null;
  created_at: Instant;
  updated_at: Instant;
  updated_by: string | null;
}

export interface TenantsTable {
  partner_id: string;
  /** The platform's tenant id (primary key together with partner_id). */
  tenant_id: string;
  name: string;
  /** JSON array of domain names. */
  domains: Generated<string>;
  status: TenantStatus;
  created_at: Instant;
  updated_at: Instant;
}

export interface UsageSnapshotsTable {
  partner_id: string;
  tenant_id: string;
  sku: string;
  /** Business date YYYY-MM-DD. */
  date: string;
  quantity: number;
  received_at: Instant;
}

export interface TenantMappingsTable {
  partner_id: string;
  tenant_id: string;
  cw_company_id: number;
  cw_company_identifier: string | null;
  cw_company_name: string | null;
  cw_agreement_id: number | null;
  cw_agreement_name: string | null;
  updated_at: Instant;
  updated_by: string | null;
}

export interface SkuMappingsTable {
  partner_id: string;
  sku: string;
  cw_product_id: number;
  cw_product_identifier: string | null;
  updated_at: Instant;
  updated_by: string | null;
}

export interface TicketRoutesTable {
  partner_id: string;
  case_kind: CaseKind;
  enabled: Generated<Flag>;
  board_id: number | null;
  board_name: string | null;
  new_status_id: number | null;
  closed_status_id: number | null;
  priority_id: number | null;
  type_id: number | null;
  subtype_id: number | null;
  item_id: number | null;
  summary_template: string | null;
  updated_at: Instant;
  updated_by: string | null;
}

export interface EventInboxTable {
  id: string;
  partner_id: string;
  /** The Standard Webhooks `webhook-id`; unique per partner, which makes redelivery a no-op. */
  webhook_id: string;
  type: string;
  tenant_id: string;
  case_id: string | null;
  occurred_at: Instant;
  /** The exact body that was signed. */
  raw_body: string;
  received_at: Instant;
  status: Generated<string>;
  attempts: Generated<number>;
  processed_at: Instant | null;
  error: string | null;
}

export interface CasesTable {
  id: string;
  partner_id: string;
  kind: CaseKind;
  platform_case_id: string;
  tenant_id: string;
  cw_ticket_id: number | null;
  state: string;
  /** Inbox id and occurred_at of the last event applied, so events apply once and in order. */
  last_event_id: string | null;
  last_event_at: Instant | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface AdditionLedgerTable {
  id: string;
  partner_id: string;
  cw_agreement_id: number;
  cw_product_id: number;
  /** YYYY-MM of the addition's effective date (always the 1st). */
  effective_month: string;
  /** Null while a POST is in flight (written ahead so a crash can be reconciled by adoption). */
  cw_addition_id: number | null;
  quantity: number;
  /** YYYY-MM-DD once psa-bridge cancelled the line. */
  cancelled_date: string | null;
  tenant_id: string | null;
  sku: string | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface SyncRunsTable {
  id: string;
  partner_id: string;
  kind: string;
  business_date: string | null;
  trigger: string;
  status: 'running' | 'succeeded' | 'partial' | 'failed';
  dry_run: Generated<Flag>;
  started_at: Instant;
  finished_at: Instant | null;
  /** JSON counts. */
  summary: Generated<string>;
  error: string | null;
}

export interface SyncRunItemsTable {
  id: string;
  run_id: string;
  partner_id: string;
  tenant_id: string | null;
  sku: string | null;
  action: string;
  outcome: string;
  cw_agreement_id: number | null;
  cw_product_id: number | null;
  cw_addition_id: number | null;
  quantity: number | null;
  reason: string | null;
  hint: string | null;
  /** JSON. */
  details: Generated<string>;
  created_at: Instant;
}

/** Append-only: triggers reject UPDATE and DELETE on both dialects. */
export interface AuditLogTable {
  id: string;
  at: Instant;
  /** Null for actions outside any partner (e.g. key rotation). */
  partner_id: string | null;
  /** `user:<id>`, `cli`, `system`, `platform`. */
  actor: string;
  action: string;
  target: string | null;
  outcome: 'success' | 'denied' | 'failure';
  /** JSON. */
  details: Generated<string>;
  ip: string | null;
}

export interface Database {
  partners: PartnersTable;
  webhook_secrets: WebhookSecretsTable;
  users: UsersTable;
  sessions: SessionsTable;
  cw_connections: CwConnectionsTable;
  tenants: TenantsTable;
  usage_snapshots: UsageSnapshotsTable;
  tenant_mappings: TenantMappingsTable;
  sku_mappings: SkuMappingsTable;
  ticket_routes: TicketRoutesTable;
  event_inbox: EventInboxTable;
  cases: CasesTable;
  addition_ledger: AdditionLedgerTable;
  sync_runs: SyncRunsTable;
  sync_run_items: SyncRunItemsTable;
  audit_log: AuditLogTable;
}

export type Partner = Selectable<PartnersTable>;
export type User = Selectable<UsersTable>;
export type Session = Selectable<SessionsTable>;
export type CwConnectionRow = Selectable<CwConnectionsTable>;
export type Tenant = Selectable<TenantsTable>;
export type UsageSnapshot = Selectable<UsageSnapshotsTable>;
export type TenantMapping = Selectable<TenantMappingsTable>;
export type SkuMapping = Selectable<SkuMappingsTable>;
export type TicketRoute = Selectable<TicketRoutesTable>;
export type InboxEvent = Selectable<EventInboxTable>;
export type Case = Selectable<CasesTable>;
export type LedgerLine = Selectable<AdditionLedgerTable>;
export type SyncRun = Selectable<SyncRunsTable>;
export type SyncRunItem = Selectable<SyncRunItemsTable>;
export type AuditEntry = Selectable<AuditLogTable>;
export type { Generated, Insertable, Selectable, Updateable };

/**
 * The field names sealed secrets are bound to (src/secrets puts them in the AES-GCM associated data with
 * the partner id): a ciphertext copied to another partner or into another kind of column fails to open.
 */
export const SEALED_FIELDS = {
  cwPrivateKey: 'cw_connections.private_key',
  webhookSecret: 'webhook_secrets.secret',
} as const;

export interface SealContext {
  partnerId: string;
  field: string;
  /** Set where one partner holds several values of the field (see SecretContext in src/secrets). */
  recordId?: string | undefined;
}

/** What repositories need from src/secrets (kept structural so the store does not import it). */
export interface Sealer {
  seal(plaintext: string, context: SealContext): string;
  open(sealed: string, context: SealContext): string;
}
