import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  activeIn,
  advance,
  agreementStatusOn,
  alreadyBilled,
  invoiceLines,
  lineFor,
  periodAt,
} from './billing.ts';
import { addDays } from './time.ts';
import type { Invoice, Rec } from './types.ts';

const add = (
  id: number,
  effective?: string,
  cancelled?: string,
  extra: Record<string, unknown> = {},
): Rec => ({
  id,
  product: { id: 1, identifier: 'Core' },
  quantity: 10,
  unitPrice: 3,
  billCustomer: 'Billable',
  ...(effective ? { effectiveDate: `${effective}T00:00:00Z` } : {}),
  ...(cancelled ? { cancelledDate: `${cancelled}T00:00:00Z` } : {}),
  ...extra,
});

describe('billing periods', () => {
  it('bills the calendar period at nextInvoiceDate and moves one cycle on', () => {
    expect(periodAt('2026-03-15T00:00:00Z', 1)).toEqual({ start: '2026-03-01', end: '2026-03-31' });
    expect(periodAt('2026-02-01T00:00:00Z', 1)).toEqual({ start: '2026-02-01', end: '2026-02-28' });
    expect(periodAt('2026-11-01T00:00:00Z', 3)).toEqual({ start: '2026-11-01', end: '2027-01-31' });
    expect(advance('2026-12-01', 1)).toBe('2027-01-01');
    expect(advance('2026-01-01', 12)).toBe('2027-01-01');
  });

  it('counts an addition active when effective on or before the end and not cancelled before the start', () => {
    const march = { start: '2026-03-01', end: '2026-03-31' };
    expect(activeIn(add(1, '2026-03-31'), march)).toBe(true);
    expect(activeIn(add(1, '2026-04-01'), march)).toBe(false);
    expect(activeIn(add(1, '2026-01-01', '2026-03-01'), march)).toBe(true);
    expect(activeIn(add(1, '2026-01-01', '2026-02-28'), march)).toBe(false);
    expect(activeIn(add(1), march)).toBe(true);
  });

  it('prices a line as (quantity − lessIncluded, never below 0) × unitPrice, and only Billable costs money', () => {
    expect(lineFor(add(1, '2026-01-01', undefined, { lessIncluded: 4 })).amount).toBe(18);
    expect(lineFor(add(1, '2026-01-01', undefined, { lessIncluded: 40 })).amount).toBe(0);
    expect(lineFor(add(1, '2026-01-01', undefined, { billCustomer: 'NoCharge' })).amount).toBe(0);
  });

  it('property: the invoice lines are exactly the additions active in the period', () => {
    const day = fc.integer({ min: 0, max: 500 }).map((n) => addDays('2025-06-01', n));
    const addition = fc.record({
      effective: fc.option(day, { nil: undefined }),
      cancelled: fc.option(day, { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(addition, { maxLength: 20 }), day, (plans, when) => {
        const additions = plans.map((p, i) => add(i + 1, p.effective, p.cancelled));
        const period = periodAt(`${when}T00:00:00Z`, 1);
        const billed = invoiceLines(additions, period).map((l) => l.additionId);
        const expected = plans
          .map((p, i) => ({ ...p, id: i + 1 }))
          .filter((p) => (p.effective ?? '0000') <= period.end && (p.cancelled ?? '9999') >= period.start)
          .map((p) => p.id);
        expect(billed).toEqual(expected);
      }),
    );
  });

  it('knows billed days from invoices and from nextInvoiceDate', () => {
    const agreement: Rec = {
      id: 1,
      startDate: '2025-01-01T00:00:00Z',
      nextInvoiceDate: '2026-03-01T00:00:00Z',
    };
    const invoices = [{ periodStart: '2026-03-01', periodEnd: '2026-03-31' } as Invoice];
    expect(alreadyBilled(agreement, [], '2026-02-28')).toBe(true);
    expect(alreadyBilled(agreement, [], '2026-03-01')).toBe(false);
    expect(alreadyBilled(agreement, invoices, '2026-03-31')).toBe(true);
    expect(alreadyBilled(agreement, [], '2024-12-31')).toBe(false);
  });

  it('derives agreement status from cancellation and dates', () => {
    expect(agreementStatusOn({ id: 1, cancelledFlag: true }, '2026-03-10')).toBe('Cancelled');
    expect(agreementStatusOn({ id: 1, endDate: '2026-03-09T00:00:00Z' }, '2026-03-10')).toBe('Expired');
    expect(agreementStatusOn({ id: 1, startDate: '2026-04-01T00:00:00Z' }, '2026-03-10')).toBe('Inactive');
    expect(agreementStatusOn({ id: 1, startDate: '2026-03-10T00:00:00Z' }, '2026-03-10')).toBe('Active');
  });
});
