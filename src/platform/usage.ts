// Daily usage snapshots (`POST /usage`): an upsert per (tenant, sku, date) of an ABSOLUTE quantity — the
// billing side posts the last quantity it saw, so a resend overwrites instead of adding. A request is
// checked whole before anything is written, and written in one transaction: never half-applied.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { HttpError } from '../http/index.ts';
import type { Database } from '../store/index.ts';
import { tenantIdSchema } from './events.ts';

export const MAX_USAGE_ITEMS = 20_000;

const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine((d) => {
    const parsed = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === d;
  }, 'expected a real calendar date');

export const usageBodySchema = z.object({
  date: calendarDate,
  items: z
    .array(
      z.object({
        tenantId: tenantIdSchema,
        sku: z
          .string()
          .min(1)
          .max(64)
          .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits and . _ - only'),
        quantity: z.number().int('expected a whole number').min(0, 'expected 0 or more').max(10_000_000),
      }),
    )
    .max(MAX_USAGE_ITEMS),
});
export type UsageBody = z.output<typeof usageBodySchema>;

/** Problems that need no database: the same (tenant, sku) twice would make the upsert ambiguous. */
export function duplicateItem(body: UsageBody): HttpError | undefined {
  const seen = new Map<string, number>();
  for (const [i, item] of body.items.entries()) {
    const key = `${item.tenantId}\u0000${item.sku}`;
    const first = seen.get(key);
    if (first !== undefined) {
      return new HttpError(
        400,
        'invalid_request',
        `body.items.${i}: same tenantId and sku as items.${first}`,
        {
          issues: [{ field: `body.items.${i}.sku`, message: `same tenantId and sku as items.${first}` }],
        },
      );
    }
    seen.set(key, i);
  }
  return undefined;
}

const CHUNK = 500;

/** Run inside a write transaction: throws a 400 naming the first unknown tenant, else upserts all items. */
export async function recordUsage(
  tx: Kysely<Database>,
  partnerId: string,
  body: UsageBody,
  now: string,
): Promise<{ upserted: number }> {
  const ids = [...new Set(body.items.map((i) => i.tenantId))];
  const known = new Set<string>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await tx
      .selectFrom('tenants')
      .select('tenant_id')
      .where('partner_id', '=', partnerId)
      .where('tenant_id', 'in', ids.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) known.add(r.tenant_id);
  }
  const unknown = body.items.findIndex((item) => !known.has(item.tenantId));
  if (unknown >= 0) {
    const message = `unknown tenant "${body.items[unknown]!.tenantId}"; send PUT /tenants/{tenantId} first`;
    throw new HttpError(400, 'unknown_tenant', `body.items.${unknown}.tenantId: ${message}`, {
      issues: [{ field: `body.items.${unknown}.tenantId`, message }],
    });
  }
  for (let i = 0; i < body.items.length; i += CHUNK) {
    const values = body.items.slice(i, i + CHUNK).map((item) => ({
      partner_id: partnerId,
      tenant_id: item.tenantId,
      sku: item.sku,
      date: body.date,
      quantity: item.quantity,
      received_at: now,
    }));
    await tx
      .insertInto('usage_snapshots')
      .values(values)
      .onConflict((oc) =>
        oc.columns(['partner_id', 'tenant_id', 'sku', 'date']).doUpdateSet((eb) => ({
          quantity: eb.ref('excluded.quantity'),
          received_at: eb.ref('excluded.received_at'),
        })),
      )
      .execute();
  }
  return { upserted: body.items.length };
}
