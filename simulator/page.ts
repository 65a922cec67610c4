import { agreementBlock, companiesTable, esc, ticketBlock } from './page-sections.ts';
import type { SimState } from './types.ts';

/**
 * The read-only page at `/`: what a person would see in CW — companies, agreements with their
 * additions and invoices, tickets with their notes. Plain server-rendered HTML, no script.
 * The blocks inside each section are in page-sections.ts.
 */
const LIMIT = 100;

// Reflow (WCAG 1.4.10): at 320 CSS px nothing but a table's own scroll container may be wider than
// the screen, so long words wrap, code wraps anywhere, and each table scrolls inside `.scroll`.
const STYLE = `
body{font-family:system-ui,sans-serif;margin:1rem;color:#1a1a1a;line-height:1.4;overflow-wrap:break-word}
@media (min-width:40em){body{margin:1.5rem}}
.scroll{position:relative;width:fit-content;max-width:100%;overflow-x:auto;margin:.5rem 0 1.5rem}
.scroll:focus-visible{outline:2px solid #005a9c;outline-offset:2px}
table{border-collapse:collapse}th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#e8e8e8}caption{text-align:left;font-weight:600;padding:.25rem 0}
td ul{margin:0;padding-left:1.1rem}td li{white-space:nowrap}time{white-space:nowrap}
section{margin-bottom:2rem}code{background:#f0f0f0;padding:0 .2rem;overflow-wrap:anywhere}
.visually-hidden{position:absolute;width:1px;height:1px;margin:-1px;padding:0;border:0;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
`;

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
<style>${STYLE}</style>
</head>
<body>
<header id="top">
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
${section('companies', `Companies (${companies.length})`, companiesTable(companies.slice(0, LIMIT)), companies.length)}
${section(
  'agreements',
  `Agreements (${agreements.length})`,
  agreements
    .slice(0, LIMIT)
    .map((a) => agreementBlock(state, a))
    .join('\n'),
  agreements.length,
)}
${section(
  'tickets',
  `Service tickets (${tickets.length})`,
  tickets
    .slice(0, LIMIT)
    .map((tk) => ticketBlock(state, tk))
    .join('\n'),
  tickets.length,
)}
</main>
</body>
</html>
`;
}

/** A region named by its h2, ending with a way back up: each section is long enough to scroll past the nav. */
function section(id: string, heading: string, content: string, total: number): string {
  return `<section aria-labelledby="${id}">
<h2 id="${id}">${esc(heading)}</h2>
${content}${more(total)}
<p><a href="#top">Back to top</a></p>
</section>`;
}

function more(total: number): string {
  return total > LIMIT ? `\n<p>Showing the first ${LIMIT} of ${total}; use the API for the rest.</p>` : '';
}
