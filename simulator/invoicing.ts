import { advance, agreementStatusOn, invoiceLines, periodAt, total } from './billing.ts';
import { badRequest, notFound } from './errors.ts';
import { dayOf, dayToCw, stampOn } from './time.ts';
import type { Invoice, Rec, SimState } from './types.ts';

const CYCLE_MONTHS: Record<string, number> = { Monthly: 1, Quarterly: 3, SemiAnnual: 6, Yearly: 12 };

export function cycleMonths(agreement: Rec): number {
  const cycle = agreement['billingCycle'] as Rec | undefined;
  return CYCLE_MONTHS[String(cycle?.['name'] ?? 'Monthly')] ?? 1;
}

export function invoicesOf(state: SimState, agreementId: number): Invoice[] {
  return state.invoices.filter((i) => i.agreementId === agreementId);
}

/**
 * Bills the period at the agreement's nextInvoiceDate with every addition active in it, at the
 * quantity it has now, records the invoice with its lines and moves nextInvoiceDate one cycle on.
 */
export function runInvoice(state: SimState, agreementId: number, date = state.today): Invoice {
  const agreement = state.tables.agreements.get(agreementId);
  if (!agreement) throw notFound('Agreement', agreementId);
  const next = agreement['nextInvoiceDate'] as string | undefined;
  if (next === undefined) throw badRequest(`Agreement ${agreementId} has no nextInvoiceDate to invoice.`);
  const status = agreementStatusOn(agreement, state.today);
  if (status === 'Cancelled')
    throw badRequest(`Agreement ${agreementId} is cancelled and cannot be invoiced.`);
  const months = cycleMonths(agreement);
  const invoice = recordInvoice(state, agreement, dayOf(next), date);
  state.tables.agreements.put({
    ...agreement,
    nextInvoiceDate: dayToCw(advance(invoice.periodStart, months)),
    _info: { ...agreement._info, lastUpdated: stampOn(state.today), updatedBy: 'zAdmin' },
  });
  return invoice;
}

/** Recomputes agreementStatus on agreements and their additions after the clock moved. */
export function refreshAgreementStatuses(state: SimState): void {
  const { agreements, additions } = state.tables;
  for (const agreement of agreements.all()) {
    const status = agreementStatusOn(agreement, state.today);
    if (agreement['agreementStatus'] !== status) agreements.put({ ...agreement, agreementStatus: status });
    for (const addition of additions.children(agreement.id)) {
      if (addition['agreementStatus'] !== status) additions.put({ ...addition, agreementStatus: status });
    }
  }
}

/** Records an invoice for a past period without touching nextInvoiceDate (seeds build history). */
export function recordInvoice(state: SimState, agreement: Rec, start: string, date: string): Invoice {
  const months = cycleMonths(agreement);
  const period = periodAt(start, months);
  const lines = invoiceLines(state.tables.additions.children(agreement.id), period);
  const id = state.nextInvoiceId++;
  const invoice: Invoice = {
    id,
    invoiceNumber: `AGR-${String(id).padStart(5, '0')}`,
    agreementId: agreement.id,
    companyId: (agreement['company'] as Rec).id,
    periodStart: period.start,
    periodEnd: period.end,
    date,
    total: total(lines),
    lines,
  };
  state.invoices.push(invoice);
  return invoice;
}
