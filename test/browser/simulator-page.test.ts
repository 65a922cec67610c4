// The simulator's read-only page at `/`, as a person sees it in a real Chromium: what the demo seed
// holds, what API writes and an invoice run change, and whether it is usable with a keyboard and
// assistive technology. Expected content is read from the simulator itself, never hard-coded.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { basicAuth, type Invoice, type RunningSimulator, startSimulator } from '../../simulator/index.ts';
import { axeViolations, formatViolations, readTable, tabOrder, useBrowser } from '../support/browser.ts';
import { hasBrowser } from '../support/services.ts';

interface Ref {
  id: number;
  name?: string;
  identifier?: string;
}
interface Company {
  id: number;
  name: string;
  status?: Ref;
  deletedFlag?: boolean;
}
interface Agreement {
  id: number;
  name: string;
  company: Ref;
  agreementStatus?: string;
  nextInvoiceDate?: string;
}
interface Addition {
  id: number;
  product: Ref;
  quantity: number;
  description?: string;
  agreementId: number;
}
interface Product {
  id: number;
  identifier: string;
  inactiveFlag?: boolean;
}
interface Ticket {
  id: number;
  summary: string;
  company: Ref;
  board: Ref;
  status: Ref;
}
interface Note {
  id: number;
  text: string;
}
interface SimStateDump {
  today: string;
  tables: { companies: Company[]; additions: Addition[] };
}

// Set BROWSER_SCREENSHOTS=/some/dir to keep a screenshot of the page after the API writes.
const SCREENSHOT_DIR = process.env['BROWSER_SCREENSHOTS'];

