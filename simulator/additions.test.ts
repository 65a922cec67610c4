import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from './index.ts';
import { control, cw, type Json } from './testing.ts';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 'demo', today: '2026-03-10', quiet: true });
});
afterAll(() => sim.close());

async function agreementOf(identifier: string): Promise<Json> {
  return (await cw(sim, 'GET', `finance/agreements?conditions=company/identifier="${identifier}"`)).body[0];
}
const core = (effective: string, quantity = 10) => ({
  product: { identifier: 'Core' },
  quantity,
  billCustomer: 'Billable',
  effectiveDate: `${effective}T00:00:00Z`,
  description: 'psa-bridge managed',
});
const fieldsOf = (body: Json) => body.errors.map((e: Json) => e.field);

describe('finance/agreements/{id}/additions', () => {
  it('creates with 201, prices from the catalog, and lists, counts and gets it', async () => {
    const a = await agreementOf('CedarRidgeLaw');
    const res = await cw(sim, 'POST', `finance/agreements/${a.id}/additions`, core('2026-03-01', 12));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      product: { identifier: 'Core' },
      quantity: 12,
      unitPrice: 3,
      extPrice: 36,
      billCustomer: 'Billable',
      agreementId: a.id,
      agreementStatus: 'Active',
      effectiveDate: '2026-03-01T00:00:00Z',
    });
    expect(res.body.product._info.product_href).toBe(
      `${sim.apiBase()}/procurement/catalog/${res.body.product.id}`,
    );
    const list = await cw(
      sim,
      'GET',
      `finance/agreements/${a.id}/additions?conditions=product/identifier="Core"`,
    );
    expect(list.body.map((x: Json) => x.id)).toContain(res.body.id);
    expect((await cw(sim, 'GET', `finance/agreements/${a.id}/additions/${res.body.id}`)).body).toEqual(
      res.body,
    );
    expect((await cw(sim, 'GET', `finance/agreements/${a.id + 1}/additions/${res.body.id}`)).status).toBe(
      404,
    );
    expect((await cw(sim, 'GET', 'finance/agreements/999999/additions')).status).toBe(404);
  });

  it('validates product, billCustomer, dates and lengths', async () => {
    const a = await agreementOf('CedarRidgeLaw');
    const path = `finance/agreements/${a.id}/additions`;
    const empty = await cw(sim, 'POST', path, {});
    expect(fieldsOf(empty.body).sort()).toEqual(['billCustomer', 'product']);
    expect(
      fieldsOf((await cw(sim, 'POST', path, { ...core('2026-03-01'), billCustomer: 'Sometimes' })).body),
    ).toEqual(['billCustomer']);
    expect(
      fieldsOf(
        (await cw(sim, 'POST', path, { ...core('2026-03-01'), product: { identifier: 'NOPE' } })).body,
      ),
    ).toEqual(['product']);
    const ghost = await cw(sim, 'POST', path, { ...core('2026-03-01'), product: { id: 999999 } });
    expect(ghost.status).toBe(400);
    expect(ghost.body).toMatchObject({ code: 'InvalidObject', message: 'addition object is invalid' });
    expect(ghost.body.errors).toEqual([
      {
        code: 'InvalidField',
        message: 'The product 999999 was not found.',
        resource: 'addition',
        field: 'product',
      },
    ]);
    expect(
      fieldsOf(
        (await cw(sim, 'POST', path, { ...core('2026-03-01'), product: { identifier: 'SPAM-LEGACY' } })).body,
      ),
    ).toEqual(['product']);
    expect(
      fieldsOf((await cw(sim, 'POST', path, { ...core('2026-03-01'), effectiveDate: 'soon' })).body),
    ).toEqual(['effectiveDate']);
    expect(
      fieldsOf(
        (await cw(sim, 'POST', path, { ...core('2026-03-01'), cancelledDate: '2026-02-01T00:00:00Z' })).body,
      ),
    ).toEqual(['cancelledDate']);
    expect(
      fieldsOf((await cw(sim, 'POST', path, { ...core('2026-03-01'), serialNumber: 's'.repeat(51) })).body),
    ).toEqual(['serialNumber']);
    expect(fieldsOf((await cw(sim, 'POST', path, { ...core('2026-03-01'), quantity: 'many' })).body)).toEqual(
      ['quantity'],
    );
  });

  it('PATCHes the quantity, PUT replaces, and cancelling sets cancelledDate', async () => {
    const a = await agreementOf('CedarRidgeLaw');
    const created = (await cw(sim, 'POST', `finance/agreements/${a.id}/additions`, core('2026-03-01', 5)))
      .body;
    const path = `finance/agreements/${a.id}/additions/${created.id}`;
    const patched = await cw(sim, 'PATCH', path, [{ op: 'replace', path: 'quantity', value: 7 }]);
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ quantity: 7, extPrice: 21, description: 'psa-bridge managed' });
    const cancelled = await cw(sim, 'PATCH', path, [
      { op: 'replace', path: 'cancelledDate', value: '2026-03-31T00:00:00Z' },
    ]);
    expect(cancelled.body.cancelledDate).toBe('2026-03-31T00:00:00Z');
    const put = await cw(sim, 'PUT', path, {
      product: { identifier: 'ATO' },
      billCustomer: 'NoCharge',
      quantity: 2,
    });
    expect(put.body).toMatchObject({
      id: created.id,
      product: { identifier: 'ATO' },
      quantity: 2,
      effectiveDate: '2026-03-01T00:00:00Z',
    });
    expect('cancelledDate' in put.body).toBe(false);
  });
});

