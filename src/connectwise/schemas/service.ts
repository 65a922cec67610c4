// Service-desk setup tables: boards and what hangs off them, priorities, work types.
import { z } from 'zod';
import { billable, bool, id, info, namedRef, num, oneOf, optId } from './common.ts';

export const board = z.looseObject({
  id,
  name: z.string(),
  location: namedRef.nullish(),
  department: namedRef.nullish(),
  inactiveFlag: bool,
  projectFlag: bool,
  _info: info,
});
export type Board = z.infer<typeof board>;

export const escalationStatuses = [
  'NotResponded',
  'Responded',
  'ResolutionPlan',
  'Resolved',
  'NoEscalation',
] as const;

export const boardStatus = z.looseObject({
  id,
  name: z.string(),
  board: namedRef.nullish(),
  sortOrder: optId,
  displayOnBoard: bool,
  inactive: bool,
  closedStatus: bool,
  defaultFlag: bool,
  escalationStatus: oneOf(escalationStatuses),
  _info: info,
});
export type BoardStatus = z.infer<typeof boardStatus>;

export const boardType = z.looseObject({
  id,
  name: z.string(),
  category: oneOf(['Reactive', 'Proactive']),
  defaultFlag: bool,
  inactiveFlag: bool,
  board: namedRef.nullish(),
  _info: info,
});
export type BoardType = z.infer<typeof boardType>;

export const boardSubType = z.looseObject({
  id,
  name: z.string(),
  inactiveFlag: bool,
  typeAssociationIds: z.array(z.number().int()).nullish(),
  board: namedRef.nullish(),
  _info: info,
});
export type BoardSubType = z.infer<typeof boardSubType>;

export const boardItem = z.looseObject({
  id,
  name: z.string(),
  inactiveFlag: bool,
  board: namedRef.nullish(),
  _info: info,
});
export type BoardItem = z.infer<typeof boardItem>;

export const priorityColors = [
  'Black',
  'Blue',
  'Cyan',
  'Gray',
  'Green',
  'Lime',
  'Orange',
  'Pink',
  'Purple',
  'Red',
  'White',
  'Yellow',
  'Custom',
] as const;

export const priority = z.looseObject({
  id,
  name: z.string(),
  color: oneOf(priorityColors),
  sortOrder: optId,
  defaultFlag: bool,
  level: oneOf(['Critical', 'High', 'Medium', 'Low']),
  _info: info,
});
export type Priority = z.infer<typeof priority>;

export const workType = z.looseObject({
  id,
  name: z.string(),
  billTime: oneOf(billable),
  rateType: oneOf(['AdjAmount', 'Custom', 'Multiplier']),
  rate: num,
  inactiveFlag: bool,
  overallDefaultFlag: bool,
  _info: info,
});
export type WorkType = z.infer<typeof workType>;
