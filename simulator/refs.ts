import type { Rec } from './types.ts';

/**
 * Hrefs inside stored records start with this token; the server swaps it for the request's own
 * `https://host/{codebase}apis/3.0` when it writes the response, so one stored record serves every
 * codebase and host (CW's hrefs always point back at the codebase the client called).
 */
export const BASE = 'cw-sim:/base';

/** A CW reference object `{id, …label, _info: {<kind>_href}}`, with absent labels left out. */
export function ref(kind: string, path: string, id: number, label: Record<string, unknown> = {}): Rec {
  const out: Rec = { id };
  for (const k in label) {
    const v = label[k];
    if (v !== undefined && v !== null) out[k] = v;
  }
  const info: Record<string, string> = {};
  info[`${kind}_href`] = `${BASE}/${path}/${id}`;
  out._info = info;
  return out;
}

export const companyRef = (c: Rec) =>
  ref('company', 'company/companies', c.id, { identifier: c['identifier'], name: c['name'] });
export const contactRef = (c: Rec) =>
  ref('contact', 'company/contacts', c.id, { name: `${c['firstName'] ?? ''} ${c['lastName'] ?? ''}`.trim() });
export const companyStatusRef = (s: Rec) =>
  ref('status', 'company/companies/statuses', s.id, { name: s['name'] });
export const boardRef = (b: Rec) => ref('board', 'service/boards', b.id, { name: b['name'] });
export const boardStatusRef = (s: Rec, boardId: number) =>
  ref('status', `service/boards/${boardId}/statuses`, s.id, { name: s['name'], sort: s['sortOrder'] });
export const boardTypeRef = (t: Rec, boardId: number) =>
  ref('type', `service/boards/${boardId}/types`, t.id, { name: t['name'] });
export const boardSubTypeRef = (t: Rec, boardId: number) =>
  ref('subType', `service/boards/${boardId}/subtypes`, t.id, { name: t['name'] });
export const boardItemRef = (t: Rec, boardId: number) =>
  ref('item', `service/boards/${boardId}/items`, t.id, { name: t['name'] });
export const priorityRef = (p: Rec) =>
  ref('priority', 'service/priorities', p.id, { name: p['name'], sort: p['sortOrder'], level: p['level'] });
export const productRef = (p: Rec) =>
  ref('product', 'procurement/catalog', p.id, { identifier: p['identifier'] });
export const agreementRef = (a: Rec) =>
  ref('agreement', 'finance/agreements', a.id, {
    name: a['name'],
    type: (a['type'] as Rec | undefined)?.['name'],
  });
export const memberRef = (m: { id: number; identifier: string; name: string }) =>
  ref('member', 'system/members', m.id, { identifier: m.identifier, name: m.name });

/**
 * Entity `_info` as CW sends it: who and when, dates in CW form. A replaced record passes its
 * previous `_info`, so it keeps who entered it and when.
 */
export function entityInfo(
  at: string,
  by: string,
  previous?: Record<string, string>,
): Record<string, string> {
  return {
    lastUpdated: at,
    updatedBy: by,
    dateEntered: previous?.['dateEntered'] ?? at,
    enteredBy: previous?.['enteredBy'] ?? by,
  };
}

/** Drops null and undefined fields, as CW leaves them out of its JSON. */
export function compact(rec: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(rec)) if (rec[key] === null || rec[key] === undefined) delete rec[key];
  return rec;
}
