import { addMonths, dayOf, monthStart, periodEnd } from './time.ts';
import type { Invoice, InvoiceLine, Rec } from './types.ts';

/**
 * Agreement billing, as pure functions. What CW documents: an addition bills from its effectiveDate
 * until its cancelledDate; an agreement's nextInvoiceDate says which period the next invoice covers
 * and only moves when that invoice is made. What it does not document, and this models: the invoice
 * bills whole calendar periods (no proration) starting on the 1st of nextInvoiceDate's month, and a
 * new addition dated inside an already invoiced period is refused.
 */

export interface Period {
  start: string; // YYYY-MM-DD, 1st of a month
  end: string; // YYYY-MM-DD, last day of the period
}

export function periodAt(nextInvoiceDate: string, cycleMonths: number): Period {
  const start = monthStart(dayOf(nextInvoiceDate));
  return { start, end: periodEnd(start, cycleMonths) };
}

/** Active in a period: effective on or before its last day and not cancelled before its first. */
export function activeIn(addition: Rec, period: Period): boolean {
  const effective = addition['effectiveDate'] as string | undefined;
  const cancelled = addition['cancelledDate'] as string | undefined;
  if (effective !== undefined && dayOf(effective) > period.end) return false;
  if (cancelled !== undefined && dayOf(cancelled) < period.start) return false;
  return true;
}

/** Less Included is subtracted from the quantity, never below zero; only Billable lines cost money. */
export function lineFor(addition: Rec): InvoiceLine {
  const quantity = Number(addition['quantity'] ?? 0);
  const lessIncluded = Number(addition['lessIncluded'] ?? 0);
  const unitPrice = Number(addition['unitPrice'] ?? 0);
  const billCustomer = String(addition['billCustomer'] ?? 'Billable');
  const billed = Math.max(0, quantity - lessIncluded);
  const amount = billCustomer === 'Billable' ? round2(billed * unitPrice) : 0;
  const product = addition['product'] as Rec | undefined;
  const line: InvoiceLine = {
    additionId: addition.id,
    product: String(product?.['identifier'] ?? product?.id ?? ''),
    description: String(addition['description'] ?? product?.['identifier'] ?? ''),
    quantity,
    lessIncluded,
    unitPrice,
    billCustomer,
    amount,
    effectiveDate: String(addition['effectiveDate'] ?? ''),
  };
  if (addition['cancelledDate'] !== undefined) line.cancelledDate = String(addition['cancelledDate']);
  return line;
}

export function invoiceLines(additions: readonly Rec[], period: Period): InvoiceLine[] {
  return additions.filter((a) => activeIn(a, period)).map(lineFor);
}

export function total(lines: readonly InvoiceLine[]): number {
  return round2(lines.reduce((sum, l) => sum + l.amount, 0));
}

/** The nextInvoiceDate after invoicing the period that starts at `start`. */
export function advance(start: string, cycleMonths: number): string {
  return addMonths(start, cycleMonths);
}

/** Whether the calendar day falls inside a period an invoice of this agreement already billed. */
function isInvoicedDay(invoices: readonly Invoice[], day: string): boolean {
  return invoices.some((inv) => inv.periodStart <= day && day <= inv.periodEnd);
}

/**
 * Whether an addition dated `day` would fall in a period already billed: a recorded invoice covers
 * it, or it lies between the agreement's billing start and the period nextInvoiceDate points at
 * (everything before nextInvoiceDate has been invoiced — that is what the date means).
 */
export function alreadyBilled(agreement: Rec, invoices: readonly Invoice[], day: string): boolean {
  if (isInvoicedDay(invoices, day)) return true;
  const next = agreement['nextInvoiceDate'] as string | undefined;
  const start = (agreement['billStartDate'] ?? agreement['startDate']) as string | undefined;
  if (next === undefined || start === undefined) return false;
  return day >= monthStart(dayOf(start)) && day < monthStart(dayOf(next));
}

/** Agreement status on a given day, from the flags and dates CW derives it from. */
export function agreementStatusOn(
  agreement: Rec,
  today: string,
): 'Active' | 'Cancelled' | 'Expired' | 'Inactive' {
  if (agreement['cancelledFlag'] === true) return 'Cancelled';
  const end = agreement['endDate'] as string | undefined;
  if (end !== undefined && agreement['noEndingDateFlag'] !== true && dayOf(end) < today) return 'Expired';
  const start = agreement['startDate'] as string | undefined;
  if (start !== undefined && dayOf(start) > today) return 'Inactive';
  return 'Active';
}

/** Money to the cent. */
export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
