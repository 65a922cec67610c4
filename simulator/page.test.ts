import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from './index.ts';
import { lineText } from './page-sections.ts';
import { control, cw, type Json } from './testing.ts';
import type { InvoiceLine } from './types.ts';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 'demo', today: '2026-03-10', quiet: true });
});
afterAll(() => sim.close());

const page = async () => (await fetch(`${sim.url}/`)).text();

describe('the read-only page at /', () => {
  it('shows companies, agreements with additions and invoices, tickets with notes, as accessible HTML', async () => {
    await cw(sim, 'POST', 'service/tickets', { summary: '<script>alert(1)</script>', company: { id: 251 } });
    const res = await fetch(`${sim.url}/`);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toMatch(/<h2 id="companies">Companies \(25\)<\/h2>/);
    expect(html).toContain('Acme Logistics');
    expect(html).toMatch(/<caption id="additions-\d+">Additions of agreement \d+<\/caption>/);
    expect(html).toMatch(/<caption id="invoices-\d+">Invoices of agreement \d+<\/caption>/);
    expect(html).toContain('Phishing email reported by a user in Accounts Payable');
    expect(html).toMatch(/<caption id="notes-\d+">Notes of ticket \d+<\/caption>/);
    expect(html).toContain('<th scope="col">');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;');
  });

  it('puts every table in a focusable scroll region named by its caption, and no caption repeats its heading', async () => {
    const html = await page();
    const tables = html.match(/<table>/g)?.length ?? 0;
    expect(tables).toBeGreaterThan(3);
    const wrapped = [
      ...html.matchAll(
        /<div role="region" aria-labelledby="([\w-]+)" tabindex="0" class="scroll">\n<table>\n<caption id="([\w-]+)"/g,
      ),
    ];
    expect(wrapped).toHaveLength(tables);
    for (const [, labelledBy, captionId] of wrapped) expect(labelledBy).toBe(captionId);
    expect(new Set(wrapped.map((m) => m[1])).size).toBe(tables);

    const captions = [...html.matchAll(/<caption[^>]*>([^<]*)<\/caption>/g)].map((m) => m[1]);
    const headings = [...html.matchAll(/<h[1-6][^>]*>([^<]*)<\/h[1-6]>/g)].map((m) =>
      m[1]?.replace(/\s*\(\d+\)$/, ''),
    );
    expect(captions).toHaveLength(tables);
    for (const caption of captions) expect(headings).not.toContain(caption);
    expect(html).toMatch(/\bcode\{[^}]*overflow-wrap:anywhere/);
  });

  it('ends each section with a link back to the top of the page', async () => {
    const html = await page();
    expect(html).toContain('<header id="top">');
    const sections = html.match(/<section[\s\S]*?<\/section>/g) ?? [];
    expect(sections.length).toBe(3);
    for (const s of sections) expect(s).toMatch(/<a href="#top">Back to top<\/a><\/p>\n<\/section>$/);
  });

  it('says "none" for an invoice without lines', async () => {
    const agreements = (await cw<Json[]>(sim, 'GET', 'finance/agreements?pageSize=1000')).body;
    let empty: Json;
    for (const a of agreements) {
      if (a.agreementStatus !== 'Active' || a.nextInvoiceDate === undefined) continue;
      const additions = await cw<Json[]>(sim, 'GET', `finance/agreements/${a.id}/additions`);
      if (additions.body.length === 0) empty = a;
    }
    if (!empty) throw new Error('the demo seed has no active agreement without additions');
    const invoice = (await control(sim, 'POST', `agreements/${empty.id}/invoice`)).body;
    expect(invoice.lines).toEqual([]);
    const row = new RegExp(
      `<tr><td>${invoice.invoiceNumber}</td><td>.*?</td><td>(.*?)</td><td>0\\.00</td></tr>`,
    );
    expect(row.exec(await page())?.[1]).toBe('none');
  });
});

describe('an invoice line on the page', () => {
  const line = (over: Partial<InvoiceLine>): InvoiceLine => ({
    additionId: 1,
    product: 'RMM-AGENT',
    description: 'Agents',
    quantity: 12,
    lessIncluded: 0,
    unitPrice: 1.2,
    billCustomer: 'Billable',
    amount: 14.4,
    effectiveDate: '2026-01-01',
    ...over,
  });

  it('shows quantity, unit price and amount, so the total can be checked', () => {
    expect(lineText(line({}))).toBe('RMM-AGENT × 12 at 1.20 = 14.40');
  });

  it('says how much of the quantity is included, and that a line not billed costs nothing', () => {
    expect(lineText(line({ lessIncluded: 2, amount: 12 }))).toBe(
      'RMM-AGENT × 12 less 2 included at 1.20 = 12.00',
    );
    expect(lineText(line({ billCustomer: 'NoCharge', amount: 0 }))).toBe(
      'RMM-AGENT × 12 at 1.20 = 0.00 (NoCharge: not charged)',
    );
  });

  it('keeps a unit price given to more than cents', () => {
    expect(lineText(line({ unitPrice: 0.125, quantity: 8, amount: 1 }))).toBe(
      'RMM-AGENT × 8 at 0.125 = 1.00',
    );
  });
});
