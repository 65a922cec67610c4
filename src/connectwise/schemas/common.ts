// Building blocks for CW entity schemas. Every field except an entity's id is optional and nullable:
// CW omits null fields and real data breaks the spec's `required` (see docs/connectwise-api.md).
// Objects are loose so fields we do not model pass through untouched.
import { z } from 'zod';

export const id = z.number().int();
export const optId = z.number().int().nullish();
export const str = z.string().nullish();
export const num = z.number().nullish();
export const bool = z.boolean().nullish();
/** `_info`: CW's map of `lastUpdated`, `updatedBy`, `*_href` links. */
export const info = z.record(z.string(), z.string()).nullish();

/** A reference with `id` and `name` (BoardReference, SiteReference, …). */
export const namedRef = z.looseObject({ id: optId, name: str, _info: info });

export const companyRef = z.looseObject({ id: optId, identifier: str, name: str, _info: info });
export const memberRef = z.looseObject({ id: optId, identifier: str, name: str, _info: info });
export const ivItemRef = z.looseObject({ id: optId, identifier: str, _info: info });
export const serviceStatusRef = z.looseObject({ id: optId, name: str, sort: optId, _info: info });
export const priorityRef = z.looseObject({ id: optId, name: str, sort: optId, level: str, _info: info });

export const billable = ['Billable', 'DoNotBill', 'NoCharge'] as const;
export const billableOrDefault = ['Billable', 'DoNotBill', 'NoCharge', 'NoDefault'] as const;
export const agreementStatuses = ['Active', 'Cancelled', 'Expired', 'Inactive'] as const;

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values).nullish();
}

/** A write-side reference: CW wants `{ "id": 250 }`, never a bare id. */
export const idRef = z.object({ id: z.number().int().positive() }).strict();

/** `YYYY-MM-DD` for CW date fields; sent as midnight UTC, the way CW stores dates. */
export const calendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');

export function toCwDate(date: string): string {
  return `${date}T00:00:00Z`;
}

/** A CW PATCH body: `[{op, path, value}]` with top-level, case-sensitive paths. */
export interface PatchOperation {
  op: 'replace' | 'add' | 'remove';
  path: string;
  value?: unknown;
}

/** Turns `{ quantity: 5, cancelledDate: undefined }` into replace operations for the defined keys. */
export function replaceOps(changes: Record<string, unknown>): PatchOperation[] {
  return Object.entries(changes)
    .filter(([, value]) => value !== undefined)
    .map(([path, value]) => ({ op: 'replace' as const, path, value }));
}
