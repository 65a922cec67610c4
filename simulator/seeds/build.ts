import { agreementStatusOn } from '../billing.ts';
import { companyRef, companyStatusRef, contactRef, ref } from '../refs.ts';
import { dayToCw } from '../time.ts';
import type { Rec, SimState } from '../types.ts';
import { SEED_USER } from './members.ts';
import { AGREEMENT_TYPES, BILLING_CYCLES, type CycleName, seededInfo } from './setup.ts';

/** Record builders shared by the seeds; ids come from the tables, dates from the simulator's today. */

export interface CompanyPlan {
  identifier: string;
  name: string;
  city?: string;
  state?: string;
  zip?: string;
  inactive?: boolean;
  deleted?: boolean;
  index: number;
}

/** Reference objects every seeded record shares (records are replaced on write, never mutated). */
interface Shared {
  statuses: Map<string, Rec | undefined>;
  country: Rec;
  clientTypes: Rec[];
  emailType: Rec;
  agreementTypes: Map<string, Rec>;
  cycles: Map<string, Rec>;
  refs: Map<number, Rec>;
}
const sharedCache = new WeakMap<SimState, Shared>();

function shared(state: SimState): Shared {
  let s = sharedCache.get(state);
  if (!s) {
    const status = (name: string) => state.tables.companyStatuses.all().find((x) => x['name'] === name);
    const active = status('Active');
    const inactive = status('Inactive');
    s = {
      statuses: new Map([
        ['Active', active ? companyStatusRef(active) : undefined],
        ['Inactive', inactive ? companyStatusRef(inactive) : undefined],
      ]),
      country: ref('country', 'company/countries', 1, { name: 'United States' }),
      clientTypes: [ref('type', 'company/companies/types', 1, { name: 'Client' })],
      emailType: ref('type', 'company/communicationTypes', 1, { name: 'Email' }),
      agreementTypes: new Map(
        Object.entries(AGREEMENT_TYPES).map(([k, v]) => [
          k,
          ref('type', 'finance/agreements/types', v.id, { name: v.name }),
        ]),
      ),
      cycles: new Map(
        Object.entries(BILLING_CYCLES).map(([k, v]) => [
          k,
          ref('billingCycle', 'finance/billingCycles', v.id, { name: v.name }),
        ]),
      ),
      refs: new Map(),
    };
    sharedCache.set(state, s);
  }
  return s;
}

/** Company and contact references reused by the seeded records that point at them. */
function cachedRef(state: SimState, rec: Rec, make: (r: Rec) => Rec): Rec {
  const refs = shared(state).refs;
  const key = make === companyRef ? rec.id : -rec.id;
  const r = refs.get(key) ?? make(rec);
  refs.set(key, r);
  return r;
}

export function addCompany(state: SimState, plan: CompanyPlan): Rec {
  const t = state.tables;
  const sh = shared(state);
  const id = t.companies.allocateId();
  const info = seededInfo(state, 200 + (plan.index % 100));
  const company: Rec = {
    id,
    identifier: plan.identifier,
    name: plan.name,
    status: sh.statuses.get(plan.inactive ? 'Inactive' : 'Active'),
    addressLine1: `${100 + plan.index} Main Street`,
    city: plan.city ?? 'Springfield',
    state: plan.state ?? 'IL',
    zip: plan.zip ?? '62701',
    country: sh.country,
    phoneNumber: `555010${String(plan.index % 10000).padStart(4, '0')}`,
    website: `www.${plan.identifier.toLowerCase()}.example`,
    deletedFlag: plan.deleted ?? false,
    mobileGuid: guid(id),
    types: sh.clientTypes,
    _info: info,
  };
  if (plan.deleted) {
    company['dateDeleted'] = info['lastUpdated'];
    company['deletedBy'] = SEED_USER;
  }
  return t.companies.put(company);
}

export function addContact(state: SimState, company: Rec, firstName: string, lastName: string): Rec {
  const t = state.tables.contacts;
  const email =
    `${firstName}.${lastName}@${String(company['identifier']).toLowerCase()}.example`.toLowerCase();
  const contact: Rec = {
    id: t.allocateId(),
    firstName,
    lastName,
    company: cachedRef(state, company, companyRef),
    inactiveFlag: false,
    defaultFlag: true,
    communicationItems: [
      {
        id: 1,
        type: shared(state).emailType,
        value: email,
        defaultFlag: true,
        communicationType: 'Email',
      },
    ],
    _info: company._info!,
  };
  return t.put(contact);
}

export interface AgreementPlan {
  name: string;
  cycle?: CycleName;
  type?: keyof typeof AGREEMENT_TYPES;
  startDate: string; // YYYY-MM-DD
  endDate?: string;
  nextInvoiceDate?: string;
  cancelled?: { date: string; reason: string };
  billAmount?: number;
}

export function addAgreement(state: SimState, company: Rec, contact: Rec, plan: AgreementPlan): Rec {
  const t = state.tables.agreements;
  const sh = shared(state);
  const agreement: Rec = {
    id: t.allocateId(),
    name: plan.name,
    type: sh.agreementTypes.get(plan.type ?? 'security'),
    company: cachedRef(state, company, companyRef),
    contact: cachedRef(state, contact, contactRef),
    startDate: dayToCw(plan.startDate),
    noEndingDateFlag: plan.endDate === undefined,
    cancelledFlag: plan.cancelled !== undefined,
    applicationUnits: 'Amount',
    applicationUnlimitedFlag: false,
    billingCycle: sh.cycles.get(plan.cycle ?? 'Monthly'),
    billAmount: plan.billAmount ?? 0,
    billStartDate: dayToCw(plan.startDate),
    invoicingCycle: 'ContractYear',
    taxable: false,
    prorateFlag: false,
    invoiceProratedAdditionsFlag: false,
    billTime: 'Billable',
    billExpenses: 'Billable',
    billProducts: 'Billable',
    periodType: 'Current',
    autoInvoiceFlag: false,
    employeeCompRate: 'Actual',
    _info: seededInfo(state, 180),
  };
  if (plan.endDate) agreement['endDate'] = dayToCw(plan.endDate);
  if (plan.cancelled) {
    agreement['dateCancelled'] = dayToCw(plan.cancelled.date);
    agreement['reasonCancelled'] = plan.cancelled.reason;
  }
  if (plan.nextInvoiceDate) agreement['nextInvoiceDate'] = dayToCw(plan.nextInvoiceDate);
  agreement['agreementStatus'] = agreementStatusOn(agreement, state.today);
  return t.put(agreement);
}

/** A stable UUID-shaped value per id (CW's mobileGuid), so seeds stay deterministic. */
export function guid(n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `5e1d0c2a-7b3f-4c6d-9a8e-${hex}`;
}
