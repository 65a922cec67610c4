import { describe, expect, it } from 'vitest';
import type { Rec } from '../types.ts';
import { buildState, seedProblem } from './index.ts';

const TODAY = '2026-03-10';

describe('demo seed', () => {
  const s = buildState('demo', TODAY);
  const companies = s.tables.companies.all();
  const agreements = s.tables.agreements.all();

  it('has about 25 companies, one inactive and one deleted', () => {
    expect(companies.length).toBe(25);
    expect(companies.filter((c) => (c['status'] as Rec)['name'] === 'Inactive')).toHaveLength(1);
    expect(companies.filter((c) => c['deletedFlag'] === true)).toHaveLength(1);
    expect(s.tables.contacts.size).toBeGreaterThanOrEqual(25);
  });

  it('has agreements mostly monthly, due before, on and after today, one cancelled and one expired', () => {
    const status = (x: string) => agreements.filter((a) => a['agreementStatus'] === x);
    expect(status('Cancelled')).toHaveLength(1);
    expect(status('Expired')).toHaveLength(1);
    const monthly = agreements.filter((a) => (a['billingCycle'] as Rec)['name'] === 'Monthly');
    expect(monthly.length).toBeGreaterThan(agreements.length / 2);
    const next = status('Active').map((a) => String(a['nextInvoiceDate']).slice(0, 10));
    expect(next.some((d) => d < TODAY)).toBe(true);
    expect(next.some((d) => d > TODAY)).toBe(true);
    expect(s.invoices.length).toBeGreaterThan(10);
  });

  it('has the platform SKUs in the catalog, unrelated products and one inactive', () => {
    const catalog = s.tables.catalog.all();
    const ids = catalog.map((p) => p['identifier']);
    expect(ids).toEqual(expect.arrayContaining(['Core', 'Email Protect', 'ATO', 'DMARC', 'FW-MON']));
    expect(catalog.filter((p) => p['inactiveFlag'] === true)).toHaveLength(1);
  });

  it('has Security and Help Desk boards with closed statuses, types, subtypes, items, priorities, work types', () => {
    for (const name of ['Security', 'Help Desk']) {
      const board = s.tables.boards.all().find((b) => b['name'] === name)!;
      const statuses = s.tables.boardStatuses.children(board.id);
      expect(statuses.some((x) => x['closedStatus'] === true)).toBe(true);
      expect(statuses.filter((x) => x['defaultFlag'] === true)).toHaveLength(1);
      expect(s.tables.boardTypes.children(board.id).length).toBeGreaterThan(0);
      expect(s.tables.boardSubTypes.children(board.id).length).toBeGreaterThan(0);
      expect(s.tables.boardItems.children(board.id).length).toBeGreaterThan(0);
    }
    expect(s.tables.priorities.size).toBeGreaterThan(2);
    expect(s.tables.workTypes.size).toBeGreaterThan(2);
    expect(s.tables.tickets.size).toBeGreaterThan(3);
    expect(s.tables.notes.size).toBeGreaterThan(s.tables.tickets.size);
  });

  it('has the four API members with their roles', () => {
    expect(s.members.map((m) => `${m.publicKey}/${m.privateKey}`)).toEqual([
      'sandbox-public/sandbox-private',
      'restricted-public/restricted-private',
      'noclose-public/noclose-private',
      'admin-public/admin-private',
    ]);
  });
});

describe('scale and empty seeds', () => {
  it('builds N companies each with an active monthly agreement, the same every time', () => {
    const a = buildState('scale:300', TODAY);
    const b = buildState('scale:300', TODAY);
    expect(a.tables.companies.size).toBe(300);
    expect(a.tables.agreements.all().every((x) => x['agreementStatus'] === 'Active')).toBe(true);
    expect(JSON.stringify(a.tables.agreements.all())).toBe(JSON.stringify(b.tables.agreements.all()));
    expect(JSON.stringify(a.tables.companies.all())).toBe(JSON.stringify(b.tables.companies.all()));
  });

  it('builds 100,000 companies', () => {
    const s = buildState('scale:100000', TODAY);
    expect(s.tables.companies.size).toBe(100_000);
    expect(s.tables.agreements.size).toBe(100_000);
  });

  it('keeps setup tables in the empty seed and refuses unknown seeds', () => {
    const s = buildState('empty', TODAY);
    expect(s.tables.companies.size).toBe(0);
    expect(s.tables.boards.size).toBe(2);
    expect(seedProblem('scale:0')).toBeDefined();
    expect(seedProblem('nope')).toBeDefined();
    expect(seedProblem('scale:10')).toBeUndefined();
  });
});
