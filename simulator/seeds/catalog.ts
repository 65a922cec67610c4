import { ref } from '../refs.ts';
import type { SimState } from '../types.ts';
import { seededInfo } from './setup.ts';

interface ProductPlan {
  identifier: string;
  description: string;
  price: number;
  cost: number;
  uom: string;
  inactive?: boolean;
  subcategory: string;
}

/** The platform's SKUs (Core, Email Protect, ATO, DMARC) plus unrelated products an MSP also sells. */
const PRODUCTS: ProductPlan[] = [
  {
    identifier: 'Core',
    description: 'Email Security Core (per seat)',
    price: 3,
    cost: 1.5,
    uom: 'Seat',
    subcategory: 'Email Security',
  },
  {
    identifier: 'Email Protect',
    description: 'Email Protect (per seat)',
    price: 4.5,
    cost: 2.25,
    uom: 'Seat',
    subcategory: 'Email Security',
  },
  {
    identifier: 'ATO',
    description: 'Account Takeover Protection (per seat)',
    price: 1.75,
    cost: 0.8,
    uom: 'Seat',
    subcategory: 'Email Security',
  },
  {
    identifier: 'DMARC',
    description: 'DMARC Management (per domain)',
    price: 12,
    cost: 5,
    uom: 'Domain',
    subcategory: 'Email Security',
  },
  {
    identifier: 'BACKUP-M365',
    description: 'Microsoft 365 Backup (per user)',
    price: 2.5,
    cost: 1.1,
    uom: 'User',
    subcategory: 'Backup',
  },
  {
    identifier: 'FW-MON',
    description: 'Firewall Monitoring',
    price: 45,
    cost: 20,
    uom: 'Device',
    subcategory: 'Monitoring',
  },
  {
    identifier: 'RMM-AGENT',
    description: 'RMM Agent (per endpoint)',
    price: 1.2,
    cost: 0.4,
    uom: 'Endpoint',
    subcategory: 'Monitoring',
  },
  {
    identifier: 'LABOR-HOUR',
    description: 'Hourly Labor',
    price: 150,
    cost: 60,
    uom: 'Hour',
    subcategory: 'Services',
  },
  {
    identifier: 'SPAM-LEGACY',
    description: 'Legacy Spam Filter (retired)',
    price: 1,
    cost: 0.5,
    uom: 'Seat',
    subcategory: 'Email Security',
    inactive: true,
  },
];

const SUBCATEGORIES: Record<string, number> = {
  'Email Security': 11,
  Backup: 12,
  Monitoring: 13,
  Services: 14,
};

export function seedCatalog(state: SimState): void {
  const t = state.tables.catalog;
  for (const p of PRODUCTS) {
    const id = t.allocateId();
    t.put({
      id,
      identifier: p.identifier,
      description: p.description,
      inactiveFlag: p.inactive ?? false,
      subcategory: ref('subcategory', 'procurement/subcategories', SUBCATEGORIES[p.subcategory]!, {
        name: p.subcategory,
      }),
      type: ref('type', 'procurement/types', 5, { name: 'Recurring Service' }),
      productClass: 'Agreement',
      serializedFlag: false,
      unitOfMeasure: ref('unitOfMeasure', 'procurement/unitOfMeasures', uomId(p.uom), { name: p.uom }),
      price: p.price,
      cost: p.cost,
      priceAttribute: 'FixedFee',
      taxableFlag: false,
      dropShipFlag: false,
      specialOrderFlag: false,
      customerDescription: p.description,
      recurringFlag: true,
      recurringRevenue: p.price,
      recurringCost: p.cost,
      recurringOneTimeFlag: false,
      billableOption: 'Billable',
      _info: seededInfo(state, 300),
    });
  }
}

function uomId(name: string): number {
  return { Seat: 1, Domain: 2, User: 3, Device: 4, Endpoint: 5, Hour: 6 }[name] ?? 1;
}

/** The catalog product with this identifier (seeds refer to products by SKU). */
export function productByIdentifier(state: SimState, identifier: string) {
  return state.tables.catalog.all().find((p) => p['identifier'] === identifier);
}
