import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from './index.ts';
import { cw } from './testing.ts';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 'demo', today: '2026-03-10', quiet: true });
});
afterAll(() => sim.close());

describe('the read-only page at /', () => {
  it('shows companies, agreements with additions and invoices, tickets with notes, as accessible HTML', async () => {
    await cw(sim, 'POST', 'service/tickets', { summary: '<script>alert(1)</script>', company: { id: 251 } });
    const res = await fetch(`${sim.url}/`);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toMatch(/<h2 id="companies">Companies \(25\)<\/h2>/);
    expect(html).toContain('Acme Logistics');
    expect(html).toMatch(/<caption>Additions of agreement \d+<\/caption>/);
    expect(html).toMatch(/<caption>Invoices of agreement \d+<\/caption>/);
    expect(html).toContain('Phishing email reported by a user in Accounts Payable');
    expect(html).toMatch(/<caption>Notes of ticket \d+<\/caption>/);
    expect(html).toContain('<th scope="col">');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;');
  });
});
