import type { Kysely } from 'kysely';
import type { AuditEntry, AuditLogTable, Database } from '../types.ts';
import { newId, now, toJson } from '../values.ts';

/**
 * The audit trail: append and read, nothing else (the database refuses UPDATE and DELETE). Text the
 * caller got from users should be encoded before it gets here (src/http/audit.ts encodes control
 * characters); this layer stores what it is given.
 */

export interface AuditInput {
  partner_id: string | null;
  actor: string;
  action: string;
  target?: string | null;
  outcome: AuditLogTable['outcome'];
  details?: unknown;
  ip?: string | null;
}

export async function appendAudit(
  db: Kysely<Database>,
  entry: AuditInput,
  at: Date = new Date(),
): Promise<AuditEntry> {
  return db
    .insertInto('audit_log')
    .values({
      id: newId(),
      at: now(at),
      partner_id: entry.partner_id,
      actor: entry.actor,
      action: entry.action,
      target: entry.target ?? null,
      outcome: entry.outcome,
      details: toJson(entry.details ?? {}),
      ip: entry.ip ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** One partner's entries, newest first; `before` (an entry id) pages back. */
export async function listAudit(
  db: Kysely<Database>,
  partnerId: string,
  options: { limit?: number; before?: string; action?: string } = {},
): Promise<AuditEntry[]> {
  let query = db.selectFrom('audit_log').selectAll().where('partner_id', '=', partnerId);
  if (options.before !== undefined) query = query.where('id', '<', options.before);
  if (options.action !== undefined) query = query.where('action', '=', options.action);
  return query
    .orderBy('id', 'desc')
    .limit(Math.min(options.limit ?? 100, 1000))
    .execute();
}
