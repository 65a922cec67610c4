import { Problems } from '../errors.ts';
import { compact, entityInfo, memberRef } from '../refs.ts';
import type { Route } from '../router.ts';
import { stampOn } from '../time.ts';
import type { ApiMember, Rec, SimState } from '../types.ts';
import { type Body, flag, objectBody, text } from '../validate.ts';
import { childTableRoutes, parentOf } from './read.ts';

const DISPLAY_FLAGS = ['detailDescriptionFlag', 'internalAnalysisFlag', 'resolutionFlag'] as const;

/**
 * Adds a note to a ticket. As in CW, a note needs text and at least one place to show it
 * (Discussion = detailDescription, Internal = internalAnalysis, Resolution); otherwise
 * "Please choose where to display the notes in order to save this record."
 */
export function addNote(state: SimState, ticketId: number, body: Body, member: ApiMember): Rec {
  const p = new Problems('serviceNote');
  const noteText = text(p, body, 'text', { required: true });
  const flags = Object.fromEntries(DISPLAY_FLAGS.map((f) => [f, flag(p, body, f) ?? false])) as Record<
    (typeof DISPLAY_FLAGS)[number],
    boolean
  >;
  if (!DISPLAY_FLAGS.some((f) => flags[f])) {
    p.add('detailDescriptionFlag', 'Please choose where to display the notes in order to save this record.');
  }
  const issueFlag = flag(p, body, 'issueFlag') ?? false;
  const customerUpdatedFlag = flag(p, body, 'customerUpdatedFlag') ?? false;
  p.throwIfAny();
  const at = stampOn(state.today);
  const note = compact({
    id: state.tables.notes.allocateId(),
    ticketId,
    text: noteText,
    ...flags,
    issueFlag,
    member: memberRef(member),
    customerUpdatedFlag,
    dateCreated: at,
    createdBy: member.identifier,
    internalFlag: flags.internalAnalysisFlag,
    externalFlag: flags.detailDescriptionFlag || flags.resolutionFlag,
    _info: entityInfo(at, member.identifier),
  }) as Rec;
  return state.tables.notes.put(note, ticketId);
}

const spec = {
  pattern: 'service/tickets/:id/notes',
  parent: (s: SimState) => s.tables.tickets,
  parentWhat: 'Ticket',
  table: (s: SimState) => s.tables.notes,
  what: 'Note',
  schema: 'ServiceNote',
};

export function noteRoutes(): Route[] {
  return [
    ...childTableRoutes({ ...spec, permission: { area: 'serviceTickets', level: 'inquire' } }),
    {
      method: 'POST',
      pattern: spec.pattern,
      permission: { area: 'serviceTickets', level: 'add' },
      handle(ctx) {
        const ticket = parentOf(ctx, spec);
        return {
          status: 201,
          body: addNote(ctx.state, ticket.id, objectBody(ctx.body(), 'ServiceNote'), ctx.member),
        };
      },
    },
  ];
}
