import { forbidden, notFound } from '../errors.ts';
import { topLevelFields } from '../fields.ts';
import { listReply } from '../listing.ts';
import { applyPatch } from '../patch.ts';
import { allows, describePermission, type Level, type Permission } from '../roles.ts';
import type { Route, RouteContext } from '../router.ts';
import type { Rec } from '../types.ts';
import { type Body, objectBody } from '../validate.ts';
import { addNote } from './notes.ts';
import { tableRoutes } from './read.ts';
import { boardFor, buildTicket, statusFor, TICKET_WRITABLE } from './ticket-build.ts';

const inquire: Permission = { area: 'serviceTickets', level: 'inquire' };
const TICKET_FIELDS = topLevelFields('Ticket');

/**
 * Moving a ticket into a closed status needs Service Desk › Close Service Tickets. It is checked as
 * soon as the status is known, before the rest of the body is validated, like every 403 here.
 */
function checkClose(ctx: RouteContext, body: Body, level: Level, existing?: Rec): void {
  const board = boardFor(ctx.state, body, existing);
  const status = statusFor(ctx.state, body, board);
  if (status?.['closedStatus'] !== true) return;
  if ((existing?.['status'] as Rec | undefined)?.id === status.id) return;
  const need: Permission = { area: 'closeServiceTickets', level };
  if (!allows(ctx.member.role, need)) throw forbidden(describePermission(need));
}

/** PATCH and PUT: the resulting body is validated whole and replaces the ticket. */
const replace =
  (bodyOf: (ctx: RouteContext, existing: Rec) => Body): Route['handle'] =>
  (ctx) => {
    const id = ctx.params[0]!;
    const existing = ctx.state.tables.tickets.get(id);
    if (!existing) throw notFound('Ticket', id);
    const body = bodyOf(ctx, existing);
    checkClose(ctx, body, 'edit', existing);
    return {
      status: 200,
      body: ctx.state.tables.tickets.put(buildTicket(ctx.state, body, ctx.member, existing)),
    };
  };

/** `initialDescription` & co. become the ticket's first notes; CW never returns them on the ticket. */
const INITIAL_NOTES: Array<[string, 'detailDescriptionFlag' | 'internalAnalysisFlag' | 'resolutionFlag']> = [
  ['initialDescription', 'detailDescriptionFlag'],
  ['initialInternalAnalysis', 'internalAnalysisFlag'],
  ['initialResolution', 'resolutionFlag'],
];

export function ticketRoutes(): Route[] {
  return [
    ...tableRoutes('service/tickets', (s) => s.tables.tickets, 'Ticket', inquire),
    {
      method: 'POST',
      pattern: 'service/tickets/search',
      permission: inquire,
      handle(ctx) {
        const body = objectBody(ctx.body() ?? {}, 'FilterValues');
        const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
        return listReply(ctx, ctx.state.tables.tickets.all(), {
          conditions: str('conditions'),
          orderBy: str('orderBy'),
          schema: 'Ticket',
          stable: true,
        });
      },
    },
    {
      method: 'POST',
      pattern: 'service/tickets',
      permission: { area: 'serviceTickets', level: 'add' },
      handle(ctx) {
        const body = objectBody(ctx.body(), 'Ticket');
        checkClose(ctx, body, 'add');
        const rec = ctx.state.tables.tickets.put(buildTicket(ctx.state, body, ctx.member));
        for (const [field, flagName] of INITIAL_NOTES) {
          const text = body[field];
          if (typeof text === 'string' && text !== '') {
            addNote(ctx.state, rec.id, { text, [flagName]: true }, ctx.member);
          }
        }
        return { status: 201, body: rec };
      },
    },
    {
      method: 'PATCH',
      pattern: 'service/tickets/:id',
      permission: { area: 'serviceTickets', level: 'edit' },
      handle: replace((ctx, existing) =>
        applyPatch(existing, ctx.body(), 'ticket', TICKET_WRITABLE, TICKET_FIELDS),
      ),
    },
    {
      method: 'PUT',
      pattern: 'service/tickets/:id',
      permission: { area: 'serviceTickets', level: 'edit' },
      handle: replace((ctx) => objectBody(ctx.body(), 'Ticket')),
    },
  ];
}
