import type { Kysely, Updateable } from 'kysely';
import type { Database, Partner, PartnersTable } from '../types.ts';
import { newId, now } from '../values.ts';

/**
 * Partners. The partner id is the scope of everything else; these functions take it explicitly and no
 * function here reaches another partner's row. Tokens and webhook secrets: src/platform.
 */

export interface NewPartner {
  name: string;
  time_zone?: string;
  id?: string;
}

export async function createPartner(db: Kysely<Database>, input: NewPartner): Promise<Partner> {
  const at = now();
  return db
    .insertInto('partners')
    .values({
      id: input.id ?? newId(),
      name: input.name,
      time_zone: input.time_zone ?? 'UTC',
      created_at: at,
      updated_at: at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function getPartner(db: Kysely<Database>, partnerId: string): Promise<Partner | undefined> {
  return db.selectFrom('partners').selectAll().where('id', '=', partnerId).executeTakeFirst();
}

/** Every partner, for operators (CLI, scheduler); never reachable from a partner's session. */
export async function listPartners(db: Kysely<Database>): Promise<Partner[]> {
  return db.selectFrom('partners').selectAll().orderBy('created_at').orderBy('id').execute();
}

export type PartnerPatch = Pick<
  Updateable<PartnersTable>,
  'name' | 'time_zone' | 'fallback_company_id' | 'integration_enabled' | 'enabled_at' | 'settings'
>;

/** Returns the updated partner, or undefined when there is no such partner. */
export async function updatePartner(
  db: Kysely<Database>,
  partnerId: string,
  patch: PartnerPatch,
): Promise<Partner | undefined> {
  return db
    .updateTable('partners')
    .set({ ...patch, updated_at: now() })
    .where('id', '=', partnerId)
    .returningAll()
    .executeTakeFirst();
}

/** Removes the partner and, by cascade, all its data; the audit trail stays. */
export async function deletePartner(db: Kysely<Database>, partnerId: string): Promise<boolean> {
  const result = await db.deleteFrom('partners').where('id', '=', partnerId).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
