import { addMonths, monthStart } from '../time.ts';
import type { SimState } from '../types.ts';
import { addAgreement, addCompany, addContact } from './build.ts';

/**
 * `scale:N`: N companies, each with one contact and one active monthly agreement due this month.
 * Deterministic (names and ids follow the index) and fast: plain object building, no validation.
 */
export function seedScale(state: SimState, count: number): void {
  const thisMonth = monthStart(state.today);
  const start = addMonths(thisMonth, -12);
  for (let i = 1; i <= count; i++) {
    const n = String(i).padStart(6, '0');
    const company = addCompany(state, { identifier: `Customer${n}`, name: `Customer ${n}`, index: i });
    const contact = addContact(state, company, 'Pat', `Owner${n}`);
    addAgreement(state, company, contact, {
      name: 'Email Security',
      startDate: start,
      nextInvoiceDate: thisMonth,
    });
  }
}
