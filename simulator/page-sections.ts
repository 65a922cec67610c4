import { invoicesOf } from './invoicing.ts';
import type { Invoice, InvoiceLine, Rec, SimState } from './types.ts';

/**
 * The blocks of the read-only page at `/` (see page.ts): the companies table, one article per
 * agreement and per ticket, and the table helper they share.
 */

/**
 * Markup this module built itself; every other table cell is escaped. A class, so that no JSON value
 * from the API can pass for one.
 */
class Html {
  readonly markup: string;
  constructor(markup: string) {
    this.markup = markup;
  }
}

export function companiesTable(companies: readonly Rec[]): string {
  return table(
    // The h2 right above says "Companies (n)": a caption saying "Companies" again would be read twice.
    {
      id: 'companies-table',
      text: 'Each company with its identifier, status and whether it is deleted',
      hidden: true,
    },
    ['ID', 'Identifier', 'Name', 'Status', 'Deleted'],
    companies.map((c) => [
      c.id,
      c['identifier'],
      c['name'],
      refName(c['status']),
      c['deletedFlag'] ? 'yes' : 'no',
    ]),
  );
}

export function agreementBlock(state: SimState, a: Rec): string {
  const additions = state.tables.additions.children(a.id);
  const invoices = invoicesOf(state, a.id);
  return `<article aria-labelledby="agreement-${a.id}">
<h3 id="agreement-${a.id}">Agreement ${a.id}: ${esc(a['name'])} — ${esc(refName(a['company']))}</h3>
<p>Status ${esc(a['agreementStatus'])}, billing cycle ${esc(refName(a['billingCycle']))}, next invoice date ${esc(day(a['nextInvoiceDate']) || 'none')}.</p>
${table(
  { id: `additions-${a.id}`, text: `Additions of agreement ${a.id}` },
  ['ID', 'Product', 'Description', 'Quantity', 'Bill', 'Effective', 'Cancelled'],
  additions.map((x) => [
    x.id,
    (x['product'] as Rec | undefined)?.['identifier'],
    x['description'],
    x['quantity'],
    x['billCustomer'],
    dateCell(x['effectiveDate']),
    dateCell(x['cancelledDate']),
  ]),
)}
${table(
  { id: `invoices-${a.id}`, text: `Invoices of agreement ${a.id}` },
  ['Number', 'Period', 'Lines', 'Total'],
  invoices.map((i: Invoice) => [
    i.invoiceNumber,
    new Html(`${time(i.periodStart)} – ${time(i.periodEnd)}`),
    i.lines.length === 0
      ? 'none'
      : new Html(`<ul>${i.lines.map((l) => `<li>${esc(lineText(l))}</li>`).join('')}</ul>`),
    money(i.total),
  ]),
)}
</article>`;
}

/**
 * One invoice line with what its amount is made of, so a reader can check the invoice total:
 * (quantity − less included, never below 0) × unit price, and nothing for a line not billed.
 */
export function lineText(l: InvoiceLine): string {
  const included = l.lessIncluded > 0 ? ` less ${l.lessIncluded} included` : '';
  const notBilled = l.billCustomer === 'Billable' ? '' : ` (${l.billCustomer}: not charged)`;
  return `${l.product} × ${l.quantity}${included} at ${money(l.unitPrice)} = ${money(l.amount)}${notBilled}`;
}

/** Two decimals like the invoice total, but never rounding away a price given more precisely. */
function money(v: number): string {
  const fixed = v.toFixed(2);
  return Number(fixed) === v ? fixed : String(v);
}

export function ticketBlock(state: SimState, tk: Rec): string {
  const notes = state.tables.notes.children(tk.id);
  return `<article aria-labelledby="ticket-${tk.id}">
<h3 id="ticket-${tk.id}">Ticket ${tk.id}: ${esc(tk['summary'])}</h3>
<p>${esc(refName(tk['company']))} · board ${esc(refName(tk['board']))} · status ${esc(refName(tk['status']))}${tk['closedFlag'] ? ` (closed ${esc(day(tk['closedDate']))})` : ''}${tk['externalXRef'] ? ` · external ref <code>${esc(tk['externalXRef'])}</code>` : ''}</p>
${table(
  { id: `notes-${tk.id}`, text: `Notes of ticket ${tk.id}` },
  ['ID', 'Shown as', 'Text', 'By'],
  notes.map((n) => [n.id, noteKind(n), n['text'], n['createdBy']]),
)}
</article>`;
}

interface Caption {
  /** Unique on the page: the scroll container is named by it. */
  id: string;
  text: string;
  /** For a table whose heading already names it: still its accessible name, not shown twice. */
  hidden?: boolean;
}

/**
 * A table in a focusable, named scroll container: a table wider than a narrow screen scrolls on its
 * own (keyboard included) instead of making the whole page scroll sideways (WCAG 1.4.10).
 */
function table(caption: Caption, head: string[], rows: unknown[][]): string {
  if (rows.length === 0)
    return `<p>No ${esc(caption.text.charAt(0).toLowerCase() + caption.text.slice(1))}.</p>`;
  const th = head.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const cell = (c: unknown) => (c instanceof Html ? c.markup : esc(c));
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`).join('\n');
  const cls = caption.hidden ? ' class="visually-hidden"' : '';
  return `<div role="region" aria-labelledby="${caption.id}" tabindex="0" class="scroll">
<table>
<caption id="${caption.id}"${cls}>${esc(caption.text)}</caption>
<thead><tr>${th}</tr></thead>
<tbody>
${body}
</tbody>
</table>
</div>`;
}

function noteKind(n: Rec): string {
  const kinds = [];
  if (n['detailDescriptionFlag']) kinds.push('Discussion');
  if (n['internalAnalysisFlag']) kinds.push('Internal');
  if (n['resolutionFlag']) kinds.push('Resolution');
  return kinds.join(', ');
}

function refName(v: unknown): string {
  return v && typeof v === 'object' ? String((v as Rec)['name'] ?? (v as Rec).id) : '';
}

function day(v: unknown): string {
  return typeof v === 'string' ? v.slice(0, 10) : '';
}

/** A calendar day as `<time>`, which the page keeps on one line (a narrow column would break it at "-"). */
function time(d: string): string {
  return `<time datetime="${esc(d)}">${esc(d)}</time>`;
}

function dateCell(v: unknown): Html | string {
  const d = day(v);
  return d === '' ? '' : new Html(time(d));
}

export function esc(v: unknown): string {
  if (v === undefined || v === null) return '';
  return String(v).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
