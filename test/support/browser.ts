// A real browser for tests: Debian's Chromium driven by playwright-core (never a downloaded browser),
// one browser per file, a fresh context per test, everything closed afterwards; and axe-core checks.
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './services.ts';

/** Launches the system Chromium with the only flags we allow. The caller closes it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
    timeout: 30_000,
  });
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export interface BrowserFixture {
  /** The page of the running test, in a context no other test shares. */
  readonly page: Page;
  readonly context: BrowserContext;
  readonly browser: Browser;
}

/**
 * Registers hooks in the enclosing `describe`: Chromium starts once, every test gets a new context
 * (no cookies, storage or cache carried over, requests off loopback refused) and page, closed after it.
 * Read `page` inside tests only.
 * Pair with `describe.runIf(await hasBrowser())` so a machine without Chromium skips instead of failing.
 */
export function useBrowser(contextOptions: Parameters<Browser['newContext']>[0] = {}): BrowserFixture {
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  beforeEach(async () => {
    if (!browser) throw new Error('Chromium did not start (see beforeAll)');
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...contextOptions });
    // Tests never reach beyond loopback: a page that asks for anything else gets a network error.
    await context.route(
      (url) => !LOOPBACK.has(url.hostname),
      (route) => route.abort('blockedbyclient'),
    );
    page = await context.newPage();
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
    page = undefined;
  });
  afterAll(async () => {
    await browser?.close();
    browser = undefined;
  });
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined)
      throw new Error(`${what} is only available inside a test of a useBrowser() block`);
    return value;
  };
  return {
    get page() {
      return need(page, 'page');
    },
    get context() {
      return need(context, 'context');
    },
    get browser() {
      return need(browser, 'browser');
    },
  };
}

// axe-core's own types, taken from the builder so we depend only on what package.json lists.
type AxeResult = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number];
type ImpactValue = NonNullable<AxeResult['impact']>;

/** One axe violation, flattened so an `expect(...).toEqual([])` failure reads as a to-do list. */
export interface Violation {
  id: string;
  impact: ImpactValue | 'unknown';
  help: string;
  helpUrl: string;
  /** CSS selector of each offending element, with axe's summary of what to fix. */
  nodes: string[];
}

const IMPACT_ORDER: readonly string[] = ['critical', 'serious', 'moderate', 'minor', 'unknown'];

/**
 * Runs axe-core on the page as it is now and returns its violations, worst first, at or above
 * `minImpact` (default: every violation). Rules can be narrowed with axe tags, e.g. `['wcag2a', 'wcag2aa']`.
 * By default axe runs inside the page (axe's "legacy" mode): the frame-by-frame mode opens a second
 * page to merge results and takes several times as long, for iframes our pages do not have. Pass
 * `frames: true` for a page that embeds cross-origin iframes.
 */
export async function axeViolations(
  page: Page,
  options: { minImpact?: ImpactValue; tags?: string[]; include?: string; frames?: boolean } = {},
): Promise<Violation[]> {
  let builder = new AxeBuilder({ page }).setLegacyMode(options.frames !== true);
  if (options.tags) builder = builder.withTags(options.tags);
  if (options.include) builder = builder.include(options.include);
  const results = await builder.analyze();
  const limit = IMPACT_ORDER.indexOf(options.minImpact ?? 'minor');
  return results.violations
    .map(toViolation)
    .filter((v) => IMPACT_ORDER.indexOf(v.impact) <= limit)
    .sort((a, b) => IMPACT_ORDER.indexOf(a.impact) - IMPACT_ORDER.indexOf(b.impact));
}

function toViolation(v: AxeResult): Violation {
  return {
    id: v.id,
    impact: v.impact ?? 'unknown',
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => {
      // axe writes "Fix any/all of the following:" headers, then one remedy a line.
      const summary = (n.failureSummary ?? '')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '')
        .join('; ')
        .replaceAll(':; ', ': ');
      return `${n.target.join(' ')} — ${summary}`;
    }),
  };
}

/** Violations as lines of text, for logs and reports. */
export function formatViolations(violations: readonly Violation[]): string {
  if (violations.length === 0) return 'no axe violations';
  return violations
    .map((v) =>
      [`[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`, ...v.nodes.map((n) => `    ${n}`)].join('\n'),
    )
    .join('\n');
}

/** What has keyboard focus: tag, role, accessible text and href, enough to tell elements apart. */
export interface FocusStop {
  tag: string;
  role: string | null;
  text: string;
  href: string | null;
  id: string | null;
}

/**
 * Presses Tab up to `maxStops` times from the top of the page and records each element that got focus,
 * stopping when focus leaves the document or comes back to the first stop.
 */
export async function tabOrder(page: Page, maxStops = 50): Promise<FocusStop[]> {
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  const stops: FocusStop[] = [];
  for (let i = 0; i < maxStops; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate((): FocusStop | null => {
      const el = document.activeElement;
      if (!el || el === document.body || el === document.documentElement) return null;
      return {
        tag: el.tagName.toLowerCase(),
        role: el.getAttribute('role'),
        text: (el.getAttribute('aria-label') ?? el.textContent ?? '')
          .replace(/\s+/g, ' ')
          .trim()
          .slice(0, 80),
        href: el.getAttribute('href'),
        id: el.id || null,
      };
    });
    if (stop === null) break;
    const first = stops[0];
    if (
      first &&
      first.tag === stop.tag &&
      first.href === stop.href &&
      first.id === stop.id &&
      first.text === stop.text
    )
      break;
    stops.push(stop);
  }
  return stops;
}

/** A table as a person reads it: the column headers, and each body row keyed by its column header. */
export interface TableText {
  caption: string;
  headers: string[];
  rows: Record<string, string>[];
}

/** Reads the rendered text (innerText, so hidden text is left out) of a `<table>` located by `table`. */
export function readTable(table: Locator): Promise<TableText> {
  return table.evaluate((el): TableText => {
    const t = el as HTMLTableElement;
    // innerText, not textContent: the text as rendered (CSS-hidden text left out) is what a person reads.
    // biome-ignore lint/performance/useDomNodeTextContent: the rule is about speed; rendered text is the point
    const shown = (cell: HTMLElement) => cell.innerText.replace(/\s+/g, ' ').trim();
    const headRow = t.tHead?.rows[0] ?? t.rows[0];
    const headers = headRow ? Array.from(headRow.cells, shown) : [];
    const bodyRows = Array.from(t.tBodies).flatMap((b) => Array.from(b.rows));
    return {
      caption: t.caption ? shown(t.caption) : '',
      headers,
      rows: bodyRows.map((r) =>
        Object.fromEntries(Array.from(r.cells, (c, i) => [headers[i] ?? String(i), shown(c)])),
      ),
    };
  });
}
