// Our schemas by the name of the CW component schema they model (checked against the OpenAPI document).
import { company, companyStatus, contact } from './company.ts';
import { addition, agreement } from './finance.ts';
import { catalogItem } from './procurement.ts';
import { board, boardItem, boardStatus, boardSubType, boardType, priority, workType } from './service.ts';
import { serviceNote, ticket } from './ticket.ts';

export * from './common.ts';
export * from './company.ts';
export * from './finance.ts';
export * from './procurement.ts';
export * from './service.ts';
export * from './system.ts';
export * from './ticket.ts';

export const SCHEMAS_BY_CW_NAME = {
  Company: company,
  CompanyStatus: companyStatus,
  Contact: contact,
  Agreement: agreement,
  Addition: addition,
  CatalogItem: catalogItem,
  Board: board,
  BoardStatus: boardStatus,
  BoardType: boardType,
  BoardSubType: boardSubType,
  BoardItem: boardItem,
  Priority: priority,
  WorkType: workType,
  Ticket: ticket,
  ServiceNote: serviceNote,
} as const;
