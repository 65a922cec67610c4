import { Problems } from '../errors.ts';
import {
  agreementRef,
  boardItemRef,
  boardRef,
  boardStatusRef,
  boardSubTypeRef,
  boardTypeRef,
  compact,
  companyRef,
  contactRef,
  entityInfo,
  priorityRef,
  ref,
} from '../refs.ts';
import { stampOn } from '../time.ts';
import type { ApiMember, Rec, SimState } from '../types.ts';
import { type Body, date, flag, num, oneOf, type RefSource, reference, text } from '../validate.ts';

const LEVELS = ['Low', 'Medium', 'High'] as const;
const RECORD_TYPES = ['ServiceTicket', 'ProjectTicket', 'ProjectIssue'] as const;
const MAX_LENGTHS: Record<string, number> = {
  siteName: 156,
  addressLine1: 50,
  addressLine2: 50,
  city: 50,
  stateIdentifier: 50,
  zip: 12,
  contactName: 62,
  contactPhoneNumber: 20,
  contactPhoneExtension: 15,
  contactEmailAddress: 250,
  poNumber: 50,
  automaticEmailCc: 1000,
};
const FLAGS = [
  'allowAllClientsPortalView',
  'customerUpdatedFlag',
  'automaticEmailContactFlag',
  'automaticEmailResourceFlag',
  'automaticEmailCcFlag',
  'approved',
];
export const TICKET_WRITABLE = new Set([
  'summary',
  'recordType',
  'board',
  'status',
  'company',
  'contact',
  'type',
  'subType',
  'item',
  'priority',
  'workType',
  'agreement',
  'severity',
  'impact',
  'externalXRef',
  'requiredDate',
  'budgetHours',
  ...Object.keys(MAX_LENGTHS),
  ...FLAGS,
]);

/** The board a body puts the ticket on: named in the body, else the ticket's, else the default. */
export function boardFor(state: SimState, body: Body, existing?: Rec): Rec | undefined {
  const given = body['board'] as Record<string, unknown> | undefined;
  const boards = state.tables.boards;
  if (given && typeof given === 'object') {
    if (given['id'] !== undefined) return boards.get(Number(given['id']));
    const name = String(given['name'] ?? '').toLowerCase();
    return boards.all().find((b) => String(b['name']).toLowerCase() === name);
  }
  const id = (existing?.['board'] as Rec | undefined)?.id ?? state.defaultBoardId;
  return id === undefined ? undefined : boards.get(id);
}

/** The status record the body asks for, when it names one of the board's statuses. */
export function statusFor(state: SimState, body: Body, board: Rec | undefined): Rec | undefined {
  const given = body['status'] as Record<string, unknown> | undefined;
  if (!given || typeof given !== 'object' || !board) return undefined;
  const statuses = state.tables.boardStatuses.children(board.id);
  if (given['id'] !== undefined) return statuses.find((s) => s.id === Number(given['id']));
  const name = String(given['name'] ?? '').toLowerCase();
  return statuses.find((s) => String(s['name']).toLowerCase() === name);
}

/** Validates a ticket body (POST, PUT, or the result of a PATCH) and builds the stored record. */
export function buildTicket(state: SimState, body: Body, member: ApiMember, existing?: Rec): Rec {
  const p = new Problems('ticket');
  const t = state.tables;
  const summary = text(p, body, 'summary', { required: true, max: 100 });
  const company = reference(p, body, 'company', 'CompanyReference', t.companies, {
    required: true,
    keys: ['identifier', 'name'],
  });
  if (company?.['deletedFlag'] === true)
    p.add('company', `The company ${company['identifier']} has been deleted.`);
  const boardGiven = body['board'] !== undefined && body['board'] !== null;
  const board = boardGiven
    ? reference(p, body, 'board', 'BoardReference', t.boards)
    : boardFor(state, body, existing);
  const inBoard = (table: 'boardStatuses' | 'boardTypes' | 'boardSubTypes' | 'boardItems'): RefSource => ({
    get: (id) => (board ? t[table].child(board.id, id) : undefined),
    all: () => (board ? t[table].children(board.id) : []),
  });
  let status = reference(p, body, 'status', 'ServiceStatusReference', inBoard('boardStatuses'), {
    label: `status of board ${board?.['name'] ?? '?'}`,
  });
  if (!status && body['status'] == null && board) {
    status = t.boardStatuses.children(board.id).find((s) => s['defaultFlag'] === true);
  }
  const type = reference(p, body, 'type', 'ServiceTypeReference', inBoard('boardTypes'), {
    label: 'type of the board',
  });
  const subType = reference(p, body, 'subType', 'ServiceSubTypeReference', inBoard('boardSubTypes'), {
    label: 'subtype of the board',
  });
  const item = reference(p, body, 'item', 'ServiceItemReference', inBoard('boardItems'), {
    label: 'item of the board',
  });
  let priority = reference(p, body, 'priority', 'PriorityReference', t.priorities);
  if (!priority && body['priority'] == null)
    priority = t.priorities.all().find((x) => x['defaultFlag'] === true);
  const contact = reference(p, body, 'contact', 'ContactReference', t.contacts);
  if (contact && company && (contact['company'] as Rec | undefined)?.id !== company.id) {
    p.add('contact', `The contact ${contact.id} does not belong to company ${company['identifier']}.`);
  }
  const workType = reference(p, body, 'workType', 'WorkTypeReference', t.workTypes);
  const agreement = reference(p, body, 'agreement', 'AgreementReference', t.agreements);
  const extra: Record<string, unknown> = {};
  for (const [field, max] of Object.entries(MAX_LENGTHS)) extra[field] = text(p, body, field, { max });
  for (const field of FLAGS) extra[field] = flag(p, body, field);
  const externalXRef = text(p, body, 'externalXRef', { max: 100 });
  const recordType = oneOf(p, body, 'recordType', RECORD_TYPES) ?? 'ServiceTicket';
  const severity = oneOf(p, body, 'severity', LEVELS) ?? 'Medium';
  const impact = oneOf(p, body, 'impact', LEVELS) ?? 'Medium';
  const requiredDate = date(p, body, 'requiredDate');
  const budgetHours = num(p, body, 'budgetHours', { min: 0 });
  p.throwIfAny();

  const at = stampOn(state.today);
  const closed = status?.['closedStatus'] === true;
  const wasClosed = existing?.['closedFlag'] === true;
  return compact({
    id: existing?.id ?? t.tickets.allocateId(),
    summary,
    recordType,
    board: board ? boardRef(board) : undefined,
    status: status && board ? boardStatusRef(status, board.id) : undefined,
    company: companyRef(company!),
    contact: contact ? contactRef(contact) : undefined,
    type: type && board ? boardTypeRef(type, board.id) : undefined,
    subType: subType && board ? boardSubTypeRef(subType, board.id) : undefined,
    item: item && board ? boardItemRef(item, board.id) : undefined,
    priority: priority ? priorityRef(priority) : undefined,
    workType: workType
      ? ref('workType', 'time/workTypes', workType.id, { name: workType['name'] })
      : undefined,
    agreement: agreement ? agreementRef(agreement) : undefined,
    severity,
    impact,
    externalXRef,
    requiredDate,
    budgetHours,
    ...extra,
    closedFlag: closed,
    closedDate: closed ? (wasClosed ? existing?.['closedDate'] : at) : undefined,
    closedBy: closed ? (wasClosed ? existing?.['closedBy'] : member.identifier) : undefined,
    _info: entityInfo(at, member.identifier, existing?._info),
  }) as Rec;
}
