import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from './index.ts';
import { cw, type MemberKey } from './testing.ts';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 'demo', today: '2026-03-10', quiet: true });
});
afterAll(() => sim.close());

/** An agreement of a company that is billed through next month's start (its current month is open). */
async function openAgreement(): Promise<number> {
  const res = await cw(sim, 'GET', 'finance/agreements?conditions=company/identifier="CedarRidgeLaw"');
  return res.body[0].id;
}

describe('security roles', () => {
  const reads = [
    'company/companies',
    'company/companies/statuses',
    'company/contacts',
    'finance/agreements',
    'procurement/catalog',
    'service/boards',
    'service/boards/1/statuses',
    'service/priorities',
    'time/workTypes',
    'service/tickets',
  ];

  it.each(['sandbox', 'restricted', 'noclose', 'admin'] as MemberKey[])(
    'lets %s read every resource',
    async (member) => {
      for (const path of reads)
        expect((await cw(sim, 'GET', path, undefined, { member })).status, path).toBe(200);
    },
  );

  const valid = () => ({
    product: { identifier: 'Core' },
    quantity: 5,
    billCustomer: 'Billable',
    effectiveDate: '2026-03-01T00:00:00Z',
  });
  const matrix: Array<[MemberKey, number]> = [
    ['sandbox', 201],
    ['restricted', 403],
    ['noclose', 201],
    ['admin', 201],
  ];
  it.each(matrix)('answers %s creating an addition with %i', async (member, status) => {
    const id = await openAgreement();
    const res = await cw(sim, 'POST', `finance/agreements/${id}/additions`, valid(), { member });
    expect(res.status).toBe(status);
    if (status === 403) expect(res.body.message).toContain('Finance › Agreements');
  });

  it('checks the permission before the body: restricted gets 403 for an invalid body and nothing is created', async () => {
    const id = await openAgreement();
    const before = (await cw(sim, 'GET', `finance/agreements/${id}/additions/count`)).body.count;
    const denied = await cw(
      sim,
      'POST',
      `finance/agreements/${id}/additions`,
      { quantity: 'lots' },
      { member: 'restricted' },
    );
    expect(denied.status).toBe(403);
    const malformed = await cw(sim, 'POST', `finance/agreements/${id}/additions`, undefined, {
      member: 'restricted',
      raw: '{not json',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(malformed.status).toBe(403);
    const allowed = await cw(sim, 'POST', `finance/agreements/${id}/additions`, { quantity: 'lots' });
    expect(allowed.status).toBe(400);
    expect(allowed.body.code).toBe('InvalidObject');
    expect((await cw(sim, 'GET', `finance/agreements/${id}/additions/count`)).body.count).toBe(before);
  });

  it('denies restricted PATCH and PUT of additions, and Delete to everyone but admin (the documented role has no Delete)', async () => {
    const id = await openAgreement();
    const created = await cw(sim, 'POST', `finance/agreements/${id}/additions`, valid());
    const path = `finance/agreements/${id}/additions/${created.body.id}`;
    expect(
      (
        await cw(sim, 'PATCH', path, [{ op: 'replace', path: 'quantity', value: 9 }], {
          member: 'restricted',
        })
      ).status,
    ).toBe(403);
    expect((await cw(sim, 'PUT', path, valid(), { member: 'restricted' })).status).toBe(403);
    expect((await cw(sim, 'DELETE', path)).status).toBe(403);
    expect((await cw(sim, 'GET', path)).body.quantity).toBe(5);
    expect((await cw(sim, 'DELETE', path, undefined, { member: 'admin' })).status).toBe(204);
    expect((await cw(sim, 'GET', path)).status).toBe(404);
  });

  it('needs Close Service Tickets to move a ticket into a closed status', async () => {
    const ticket = await cw(
      sim,
      'POST',
      'service/tickets',
      {
        summary: 'close me',
        company: { identifier: 'AcmeLogistics' },
        board: { name: 'Security' },
      },
      { member: 'noclose' },
    );
    expect(ticket.status).toBe(201);
    const close = [{ op: 'replace', path: 'status', value: { name: 'Closed' } }];
    const denied = await cw(sim, 'PATCH', `service/tickets/${ticket.body.id}`, close, { member: 'noclose' });
    expect(denied.status).toBe(403);
    expect(denied.body.message).toContain('Close Service Tickets');
    expect((await cw(sim, 'GET', `service/tickets/${ticket.body.id}`)).body.closedFlag).toBe(false);
    const createdClosed = await cw(
      sim,
      'POST',
      'service/tickets',
      {
        summary: 'born closed',
        company: { identifier: 'AcmeLogistics' },
        board: { name: 'Security' },
        status: { name: 'Resolved' },
      },
      { member: 'noclose' },
    );
    expect(createdClosed.status).toBe(403);
    // Other changes to the ticket stay allowed.
    const rename = await cw(
      sim,
      'PATCH',
      `service/tickets/${ticket.body.id}`,
      [{ op: 'replace', path: 'summary', value: 'renamed' }],
      {
        member: 'noclose',
      },
    );
    expect(rename.status).toBe(200);
    expect((await cw(sim, 'PATCH', `service/tickets/${ticket.body.id}`, close)).body.closedFlag).toBe(true);
  });
});
