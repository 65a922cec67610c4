// Service-desk setup: boards with their statuses, types, subtypes and items; priorities; work types.
import type { z } from 'zod';
import type { Api } from '../api.ts';
import { all, items, type PageQuery } from '../paginate.ts';
import {
  type Board,
  type BoardItem,
  type BoardStatus,
  type BoardSubType,
  type BoardType,
  board,
  boardItem,
  boardStatus,
  boardSubType,
  boardType,
  type Priority,
  priority,
  type WorkType,
  workType,
} from '../schemas/index.ts';
import { positiveId, type ReadCollection, readCollection } from './collection.ts';

/** Reads of a collection under one board (`/service/boards/{id}/statuses`, …). */
export interface BoardChildren<T> {
  all(boardId: number, query?: PageQuery): Promise<T[]>;
  iterate(boardId: number, query?: PageQuery): AsyncGenerator<T>;
  get(boardId: number, id: number): Promise<T>;
}

function boardChildren<S extends z.ZodType>(api: Api, child: string, schema: S): BoardChildren<z.output<S>> {
  const path = (boardId: number) => `/service/boards/${positiveId(boardId, 'boardId')}/${child}`;
  return {
    all: async (boardId, query) => all(api, path(boardId), schema, query),
    iterate: (boardId, query) => items(api, path(boardId), schema, query),
    get: async (boardId, id) => api.json(schema, 'GET', `${path(boardId)}/${positiveId(id)}`),
  };
}

export interface BoardsResource extends ReadCollection<Board> {
  statuses: BoardChildren<BoardStatus>;
  types: BoardChildren<BoardType>;
  subtypes: BoardChildren<BoardSubType>;
  items: BoardChildren<BoardItem>;
  /** The board's statuses flagged `closedStatus`, active ones first. */
  closedStatuses(boardId: number): Promise<BoardStatus[]>;
}

export function boardsResource(api: Api): BoardsResource {
  const statuses = boardChildren(api, 'statuses', boardStatus);
  return {
    ...readCollection(api, '/service/boards', board),
    statuses,
    types: boardChildren(api, 'types', boardType),
    subtypes: boardChildren(api, 'subtypes', boardSubType),
    items: boardChildren(api, 'items', boardItem),
    async closedStatuses(boardId) {
      const list = await statuses.all(boardId);
      return list
        .filter((s) => s.closedStatus === true)
        .sort((a, b) => Number(a.inactive === true) - Number(b.inactive === true));
    },
  };
}

export type PrioritiesResource = ReadCollection<Priority>;
export type WorkTypesResource = ReadCollection<WorkType>;

export function prioritiesResource(api: Api): PrioritiesResource {
  return readCollection(api, '/service/priorities', priority);
}

export function workTypesResource(api: Api): WorkTypesResource {
  return readCollection(api, '/time/workTypes', workType);
}