describe.runIf(await hasBrowser())('simulator page at / in Chromium (demo seed)', () => {
  const browser = useBrowser();
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 'demo', quiet: true });
  });
  afterAll(async () => {
    await sim?.close();
  });
  // Each test starts from the untouched demo data, whatever an earlier test wrote.
  beforeEach(async () => {
    await control('POST', 'reset', { seed: 'demo' });
  });

  async function api<T>(method: string, resource: string, body?: unknown): Promise<T> {
    const c = sim.credentials;
    const res = await fetch(`${sim.apiBase()}/${resource}`, {
      method,
      headers: {
        Authorization: basicAuth(c.companyId, c.publicKey, c.privateKey),
        clientId: c.clientId,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${resource} answered ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async function control<T>(method: string, route: string, body?: unknown): Promise<T> {
    const res = await fetch(`${sim.url}/__sim/${route}`, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`/__sim/${route} answered ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** The active agreement with the most additions, and those additions as the REST API returns them. */
  async function busiestAgreement(): Promise<{ agreement: Agreement; additions: Addition[] }> {
    const state = await control<SimStateDump>('GET', 'state');
    const agreements = await api<Agreement[]>('GET', 'finance/agreements?pageSize=1000');
    const count = (id: number) => state.tables.additions.filter((a) => a.agreementId === id).length;
    const candidates = agreements
      .filter((a) => a.agreementStatus === 'Active' && a.nextInvoiceDate !== undefined && count(a.id) > 0)
      .sort((a, b) => count(b.id) - count(a.id));
    const agreement = candidates[0];
    if (!agreement) throw new Error('the demo seed has no active agreement with additions');
    const additions = await api<Addition[]>(
      'GET',
      `finance/agreements/${agreement.id}/additions?pageSize=1000`,
    );
    return { agreement, additions };
  }

  const agreementArticle = (id: number) =>
    browser.page.getByRole('article', { name: new RegExp(`^Agreement ${id}:`) });

  it('lists every company of the seed, and an agreement with its additions', async () => {
    const state = await control<SimStateDump>('GET', 'state');
    const companies = state.tables.companies;
    expect(companies.length).toBeGreaterThan(1);
    const { agreement, additions } = await busiestAgreement();

    const page = browser.page;
    await page.goto(`${sim.url}/`);
    expect(await page.title()).toMatch(/ConnectWise PSA simulator/);

    const heading = page.getByRole('heading', { level: 2, name: /^Companies/ });
    expect(await heading.isVisible()).toBe(true);
    expect((await heading.textContent())?.trim()).toBe(`Companies (${companies.length})`);
    const table = page.getByRole('region', { name: /^Companies/ }).getByRole('table');
    expect(await table.isVisible()).toBe(true);
    const shown = await readTable(table);
    // In any order: the page may sort, but must show each company once, with its status and deletion.
    const byName = (a: string[], b: string[]) => (a[0] ?? '').localeCompare(b[0] ?? '');
    expect(
      shown.rows.map((r) => [r['Name'] ?? '', r['Status'] ?? '', r['Deleted'] ?? '']).sort(byName),
    ).toEqual(
      companies.map((c) => [c.name, c.status?.name ?? '', c.deletedFlag ? 'yes' : 'no']).sort(byName),
    );

    const article = agreementArticle(agreement.id);
    const title = await article.getByRole('heading', { level: 3 }).textContent();
    expect(title).toContain(agreement.name);
    expect(title).toContain(agreement.company.name);
    const additionsTable = article.getByRole('table', { name: `Additions of agreement ${agreement.id}` });
    expect(await additionsTable.isVisible()).toBe(true);
    const rows = (await readTable(additionsTable)).rows;
    expect(rows.map((r) => [r['ID'], r['Product'], r['Quantity'], r['Description']])).toEqual(
      additions.map((a) => [String(a.id), a.product.identifier, String(a.quantity), a.description ?? '']),
    );
  });

  it('shows an addition, a ticket with its note and an invoice with its lines after they are made', async () => {
    const { agreement, additions } = await busiestAgreement();
    const page = browser.page;
    await page.goto(`${sim.url}/`);
    const invoicesTable = () =>
      agreementArticle(agreement.id).getByRole('table', { name: `Invoices of agreement ${agreement.id}` });

    // A product the agreement does not bill yet, effective in the first period not invoiced yet.
    const catalog = await api<Product[]>('GET', 'procurement/catalog?pageSize=1000');
    const used = new Set(additions.map((a) => a.product.id));
    const product = catalog.find((p) => p.inactiveFlag !== true && !used.has(p.id));
    if (!product) throw new Error('no active catalog product left to add');
    const description = `Added from the browser test (${product.identifier})`;
    const addition = await api<Addition>('POST', `finance/agreements/${agreement.id}/additions`, {
      product: { id: product.id },
      quantity: 17,
      billCustomer: 'Billable',
      effectiveDate: agreement.nextInvoiceDate,
      description,
    });

    const summary = 'Browser check: <b>not bold</b> & "quoted"';
    const ticket = await api<Ticket>('POST', 'service/tickets', {
      summary,
      company: { id: agreement.company.id },
    });
    const noteText = 'Seen in Chromium; <i>not italic</i> & escaped.';
    const note = await api<Note>('POST', `service/tickets/${ticket.id}/notes`, {
      text: noteText,
      detailDescriptionFlag: true,
    });

    const invoice = await control<Invoice>('POST', `agreements/${agreement.id}/invoice`);
    expect(invoice.lines.map((l) => l.additionId)).toContain(addition.id);
    expect(invoice.lines.length).toBeGreaterThan(1);
    const addedLine = invoice.lines.find((l) => l.additionId === addition.id);
    const after = await api<Agreement>('GET', `finance/agreements/${agreement.id}`);

    // Nothing of it is on the page until it is reloaded: the page is server-rendered, no script.
    expect(await page.getByText(description).count()).toBe(0);
    await page.reload();

    const article = agreementArticle(agreement.id);
    const rows = (
      await readTable(article.getByRole('table', { name: `Additions of agreement ${agreement.id}` }))
    ).rows;
    expect(rows).toContainEqual(
      expect.objectContaining({
        ID: String(addition.id),
        Product: product.identifier,
        Quantity: '17',
        Description: description,
      }),
    );
    expect(await article.getByText(`next invoice date ${after.nextInvoiceDate?.slice(0, 10)}`).count()).toBe(
      1,
    );

    expect(await invoicesTable().isVisible()).toBe(true);
    const invoiceRow = (await readTable(invoicesTable())).rows.find(
      (r) => r['Number'] === invoice.invoiceNumber,
    );
    expect(invoiceRow, `invoice ${invoice.invoiceNumber} in the invoices table`).toBeDefined();
    expect(invoiceRow?.['Period']).toContain(invoice.periodStart);
    expect(invoiceRow?.['Period']).toContain(invoice.periodEnd);
    // Each line shows what its amount is made of, so a reader can add the lines up to the total.
    for (const line of invoice.lines) {
      expect(invoiceRow?.['Lines']).toContain(`${line.product} × ${line.quantity}`);
      expect(invoiceRow?.['Lines']).toContain(`at ${line.unitPrice.toFixed(2)} = ${line.amount.toFixed(2)}`);
    }
    expect(invoiceRow?.['Lines']).toContain(
      `${product.identifier} × 17 at ${addedLine?.unitPrice.toFixed(2)} = ${addedLine?.amount.toFixed(2)}`,
    );
    expect(invoiceRow?.['Total']).toBe(invoice.total.toFixed(2));

    // Markup in the ticket's text is shown as text, never rendered.
    const ticketArticle = page.getByRole('article', { name: `Ticket ${ticket.id}: ${summary}` });
    expect(await ticketArticle.isVisible()).toBe(true);
    const meta = await ticketArticle.locator('p').first().textContent();
    expect(meta).toContain(agreement.company.name ?? '');
    expect(meta).toContain(ticket.board.name ?? '');
    expect(meta).toContain(ticket.status.name ?? '');
    const notes = (
      await readTable(ticketArticle.getByRole('table', { name: `Notes of ticket ${ticket.id}` }))
    ).rows;
    expect(notes).toEqual([expect.objectContaining({ ID: String(note.id), Text: noteText })]);
    expect(await page.locator('main b, main i').count()).toBe(0);

    if (SCREENSHOT_DIR) {
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      await ticketArticle.scrollIntoViewIfNeeded();
      const file = path.join(SCREENSHOT_DIR, 'simulator-page-ticket.png');
      await page.screenshot({ path: file });
      console.info(`screenshot: ${file}`);
    }
  });

  it('has no serious or critical axe violations', async () => {
    await browser.page.goto(`${sim.url}/`);
    const violations = await axeViolations(browser.page, { minImpact: 'serious' });
    expect(violations, formatViolations(violations)).toEqual([]);
  });

  it('lets a keyboard reach every section of the page', async () => {
    const page = browser.page;
    await page.goto(`${sim.url}/`);
    const sections = await page.locator('main > section').evaluateAll((els) =>
      els.map((s) => ({
        id: s.id,
        headingId: s.querySelector('h2')?.id ?? '',
        heading: s.querySelector('h2')?.textContent ?? '',
      })),
    );
    expect(sections.length).toBeGreaterThan(0);

    // Every link on the page is in the tab order (none is skipped or unreachable). Each table's scroll
    // region is a tab stop too, so a keyboard can scroll it.
    const links = await page.locator('a[href]').evaluateAll((els) => els.map((a) => a.getAttribute('href')));
    const regions = await page.locator('[role="region"][tabindex="0"]').count();
    const stops = await tabOrder(page, links.length + regions + 20);
    expect(stops.filter((s) => s.role === 'region')).toHaveLength(regions);
    expect(stops.filter((s) => s.tag === 'a').map((s) => s.href)).toEqual(expect.arrayContaining(links));

    for (const section of sections) {
      const targets = [section.id, section.headingId].filter((id) => id !== '').map((id) => `#${id}`);
      const stop = stops.find((s) => s.href !== null && targets.includes(s.href));
      expect(
        stop,
        `a link to section "${section.heading}" in the tab order (${JSON.stringify(stops)})`,
      ).toBeDefined();
      if (!stop?.href) continue;
      // Following the link brings the section (or its heading) into view.
      await page.locator(`a[href="${stop.href}"]`).first().focus();
      await page.keyboard.press('Enter');
      const top = await page
        .locator(stop.href)
        .evaluate((h) => ({ top: h.getBoundingClientRect().top, height: window.innerHeight }));
      expect(top.top).toBeGreaterThan(-2); // scrolled to, give or take a sub-pixel
      expect(top.top).toBeLessThan(top.height);
    }

    // From the end of a section, "Back to top" brings the page back up to its header.
    await page.locator('main > section').last().getByRole('link', { name: 'Back to top' }).focus();
    await page.keyboard.press('Enter');
    expect(
      await page.getByRole('heading', { level: 1 }).evaluate((h) => h.getBoundingClientRect().top),
    ).toBeGreaterThan(-2);
    expect(await page.evaluate(() => window.scrollY)).toBeLessThan(50);
  });

  it('reflows at 320 CSS px: only tables scroll sideways, each on its own and by keyboard (WCAG 1.4.10)', async () => {
    const page = browser.page;
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto(`${sim.url}/`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);

    // The companies table is wider than the screen: its own region scrolls, with the arrow keys too.
    const region = page.getByRole('region', { name: /^Companies/ }).getByRole('region');
    const size = await region.evaluate((r) => ({ scroll: r.scrollWidth, client: r.clientWidth }));
    expect(size.scroll).toBeGreaterThan(size.client);
    expect(await region.getByRole('table').isVisible()).toBe(true);
    await region.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => region.evaluate((r) => r.scrollLeft)).toBeGreaterThan(0);
    expect(await page.evaluate(() => window.scrollX)).toBe(0);
  });
});
