import { cycleMonths, recordInvoice } from '../invoicing.ts';
import { buildAddition } from '../resources/additions.ts';
import { adminRole } from '../roles.ts';
import { addDays, addMonths, dayToCw, monthStart } from '../time.ts';
import type { ApiMember, Rec, SimState } from '../types.ts';
import { addAgreement, addCompany, addContact } from './build.ts';
import { productByIdentifier } from './catalog.ts';
import { seedDemoTickets } from './demo-tickets.ts';
import { SEED_USER } from './members.ts';

/** The seeded "person" who entered demo data, as CW's `_info.enteredBy` shows it. */
const SEED_MEMBER: ApiMember = {
  id: 1,
  identifier: SEED_USER,
  name: 'Sandbox Admin',
  publicKey: '',
  privateKey: '',
  role: adminRole(),
  inactive: true, // cannot log in: it only signs seeded records
};

const COMPANIES = [
  'Sandbox MSP',
  'Acme Logistics',
  'Blue Harbor Dental',
  'Cedar Ridge Law',
  'Dunmore Paper',
  'Evergreen Clinics',
  'Fulton Foods',
  'Granite Peak CPA',
  'Harbor Light Church',
  'Ironwood Manufacturing',
  'Juniper Schools',
  'Keystone Realty',
  'Lakeside Veterinary',
  'Maple Street Bank',
  'Northwind Traders',
  'Oakmont Insurance',
  'Pinecrest Hotels',
  'Quarry Hill Architects',
  'Riverbend Medical',
  'Summit Outdoor',
  'Tidewater Marine',
  'Union Square Media',
  'Valley Auto Group',
  'Westfield Library',
  'Yellowstone Freight',
];
const INACTIVE = 'Westfield Library';
const DELETED = 'Yellowstone Freight';
const CANCELLED = 'Oakmont Insurance';
const EXPIRED = 'Pinecrest Hotels';
const QUARTERLY = 'Evergreen Clinics';
const FIRST_NAMES = [
  'Alex',
  'Blair',
  'Casey',
  'Dana',
  'Emery',
  'Frankie',
  'Gray',
  'Harper',
  'Indy',
  'Jordan',
];
const LAST_NAMES = [
  'Adams',
  'Brooks',
  'Chen',
  'Diaz',
  'Evans',
  'Fischer',
  'Garcia',
  'Hughes',
  'Ito',
  'Jones',
];

/**
 * About 25 companies (the MSP itself, one inactive, one deleted) with contacts and agreements whose
 * nextInvoiceDate sits before, on and after today's month, invoice history for the months already
 * billed, existing additions (unrelated products, and one hand-made "Core" line psa-bridge must not
 * touch), and tickets with notes on both boards.
 */
export function seedDemo(state: SimState): void {
  const thisMonth = monthStart(state.today);
  const yearAgo = addMonths(thisMonth, -12);
  COMPANIES.forEach((name, index) => {
    const identifier = name.replace(/[^A-Za-z0-9]/g, '');
    const company = addCompany(state, {
      identifier,
      name,
      index,
      inactive: name === INACTIVE,
      deleted: name === DELETED,
    });
    const contact = addContact(state, company, FIRST_NAMES[index % 10]!, LAST_NAMES[(index * 3) % 10]!);
    if (index % 4 === 1)
      addContact(state, company, FIRST_NAMES[(index + 5) % 10]!, LAST_NAMES[(index + 1) % 10]!);
    if (index === 0 || name === INACTIVE || name === DELETED) return;

    if (name === CANCELLED) {
      const cancelledOn = addMonths(thisMonth, -2);
      addAgreement(state, company, contact, {
        name: 'Email Security',
        startDate: yearAgo,
        cancelled: { date: cancelledOn, reason: 'Customer moved to another provider' },
        nextInvoiceDate: cancelledOn,
      });
      return;
    }
    if (name === EXPIRED) {
      addAgreement(state, company, contact, {
        name: 'Email Security (2025 term)',
        startDate: addMonths(yearAgo, -12),
        endDate: addMonths(thisMonth, -1).replace(/-01$/, '-15'),
      });
      return;
    }
    // Groups by index: next invoice last month (overdue), this month (due), next month (already billed).
    const offset = [0, 1, -1][index % 3]!;
    const cycle = name === QUARTERLY ? 'Quarterly' : 'Monthly';
    const next = addMonths(thisMonth, offset);
    const agreement = addAgreement(state, company, contact, {
      name: 'Email Security',
      cycle,
      startDate: yearAgo,
      nextInvoiceDate: next,
      billAmount: 0,
    });
    addDemoAdditions(state, agreement, index, yearAgo);
    const previous = addMonths(next, -cycleMonths(agreement));
    recordInvoice(state, agreement, previous, previous);
    if (index % 5 === 2) {
      const managed = addAgreement(state, company, contact, {
        name: 'Managed Network',
        type: 'managed',
        startDate: yearAgo,
        nextInvoiceDate: thisMonth,
        billAmount: 450,
      });
      addition(state, managed, 'FW-MON', 2, yearAgo);
      recordInvoice(state, managed, addMonths(thisMonth, -1), addMonths(thisMonth, -1));
    }
  });
  seedDemoTickets(state, SEED_MEMBER);
}

function addDemoAdditions(state: SimState, agreement: Rec, index: number, since: string): void {
  if (index % 2 === 0) addition(state, agreement, 'RMM-AGENT', 10 + index, since);
  if (index === 3) addition(state, agreement, 'Core', 40, since, 'Core seats (entered by hand)');
  if (index === 4) {
    addition(
      state,
      agreement,
      'Email Protect',
      25,
      since,
      'Email Protect (old contract)',
      addDays(addMonths(since, 6), -1),
    );
  }
  if (index === 7) addition(state, agreement, 'BACKUP-M365', 18, since);
}

function addition(
  state: SimState,
  agreement: Rec,
  sku: string,
  quantity: number,
  effective: string,
  description?: string,
  cancelled?: string,
): void {
  const product = productByIdentifier(state, sku)!;
  const body = {
    product: { id: product.id },
    quantity,
    billCustomer: 'Billable',
    effectiveDate: dayToCw(effective),
    ...(cancelled ? { cancelledDate: dayToCw(cancelled) } : {}),
    ...(description ? { description } : {}),
  };
  state.tables.additions.put(
    buildAddition(state, agreement, body, SEED_MEMBER.identifier, undefined, { history: true }),
    agreement.id,
  );
}
