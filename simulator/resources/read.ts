import type { Collection } from '../collection.ts';
import { notFound } from '../errors.ts';
import { countReply, listReply, oneReply } from '../listing.ts';
import type { Permission } from '../roles.ts';
import type { Route, RouteContext } from '../router.ts';
import type { SimState } from '../types.ts';

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

/** Children of one parent record (additions of an agreement, statuses of a board, notes of a ticket). */
export function childTableRoutes(spec: ChildSpec): Route[] {
  const children = (ctx: RouteContext) => {
    const parentId = ctx.params[0]!;
    if (!spec.parent(ctx.state).get(parentId)) throw notFound(spec.parentWhat, parentId);
    return spec.table(ctx.state).children(parentId);
  };
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
      handle: (ctx) => {
        const id = ctx.params[1]!;
        const rec = children(ctx).find((r) => r.id === id);
        return oneReply(ctx, rec, spec.what, id, schema);
      },
    },
  ];
}

/** The child record addressed by `…/{parentId}/…/{id}`, or CW's 404 for the parent or the child. */
export function childOf(
  ctx: RouteContext,
  spec: Pick<ChildSpec, 'parent' | 'parentWhat' | 'table' | 'what'>,
) {
  const [parentId, id] = ctx.params as [number, number];
  const parent = spec.parent(ctx.state).get(parentId);
  if (!parent) throw notFound(spec.parentWhat, parentId);
  const table = spec.table(ctx.state);
  const rec = table.get(id);
  if (!rec || table.parentIdOf(id) !== parentId) throw notFound(spec.what, id);
  return { parent, rec };
}