describe('agreement invoices', () => {
  it('bills the additions active in the month at their quantity then, and advances nextInvoiceDate', async () => {
    const a = await agreementOf('FultonFoods'); // due this month, has an RMM addition
    expect(a.nextInvoiceDate).toBe('2026-03-01T00:00:00Z');
    const path = `finance/agreements/${a.id}/additions`;
    const mine = (await cw(sim, 'POST', path, core('2026-03-01', 20))).body;
    await cw(sim, 'POST', path, core('2026-04-01', 99)); // next month: not in this invoice
    await cw(sim, 'PATCH', `${path}/${mine.id}`, [{ op: 'replace', path: 'quantity', value: 22 }]);
    const invoice = await control(sim, 'POST', `agreements/${a.id}/invoice`);
    expect(invoice.status).toBe(201);
    expect(invoice.body).toMatchObject({
      agreementId: a.id,
      periodStart: '2026-03-01',
      periodEnd: '2026-03-31',
    });
    const lines = invoice.body.lines.map((l: Json) => [l.product, l.quantity]);
    expect(lines).toEqual(
      expect.arrayContaining([
        ['Core', 22],
        ['RMM-AGENT', 16],
      ]),
    );
    expect(lines).not.toContainEqual(['Core', 99]);
    expect((await cw(sim, 'GET', `finance/agreements/${a.id}`)).body.nextInvoiceDate).toBe(
      '2026-04-01T00:00:00Z',
    );
    // A later change does not rewrite history.
    await cw(sim, 'PATCH', `${path}/${mine.id}`, [{ op: 'replace', path: 'quantity', value: 30 }]);
    const invoices = await control(sim, 'GET', `agreements/${a.id}/invoices`);
    expect(invoices.body.at(-1).lines.find((l: Json) => l.additionId === mine.id).quantity).toBe(22);
  });

  it('refuses a new addition dated in an already invoiced month with 400 on effectiveDate (modelled)', async () => {
    const billed = await agreementOf('AcmeLogistics'); // index 1: March already invoiced
    expect(billed.nextInvoiceDate).toBe('2026-04-01T00:00:00Z');
    const refused = await cw(sim, 'POST', `finance/agreements/${billed.id}/additions`, core('2026-03-01'));
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('InvalidObject');
    expect(fieldsOf(refused.body)).toEqual(['effectiveDate']);
    expect(
      (await cw(sim, 'POST', `finance/agreements/${billed.id}/additions`, core('2026-01-01'))).status,
    ).toBe(400);
    expect(
      (await cw(sim, 'POST', `finance/agreements/${billed.id}/additions`, core('2026-04-01'))).status,
    ).toBe(201);
  });

  it('refuses invoicing a cancelled agreement or one without nextInvoiceDate, and 404s an unknown one', async () => {
    const cancelled = await agreementOf('OakmontInsurance');
    expect(cancelled.agreementStatus).toBe('Cancelled');
    expect((await control(sim, 'POST', `agreements/${cancelled.id}/invoice`)).status).toBe(400);
    const expired = await agreementOf('PinecrestHotels');
    expect(expired.agreementStatus).toBe('Expired');
    expect((await control(sim, 'POST', `agreements/${expired.id}/invoice`)).status).toBe(400);
    expect((await control(sim, 'POST', 'agreements/999999/invoice')).status).toBe(404);
    expect((await control(sim, 'GET', 'agreements/999999/invoices')).status).toBe(404);
  });
});
