import type { Kysely } from 'kysely';
import type { CaseKind, Database, Flag, TicketRoute } from '../types.ts';
import { now } from '../values.ts';

/** Routing of each case kind to a CW board (wizard step 4), per partner. */

export interface TicketRouteInput {
  enabled: Flag;
  board_id?: number | null;
  board_name?: string | null;
  new_status_id?: number | null;
  closed_status_id?: number | null;
  priority_id?: number | null;
  type_id?: number | null;
  subtype_id?: number | null;
  item_id?: number | null;
  summary_template?: string | null;
  updated_by?: string | null;
}

export async function upsertTicketRoute(
  db: Kysely<Database>,
  partnerId: string,
  kind: CaseKind,
  input: TicketRouteInput,
): Promise<TicketRoute> {
  const values = {
    enabled: input.enabled,
    board_id: input.board_id ?? null,
    board_name: input.board_name ?? null,
    new_status_id: input.new_status_id ?? null,
    closed_status_id: input.closed_status_id ?? null,
    priority_id: input.priority_id ?? null,
    type_id: input.type_id ?? null,
    subtype_id: input.subtype_id ?? null,
    item_id: input.item_id ?? null,
    summary_template: input.summary_template ?? null,
    updated_at: now(),
    updated_by: input.updated_by ?? null,
  };
  return db
    .insertInto('ticket_routes')
    .values({ partner_id: partnerId, case_kind: kind, ...values })
    .onConflict((oc) => oc.columns(['partner_id', 'case_kind']).doUpdateSet(values))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function getTicketRoute(
  db: Kysely<Database>,
  partnerId: string,
  kind: CaseKind,
): Promise<TicketRoute | undefined> {
  return db
    .selectFrom('ticket_routes')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('case_kind', '=', kind)
    .executeTakeFirst();
}

export async function listTicketRoutes(db: Kysely<Database>, partnerId: string): Promise<TicketRoute[]> {
  return db
    .selectFrom('ticket_routes')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .orderBy('case_kind')
    .execute();
}
