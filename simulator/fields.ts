import { CW_FIELDS } from './cw-fields.ts';
import type { FieldKind } from './query/index.ts';

/**
 * What `conditions`, `orderBy` and `fields` may name on each resource: the fields of its schema in
 * CW's OpenAPI document (see cw-fields.ts), so a typo is a 400 instead of a silently empty result,
 * and a literal of the wrong kind gets CW's "Expected a boolean value, not a numeric" error.
 * `lastUpdated`, `dateEntered`, `updatedBy` and `enteredBy` are accepted as CW's guide uses them
 * (`lastUpdated > [2016-08-20T18:04:26Z]`) and read from the entity's `_info`.
 */
export const INFO_ALIASES: Record<string, string> = {
  lastUpdated: '_info/lastUpdated',
  dateEntered: '_info/dateEntered',
  updatedBy: '_info/updatedBy',
  enteredBy: '_info/enteredBy',
};

const KINDS: Record<string, FieldKind | undefined> = {
  s: 'string',
  n: 'number',
  b: 'boolean',
  d: 'datetime',
};

export interface ResourceFields {
  /** For conditions: path → kind. */
  conditions: ReadonlyMap<string, FieldKind | undefined>;
  /** For orderBy and fields: known paths, any `_info` below a known path too. */
  paths: (path: string) => boolean;
}

const cache = new Map<string, ResourceFields>();

export function fieldsOf(schema: string): ResourceFields | undefined {
  const spec = CW_FIELDS[schema];
  if (spec === undefined) return undefined;
  const hit = cache.get(schema);
  if (hit) return hit;
  const map = new Map<string, FieldKind | undefined>();
  for (const entry of spec.split(' ')) {
    const at = entry.lastIndexOf(':');
    map.set(entry.slice(0, at), KINDS[entry.slice(at + 1)]);
  }
  for (const [alias, target] of Object.entries(INFO_ALIASES)) {
    const kind: FieldKind = alias.startsWith('date') || alias === 'lastUpdated' ? 'datetime' : 'string';
    map.set(alias, kind);
    map.set(target, kind);
  }
  const paths = (path: string) => {
    if (map.has(path) || path === '_info') return true;
    const info = path.indexOf('_info');
    return info > 0 && map.has(path.slice(0, info - 1)) ? true : info === 0;
  };
  const fields: ResourceFields = { conditions: map, paths };
  cache.set(schema, fields);
  return fields;
}

/** The schema's top-level field names (what a PATCH path may name). */
export function topLevelFields(schema: string): Set<string> {
  const fields = fieldsOf(schema);
  const out = new Set<string>();
  for (const path of fields?.conditions.keys() ?? []) {
    if (!path.includes('/') && !(path in INFO_ALIASES)) out.add(path);
  }
  return out;
}
