import { z } from 'zod';
import {
  bool,
  companyRef,
  id,
  idRef,
  info,
  memberRef,
  namedRef,
  oneOf,
  optId,
  priorityRef,
  serviceStatusRef,
  str,
} from './common.ts';

export const recordTypes = ['ProjectIssue', 'ProjectTicket', 'ServiceTicket'] as const;
const lowMediumHigh = ['Low', 'Medium', 'High'] as const;

export const ticket = z.looseObject({
  id,
  summary: z.string(),
  recordType: oneOf(recordTypes),
  board: namedRef.nullish(),
  status: serviceStatusRef.nullish(),
  company: companyRef.nullish(),
  contact: namedRef.nullish(),
  type: namedRef.nullish(),
  subType: namedRef.nullish(),
  item: namedRef.nullish(),
  priority: priorityRef.nullish(),
  owner: memberRef.nullish(),
  agreement: namedRef.nullish(),
  severity: oneOf(lowMediumHigh),
  impact: oneOf(lowMediumHigh),
  externalXRef: str,
  closedFlag: bool,
  closedDate: str,
  closedBy: str,
  _info: info,
});
export type Ticket = z.infer<typeof ticket>;

export const ticketCreate = z
  .object({
    summary: z.string().min(1).max(100),
    company: idRef,
    board: idRef.optional(),
    status: idRef.optional(),
    type: idRef.optional(),
    subType: idRef.optional(),
    item: idRef.optional(),
    priority: idRef.optional(),
    contact: idRef.optional(),
    recordType: z.enum(recordTypes).optional(),
    initialDescription: z.string().optional(),
    initialInternalAnalysis: z.string().optional(),
    externalXRef: z.string().max(100).optional(),
    processNotifications: z.boolean().optional(),
  })
  .strict();
export type TicketCreate = z.input<typeof ticketCreate>;

export const ticketPatch = z
  .object({
    summary: z.string().min(1).max(100).optional(),
    board: idRef.optional(),
    status: idRef.optional(),
    type: idRef.optional(),
    subType: idRef.optional(),
    item: idRef.optional(),
    priority: idRef.optional(),
    contact: idRef.optional(),
    externalXRef: z.string().max(100).optional(),
  })
  .strict();
export type TicketPatch = z.input<typeof ticketPatch>;

export const serviceNote = z.looseObject({
  id,
  ticketId: optId,
  text: str,
  detailDescriptionFlag: bool,
  internalAnalysisFlag: bool,
  resolutionFlag: bool,
  member: memberRef.nullish(),
  contact: namedRef.nullish(),
  dateCreated: str,
  createdBy: str,
  internalFlag: bool,
  externalFlag: bool,
  _info: info,
});
export type ServiceNote = z.infer<typeof serviceNote>;

export const noteCreate = z
  .object({
    text: z.string().min(1),
    detailDescriptionFlag: z.boolean().optional(),
    internalAnalysisFlag: z.boolean().optional(),
    resolutionFlag: z.boolean().optional(),
    processNotifications: z.boolean().optional(),
  })
  .strict()
  .refine((n) => n.detailDescriptionFlag || n.internalAnalysisFlag || n.resolutionFlag, {
    message:
      'set detailDescriptionFlag, internalAnalysisFlag or resolutionFlag (CW needs to know where to show it)',
    path: ['detailDescriptionFlag'],
  });
export type NoteCreate = z.input<typeof noteCreate>;
