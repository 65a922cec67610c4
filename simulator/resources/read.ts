import type { Collection } from '../collection.ts';
import { notFound } from '../errors.ts';
import { countReply, listReply, oneReply } from '../listing.ts';
import type { Permission } from '../roles.ts';
import type { Route, RouteContext } from '../router.ts';
import type { Rec, SimState } from '../types.ts';

/** The read side every CW collection has: list, `/count`, `/{id}`. */
export function tableRoutes(
  pattern: string,
  table: (s: SimState) => Collection,
  what: string,
  permission: Permission,
  schema = what,
): Route[] {
  return [
    {
      method: 'GET',
      pattern,
      permission,
      handle: (ctx) => listReply(ctx, table(ctx.state).all(), { schema, stable: true }),
    },
    {
      method: 'GET',
      pattern: `${pattern}/count`,
      permission,
      handle: (ctx) => countReply(ctx, table(ctx.state).all(), schema),
    },
    {
      method: 'GET',
      pattern: `${pattern}/:id`,
      permission,
      handle: (ctx) => oneReply(ctx, table(ctx.state).get(ctx.params[0]!), what, ctx.params[0]!, schema),
    },
  ];
}

export interface ChildSpec {
  /** e.g. `finance/agreements/:id/additions` */
  pattern: string;
  parent: (s: SimState) => Collection;
  parentWhat: string;
  table: (s: SimState) => Collection;
  what: string;
  /** CW schema name, when it differs from `what`. */
  schema?: string;
  permission: Permission;
}

/** The parent record addressed by `…/{parentId}/…`, or CW's 404 naming it. */
export function parentOf(ctx: RouteContext, spec: Pick<ChildSpec, 'parent' | 'parentWhat'>): Rec {
  const parentId = ctx.params[0]!;
  const parent = spec.parent(ctx.state).get(parentId);
  if (!parent) throw notFound(spec.parentWhat, parentId);
  return parent;
}

/** The child record addressed by `…/{parentId}/…/{id}`, or CW's 404 for the parent or the child. */
export function childOf(
  ctx: RouteContext,
  spec: Pick<ChildSpec, 'parent' | 'parentWhat' | 'table' | 'what'>,
) {
  const parent = parentOf(ctx, spec);
  const id = ctx.params[1]!;
  const rec = spec.table(ctx.state).child(parent.id, id);
  if (!rec) throw notFound(spec.what, id);
  return { parent, rec };
}

/** Children of one parent record (additions of an agreement, statuses of a board, notes of a ticket). */
export function childTableRoutes(spec: ChildSpec): Route[] {
  const children = (ctx: RouteContext) => spec.table(ctx.state).children(parentOf(ctx, spec).id);
  const { pattern, permission } = spec;
  const schema = spec.schema ?? spec.what;
  return [
    { method: 'GET', pattern, permission, handle: (ctx) => listReply(ctx, children(ctx), { schema }) },
    {
      method: 'GET',
      pattern: `${pattern}/count`,
      permission,
      handle: (ctx) => countReply(ctx, children(ctx), schema),
    },
    {
      method: 'GET',
      pattern: `${pattern}/:id`,
      permission,
      handle: (ctx) => oneReply(ctx, childOf(ctx, spec).rec, spec.what, ctx.params[1]!, schema),
    },
  ];
}
