// Every resource the product uses, against the simulator over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConnectWiseClient,
  createConnectWiseClient,
  InvalidInputError,
  where,
} from '../../src/connectwise/index.ts';
import { type Sim, startSim } from './sim.ts';

let s: Sim;
let cw: ConnectWiseClient;

beforeAll(async () => {
  s = await startSim();
  cw = createConnectWiseClient(s.config());
});
afterAll(async () => {
  await cw?.close();
  await s?.close();
});

describe('ConnectWise client resources (simulator, demo seed)', () => {
  it('system info and company info (codebase discovered from companyinfo)', async () => {
    const info = await cw.system.info();
    expect(info.version).toMatch(/^v\d{4}\./);
    const company = await cw.companyInfo();
    expect(company.codebase).toMatch(/\/$/);
    const log = await s.requests();
    expect(log.some((r) => r.path.startsWith(`/${company.codebase}apis/3.0/system/info`))).toBe(true);
  });

  it('companies: iterate, get, count, findByIdentifier', async () => {
    const all = [];
    for await (const c of cw.companies.iterate()) all.push(c);
    expect(all.length).toBeGreaterThan(1);
    expect(await cw.companies.count()).toBe(all.length);
    const first = all[0]!;
    expect(await cw.companies.get(first.id)).toMatchObject({ id: first.id, name: first.name });
    expect((await cw.companies.findByIdentifier(first.identifier))?.id).toBe(first.id);
    expect(await cw.companies.findByIdentifier('no-such-identifier-"x"')).toBeUndefined();
  });

  it('company statuses and contacts of a company', async () => {
    const statuses = await cw.companyStatuses.all();
    expect(statuses.some((st) => st.name)).toBe(true);
    const [company] = await cw.companies.all({ pageSize: 1, conditions: where.eq('deletedFlag', false) });
    const contacts = [];
    for await (const c of cw.contacts.ofCompany(company!.id)) contacts.push(c);
    for (const c of contacts) expect(c.company?.id).toBe(company!.id);
    expect(await cw.contacts.count({ conditions: where.eq('company/id', company!.id) })).toBe(
      contacts.length,
    );
  });

  it('agreements and additions: list, create, patch, cancel', async () => {
    const agreements = await cw.agreements.all({ conditions: where.eq('agreementStatus', 'Active') });
    expect(agreements.length).toBeGreaterThan(0);
    const agreement = await cw.agreements.get(agreements[0]!.id);
    const [product] = await cw.catalog.all({ pageSize: 1, conditions: where.eq('inactiveFlag', false) });
    const before = await cw.additions.count(agreement.id);
    // The first day of the period CW has not invoiced yet.
    const effectiveDate = `${agreement.nextInvoiceDate!.slice(0, 7)}-01`;
    const created = await cw.additions.create(agreement.id, {
      product: { id: product!.id },
      quantity: 12,
      billCustomer: 'Billable',
      effectiveDate,
      description: 'psa-bridge test line',
    });
    expect(created).toMatchObject({ quantity: 12, billCustomer: 'Billable' });
    expect(created.effectiveDate?.slice(0, 10)).toBe(effectiveDate);
    expect(await cw.additions.count(agreement.id)).toBe(before + 1);
    const patched = await cw.additions.patch(agreement.id, created.id, { quantity: 15 });
    expect(patched.quantity).toBe(15);
    const lastDay = `${effectiveDate.slice(0, 7)}-28`;
    const cancelled = await cw.additions.cancel(agreement.id, created.id, lastDay);
    expect(cancelled.cancelledDate?.slice(0, 10)).toBe(lastDay);
    expect((await cw.additions.get(agreement.id, created.id)).quantity).toBe(15);
    const lines = await cw.additions.all(agreement.id, { conditions: where.eq('product/id', product!.id) });
    expect(lines.map((l) => l.id)).toContain(created.id);
  });

  it('catalog items', async () => {
    const items = await cw.catalog.all();
    expect(items.length).toBeGreaterThan(0);
    expect((await cw.catalog.findByIdentifier(items[0]!.identifier))?.id).toBe(items[0]!.id);
    expect(await cw.catalog.count()).toBe(items.length);
  });

  it('boards with statuses, types, subtypes and items; priorities; work types', async () => {
    const boards = await cw.boards.all();
    expect(boards.length).toBeGreaterThan(0);
    const board = await cw.boards.get(boards[0]!.id);
    const statuses = await cw.boards.statuses.all(board.id);
    expect(statuses.length).toBeGreaterThan(0);
    expect(await cw.boards.statuses.get(board.id, statuses[0]!.id)).toMatchObject({ id: statuses[0]!.id });
    const closed = await cw.boards.closedStatuses(board.id);
    expect(closed.every((c) => c.closedStatus === true)).toBe(true);
    await cw.boards.types.all(board.id);
    await cw.boards.subtypes.all(board.id);
    await cw.boards.items.all(board.id);
    expect((await cw.priorities.all()).length).toBeGreaterThan(0);
    expect((await cw.workTypes.all()).length).toBeGreaterThan(0);
  });

  it('tickets: create, get, patch, find by externalXRef, notes, close', async () => {
    const [company] = await cw.companies.all({ pageSize: 1 });
    const board = (await cw.boards.all())[0]!;
    const [closed] = await cw.boards.closedStatuses(board.id);
    const xref = `psa-bridge:test:"quoted" 'case' ${Date.now()}`;
    expect(await cw.tickets.findByExternalXRef(xref)).toBeUndefined();
    const ticket = await cw.tickets.create({
      summary: 'Phishing incident: invoice.pdf',
      company: { id: company!.id },
      board: { id: board.id },
      externalXRef: xref,
      initialDescription: 'Sender: a@example.com',
    });
    expect(ticket).toMatchObject({ summary: 'Phishing incident: invoice.pdf', externalXRef: xref });
    expect((await cw.tickets.findByExternalXRef(xref))?.id).toBe(ticket.id);
    const patched = await cw.tickets.patch(ticket.id, { summary: 'Phishing incident (updated)' });
    expect(patched.summary).toBe('Phishing incident (updated)');
    const note = await cw.ticketNotes.create(ticket.id, {
      text: 'Update: quarantined',
      internalAnalysisFlag: true,
    });
    expect(note).toMatchObject({ text: 'Update: quarantined', internalAnalysisFlag: true });
    const notes = await cw.ticketNotes.all(ticket.id);
    expect(notes.map((n) => n.id)).toContain(note.id);
    expect(await cw.ticketNotes.count(ticket.id)).toBe(notes.length);
    const done = await cw.tickets.close(ticket.id, closed!.id);
    expect(done.status?.id).toBe(closed!.id);
    expect((await cw.tickets.get(ticket.id)).closedFlag).toBe(true);
    expect(await cw.tickets.count({ conditions: where.eq('externalXRef', xref) })).toBe(1);
  });

  it('finds the lowest-id ticket for a duplicated externalXRef with a single request', async () => {
    const [company] = await cw.companies.all({ pageSize: 1 });
    const xref = `dup-${Date.now()}`;
    const a = await cw.tickets.create({ summary: 'first', company: { id: company!.id }, externalXRef: xref });
    await cw.tickets.create({ summary: 'second', company: { id: company!.id }, externalXRef: xref });
    const seq = (await s.requests()).at(-1)?.seq ?? 0;
    expect((await cw.tickets.findByExternalXRef(xref))?.id).toBe(a.id);
    const reads = (await s.requests(seq)).filter((r) => r.path.endsWith('/service/tickets'));
    expect(reads.length).toBe(1);
    expect(new URLSearchParams(reads[0]!.query).get('pageSize')).toBe('1');
  });

  it('checks write bodies before sending, naming the field', async () => {
    await expect(cw.tickets.create({ summary: 'x'.repeat(101), company: { id: 1 } })).rejects.toMatchObject({
      code: 'CW_INVALID_INPUT',
      field: 'summary',
    });
    await expect(cw.ticketNotes.create(1, { text: 'no flag' })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(
      cw.additions.create(1, {
        product: { id: 1 },
        quantity: 1,
        billCustomer: 'Billable',
        effectiveDate: '1/12/2026',
      }),
    ).rejects.toMatchObject({ field: 'effectiveDate' });
    await expect(cw.companies.get(0)).rejects.toMatchObject({ code: 'CW_INVALID_INPUT', field: 'id' });
  });
});
