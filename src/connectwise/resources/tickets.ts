// Service tickets and their notes.
import type { Api } from '../api.ts';
import { where } from '../conditions.ts';
import { InvalidInputError } from '../errors.ts';
import { all, count, items, type PageQuery } from '../paginate.ts';
import {
  type NoteCreate,
  noteCreate,
  replaceOps,
  type ServiceNote,
  serviceNote,
  type Ticket,
  type TicketCreate,
  type TicketPatch,
  ticket,
  ticketCreate,
  ticketPatch,
} from '../schemas/index.ts';
import { parseInput, positiveId, type ReadCollection, readCollection } from './collection.ts';

export interface TicketsResource extends ReadCollection<Ticket> {
  /** POST: never retried by the client. Set `externalXRef` and look it up first to stay idempotent. */
  create(body: TicketCreate): Promise<Ticket>;
  patch(id: number, changes: TicketPatch): Promise<Ticket>;
  /** Sets a closed status of the ticket's board (needs Service Desk › Close Service Tickets). */
  close(id: number, closedStatusId: number): Promise<Ticket>;
  /** The ticket carrying this `externalXRef`, if any; the lowest id wins if CW holds several. */
  findByExternalXRef(externalXRef: string): Promise<Ticket | undefined>;
}

export function ticketsResource(api: Api): TicketsResource {
  const base = readCollection(api, '/service/tickets', ticket);
  const patch = async (id: number, changes: TicketPatch) => {
    const ops = replaceOps(parseInput(ticketPatch, changes, 'ticket change'));
    if (ops.length === 0) return base.get(id);
    return api.json(ticket, 'PATCH', `/service/tickets/${positiveId(id)}`, { body: ops });
  };
  return {
    ...base,
    create: async (body) =>
      api.json(ticket, 'POST', '/service/tickets', { body: parseInput(ticketCreate, body, 'ticket') }),
    patch,
    close: async (id, closedStatusId) =>
      patch(id, { status: { id: positiveId(closedStatusId, 'closedStatusId') } }),
    async findByExternalXRef(externalXRef) {
      if (externalXRef === '' || externalXRef.length > 100) {
        throw new InvalidInputError('externalXRef must be 1 to 100 characters.', 'externalXRef');
      }
      return base.first({ conditions: where.eq('externalXRef', externalXRef) });
    },
  };
}

export interface TicketNotesResource {
  all(ticketId: number, query?: PageQuery): Promise<ServiceNote[]>;
  iterate(ticketId: number, query?: PageQuery): AsyncGenerator<ServiceNote>;
  count(ticketId: number, query?: PageQuery): Promise<number>;
  /** POST: never retried by the client. */
  create(ticketId: number, note: NoteCreate): Promise<ServiceNote>;
}

export function ticketNotesResource(api: Api): TicketNotesResource {
  const path = (ticketId: number) => `/service/tickets/${positiveId(ticketId, 'ticketId')}/notes`;
  return {
    all: async (ticketId, query) => all(api, path(ticketId), serviceNote, query),
    iterate: (ticketId, query) => items(api, path(ticketId), serviceNote, query),
    count: async (ticketId, query) => count(api, path(ticketId), query),
    create: async (ticketId, note) =>
      api.json(serviceNote, 'POST', path(ticketId), { body: parseInput(noteCreate, note, 'ticket note') }),
  };
}
