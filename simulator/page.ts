import type { Invoice, Rec, SimState } from './types.ts';

/**
 * The read-only page at `/`: what a person would see in CW — companies, agreements with their
 * additions and invoices, tickets with their notes. Plain server-rendered HTML, no script.
 */
const LIMIT = 100;

export function renderPage(state: SimState, origin: string): string {
  const t = state.tables;
  const companies = t.companies.all();
  const agreements = t.agreements.all();
  const tickets = t.tickets.all();
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ConnectWise PSA simulator — ${esc(state.loginCompany.name)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1a1a1a;line-height:1.4}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#e8e8e8}caption{text-align:left;font-weight:600;padding:.25rem 0}
section{margin-bottom:2rem}code{background:#f0f0f0;padding:0 .2rem}
</style>
</head>
<body>
<header>
<h1>ConnectWise PSA simulator</h1>
<p>Login company <code>${esc(state.loginCompany.companyId)}</code>, seed <code>${esc(state.seed)}</code>,
simulated today <time datetime="${state.today}">${state.today}</time>.
API: <code>${esc(origin)}/v4_6_release/apis/3.0</code>. This page is read-only.</p>
<nav aria-label="Sections">
<ul>
<li><a href="#companies">Companies (${companies.length})</a></li>
<li><a href="#agreements">Agreements (${agreements.length})</a></li>
<li><a href="#tickets">Service tickets (${tickets.length})</a></li>
</ul>
</nav>
</header>
<main>
<section aria-labelledby="companies">
<h2 id="companies">Companies (${companies.length})</h2>
${table(
  'Companies',
  ['ID', 'Identifier', 'Name', 'Status', 'Deleted'],
  companies
    .slice(0, LIMIT)
    .map((c) => [c.id, c['identifier'], c['name'], refName(c['status']), c['deletedFlag'] ? 'yes' : 'no']),
)}${more(companies.length)}
</section>
<section aria-labelledby="agreements">
<h2 id="agreements">Agreements (${agreements.length})</h2>
${agreements
  .slice(0, LIMIT)
  .map((a) => agreementBlock(state, a))
  .join('\n')}${more(agreements.length)}
</section>
<section aria-labelledby="tickets">
<h2 id="tickets">Service tickets (${tickets.length})</h2>
${tickets
  .slice(0, LIMIT)
  .map((tk) => ticketBlock(state, tk))
  .join('\n')}${more(tickets.length)}
</section>
</main>
</body>
</html>
`;
}

function agreementBlock(state: SimState, a: Rec): string {
  const additions = state.tables.additions.children(a.id);
  const invoices = state.invoices.filter((i) => i.agreementId === a.id);
  return `<article aria-labelledby="agreement-${a.id}">
<h3 id="agreement-${a.id}">Agreement ${a.id}: ${esc(a['name'])} — ${esc(refName(a['company']))}</h3>
<p>Status ${esc(a['agreementStatus'])}, billing cycle ${esc(refName(a['billingCycle']))}, next invoice date ${esc(day(a['nextInvoiceDate']) || 'none')}.</p>
${table(
  `Additions of agreement ${a.id}`,
  ['ID', 'Product', 'Description', 'Quantity', 'Bill', 'Effective', 'Cancelled'],
  additions.map((x) => [
    x.id,
    (x['product'] as Rec | undefined)?.['identifier'],
    x['description'],
    x['quantity'],
    x['billCustomer'],
    day(x['effectiveDate']),
    day(x['cancelledDate']),
  ]),
)}
${table(
  `Invoices of agreement ${a.id}`,
  ['Number', 'Period', 'Lines', 'Total'],
  invoices.map((i: Invoice) => [
    i.invoiceNumber,
    `${i.periodStart} – ${i.periodEnd}`,
    i.lines.map((l) => `${l.product} × ${l.quantity}`).join('; '),
    i.total.toFixed(2),
  ]),
)}
</article>`;
}

function ticketBlock(state: SimState, tk: Rec): string {
  const notes = state.tables.notes.children(tk.id);
  return `<article aria-labelledby="ticket-${tk.id}">
<h3 id="ticket-${tk.id}">Ticket ${tk.id}: ${esc(tk['summary'])}</h3>
<p>${esc(refName(tk['company']))} · board ${esc(refName(tk['board']))} · status ${esc(refName(tk['status']))}${tk['closedFlag'] ? ` (closed ${esc(day(tk['closedDate']))})` : ''}${tk['externalXRef'] ? ` · external ref <code>${esc(tk['externalXRef'])}</code>` : ''}</p>
${table(
  `Notes of ticket ${tk.id}`,
  ['ID', 'Shown as', 'Text', 'By'],
  notes.map((n) => [n.id, noteKind(n), n['text'], n['createdBy']]),
)}
</article>`;
}

function table(caption: string, head: string[], rows: unknown[][]): string {
  if (rows.length === 0) return `<p>No ${esc(caption.charAt(0).toLowerCase() + caption.slice(1))}.</p>`;
  const th = head.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table>\n<caption>${esc(caption)}</caption>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function more(total: number): string {
  return total > LIMIT ? `\n<p>Showing the first ${LIMIT} of ${total}; use the API for the rest.</p>` : '';
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

export function esc(v: unknown): string {
  if (v === undefined || v === null) return '';
  return String(v).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
