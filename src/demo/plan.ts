// What the demo seeds, as data and pure functions (no I/O), so it is reproducible and testable: tenants
// whose names and domains are close to — but not always equal to — the simulator's demo companies (so the
// wizard's mapping suggestions have real work), and 90 days of usage drifting like real seat counts.

export interface DemoTenant {
  tenantId: string;
  name: string;
  domains: string[];
  status: 'active' | 'suspended' | 'deleted';
  /** SKU → seats (or domains for dmarc) on the last day of the history. */
  skus: Record<string, number>;
}

export const DEMO_SKUS = ['core', 'email-protect', 'ato', 'dmarc'] as const;

const t = (
  tenantId: string,
  name: string,
  domains: string[],
  skus: Record<string, number>,
  status: DemoTenant['status'] = 'active',
): DemoTenant => ({
  tenantId,
  name,
  domains,
  status,
  skus: { ...skus, dmarc: skus['dmarc'] ?? domains.length },
});

/**
 * Simulator companies are e.g. "Acme Logistics" with contacts @acmelogistics.example. Some tenants here
 * match exactly, some differ in suffix, spelling or domain, one has no company at all, and a few land on
 * the simulator's inactive company or cancelled agreement so every skip reason can be seen.
 */
export const DEMO_TENANTS: DemoTenant[] = [
  t('t-acme', 'Acme Logistics Inc.', ['acmelogistics.example'], { core: 120, 'email-protect': 120, ato: 40 }),
  t('t-blueharbor', 'Blue Harbor Dental', ['blueharbordental.example'], { core: 18, 'email-protect': 18 }),
  t('t-cedarridge', 'Cedar Ridge Law Group', ['cedarridgelaw.example', 'crlaw.example'], {
    core: 35,
    ato: 35,
  }),
  t('t-dunmore', 'Dunmore Paper Co', ['dunmorepaper.example'], { core: 210, 'email-protect': 150 }),
  t('t-evergreen', 'Evergreen Clinics', ['evergreenclinics.example'], {
    core: 64,
    'email-protect': 64,
    ato: 64,
  }),
  t('t-fulton', 'Fulton Foods LLC', ['fultonfoods.example'], { core: 48 }),
  t('t-granite', 'Granite Peak CPAs', ['granitepeakcpa.example'], { core: 22, 'email-protect': 22, ato: 22 }),
  t('t-harborlight', 'Harbor Light Church', ['harborlightchurch.example'], { core: 9 }),
  t('t-ironwood', 'Ironwood Mfg', ['ironwoodmfg.example'], { core: 305, 'email-protect': 280 }),
  t('t-juniper', 'Juniper School District', ['juniperschools.example', 'juniper.k12.example'], {
    core: 410,
    'email-protect': 410,
  }),
  t('t-keystone', 'Keystone Realty', ['keystonerealty.example'], { core: 27, ato: 5 }),
  t('t-lakeside', 'Lakeside Vet', ['lakesideveterinary.example'], { core: 14 }),
  t('t-maple', 'Maple Street Bank', ['maplestreetbank.example'], { core: 88, 'email-protect': 88, ato: 88 }),
  t('t-northwind', 'Northwind Traders', ['northwindtraders.example'], { core: 56, 'email-protect': 30 }),
  t('t-oakmont', 'Oakmont Insurance', ['oakmontinsurance.example'], { core: 73 }),
  t('t-quarryhill', 'Quarry Hill Architects', ['quarryhill.example'], { core: 16, 'email-protect': 16 }),
  t('t-riverbend', 'Riverbend Medical Center', ['riverbendmedical.example'], { core: 190, ato: 190 }),
  t('t-summit', 'Summit Outdoors', ['summitoutdoor.example'], { core: 31 }, 'suspended'),
  t('t-westfield', 'Westfield Public Library', ['westfieldlibrary.example'], { core: 12 }),
  t('t-zephyr', 'Zephyr Analytics', ['zephyranalytics.example'], { core: 25, 'email-protect': 25 }),
  t('t-tidewater', 'Tidewater Marine', ['tidewatermarine.example'], { core: 40 }, 'deleted'),
];

export const DEMO_HISTORY_DAYS = 90;

/** Small deterministic PRNG (mulberry32): the same demo every time. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export interface UsageDay {
  date: string;
  items: Array<{ tenantId: string; sku: string; quantity: number }>;
}

/**
 * `days` daily snapshots ending at `lastDate`: each count walks back from its final value with small
 * steps (hires and leavers), never below 1; DMARC (domains) stays flat.
 */
export function usageHistory(
  tenants: readonly DemoTenant[],
  lastDate: string,
  days = DEMO_HISTORY_DAYS,
): UsageDay[] {
  const random = prng(20261203);
  const series = new Map<string, number[]>();
  for (const tenant of tenants) {
    for (const [sku, final] of Object.entries(tenant.skus)) {
      const values = [final];
      for (let i = 1; i < days; i++) {
        const previous = values[values.length - 1]!;
        const step =
          sku === 'dmarc' || random() < 0.8 ? 0 : Math.round((random() - 0.45) * Math.max(2, final * 0.04));
        values.push(Math.max(1, previous - step));
      }
      series.set(`${tenant.tenantId}\u0000${sku}`, values.reverse());
    }
  }
  const out: UsageDay[] = [];
  for (let i = 0; i < days; i++) {
    const date = addDays(lastDate, i - days + 1);
    const items: UsageDay['items'] = [];
    for (const [key, values] of series) {
      const [tenantId, sku] = key.split('\u0000') as [string, string];
      items.push({ tenantId, sku, quantity: values[i]! });
    }
    out.push({ date, items });
  }
  return out;
}
