import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { appendAudit, type Database, type Store } from '../store/index.ts';
import { type AuditRecord, type AuditWriter, encodeForAudit, sanitizeDetails } from './audit.ts';

/**
 * Appends one audit row through the store's audit repository, with user-supplied text encoded first.
 * Pass a transaction to make the entry part of the change it records.
 */
export async function insertAudit(
  db: Kysely<Database>,
  record: AuditRecord,
  at: Date = new Date(),
): Promise<void> {
  await appendAudit(
    db,
    {
      partner_id: record.partnerId,
      actor: encodeForAudit(record.actor),
      action: record.action,
      target: record.target == null ? null : encodeForAudit(record.target.slice(0, 300)),
      outcome: record.outcome,
      details: sanitizeDetails(record.details ?? {}),
      ip: record.ip ?? null,
    },
    at,
  );
}

/**
 * For entries outside a change's transaction (denials, logins): a failed audit write is logged and does
 * not turn a refusal into a 500.
 */
export function storeAuditWriter(store: Store, logger: Logger): AuditWriter {
  return async (record) => {
    try {
      await insertAudit(store.db, record);
    } catch (err) {
      logger.error({ err, action: record.action }, 'audit write failed');
    }
  };
}
