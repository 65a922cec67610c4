import { alreadyBilled, round2 } from '../billing.ts';
import { Problems } from '../errors.ts';
import { topLevelFields } from '../fields.ts';
import { invoicesOf } from '../invoicing.ts';
import { applyPatch } from '../patch.ts';
import { compact, entityInfo, productRef } from '../refs.ts';
import type { Route, RouteContext } from '../router.ts';
import { dayOf, dayToCw, stampOn } from '../time.ts';
import type { Rec, SimState } from '../types.ts';
import { type Body, date, flag, num, objectBody, oneOf, reference, text } from '../validate.ts';
import { childOf, childTableRoutes, parentOf } from './read.ts';

const BILL_CUSTOMER = ['Billable', 'DoNotBill', 'NoCharge'] as const;
const ADDITION_FIELDS = topLevelFields('Addition');
const WRITABLE = new Set([
  'product',
  'quantity',
  'lessIncluded',
  'unitPrice',
  'unitCost',
  'billCustomer',
  'effectiveDate',
  'cancelledDate',
  'taxableFlag',
  'serialNumber',
  'invoiceDescription',
  'purchaseItemFlag',
  'specialOrderFlag',
  'description',
  'uom',
  'prorateCurrentPeriodFlag',
  'sequenceNumber',
]);

/**
 * Validates an addition body (POST, PUT, or PATCH result) and builds the stored record. Besides the
 * spec's rules it refuses an effectiveDate inside a period the agreement was already invoiced for —
 * undocumented CW behaviour the vendor guide relies on ("ConnectWise blocks new additions for the
 * current cycle"); modelled on the invoice history kept by the simulator.
 */
export function buildAddition(
  state: SimState,
  agreement: Rec,
  body: Body,
  by: string,
  existing?: Rec,
  opts: { history?: boolean } = {},
): Rec {
  const p = new Problems('addition');
  const product = reference(p, body, 'product', 'IvItemReference', state.tables.catalog, {
    required: true,
    keys: ['identifier'],
    label: 'product',
  });
  if (product?.['inactiveFlag'] === true)
    p.add('product', `The product ${product['identifier']} is inactive.`);
  const billCustomer = oneOf(p, body, 'billCustomer', BILL_CUSTOMER, { required: true });
  const quantity = num(p, body, 'quantity');
  const effectiveDate = date(p, body, 'effectiveDate') ?? existing?.['effectiveDate'] ?? dayToCw(state.today);
  const cancelledDate = date(p, body, 'cancelledDate');
  const fields = {
    lessIncluded: num(p, body, 'lessIncluded'),
    unitPrice: num(p, body, 'unitPrice') ?? product?.['price'],
    unitCost: num(p, body, 'unitCost') ?? product?.['cost'],
    taxableFlag: flag(p, body, 'taxableFlag') ?? false,
    serialNumber: text(p, body, 'serialNumber', { max: 50 }),
    invoiceDescription: text(p, body, 'invoiceDescription', { max: 6000 }),
    purchaseItemFlag: flag(p, body, 'purchaseItemFlag') ?? false,
    specialOrderFlag: flag(p, body, 'specialOrderFlag') ?? false,
    description: text(p, body, 'description') ?? product?.['description'],
    uom: text(p, body, 'uom') ?? (product?.['unitOfMeasure'] as Rec | undefined)?.['name'],
    prorateCurrentPeriodFlag: flag(p, body, 'prorateCurrentPeriodFlag'),
    sequenceNumber: num(p, body, 'sequenceNumber'),
  };
  const effective = String(effectiveDate);
  if (cancelledDate !== undefined && dayOf(cancelledDate) < dayOf(effective)) {
    p.add('cancelledDate', 'cancelledDate must be on or after effectiveDate.');
  }
  const effectiveChanged =
    existing === undefined || dayOf(String(existing['effectiveDate'])) !== dayOf(effective);
  if (
    effectiveChanged &&
    !opts.history &&
    alreadyBilled(agreement, invoicesOf(state, agreement.id), dayOf(effective))
  ) {
    p.add(
      'effectiveDate',
      `The effective date ${dayOf(effective)} falls in a period of agreement ${agreement.id} that has already been invoiced.`,
    );
  }
  p.throwIfAny();
  const at = stampOn(state.today);
  const qty = quantity ?? 0;
  const price = Number(fields.unitPrice ?? 0);
  const cost = Number(fields.unitCost ?? 0);
  return compact({
    id: existing?.id ?? state.tables.additions.allocateId(),
    product: productRef(product!),
    quantity: qty,
    ...fields,
    billCustomer,
    effectiveDate: effective,
    cancelledDate,
    agreementId: agreement.id,
    extPrice: round2(qty * price),
    extCost: round2(qty * cost),
    margin: round2(qty * (price - cost)),
    agreementStatus: agreement['agreementStatus'],
    _info: entityInfo(at, by, existing?._info),
  }) as Rec;
}

const spec = {
  pattern: 'finance/agreements/:id/additions',
  parent: (s: SimState) => s.tables.agreements,
  parentWhat: 'Agreement',
  table: (s: SimState) => s.tables.additions,
  what: 'Addition',
};

/** PATCH and PUT: the resulting body is validated whole and replaces the addition. */
const replace =
  (bodyOf: (ctx: RouteContext, rec: Rec) => Body): Route['handle'] =>
  (ctx) => {
    const { parent, rec } = childOf(ctx, spec);
    const next = buildAddition(ctx.state, parent, bodyOf(ctx, rec), ctx.member.identifier, rec);
    return { status: 200, body: ctx.state.tables.additions.put(next, parent.id) };
  };

export function additionRoutes(): Route[] {
  const id = spec.pattern + '/:id';
  return [
    ...childTableRoutes({ ...spec, permission: { area: 'agreements', level: 'inquire' } }),
    {
      method: 'POST',
      pattern: spec.pattern,
      permission: { area: 'agreements', level: 'add' },
      handle(ctx) {
        const agreement = parentOf(ctx, spec);
        const body = objectBody(ctx.body(), 'Addition');
        const rec = buildAddition(ctx.state, agreement, body, ctx.member.identifier);
        return { status: 201, body: ctx.state.tables.additions.put(rec, agreement.id) };
      },
    },
    {
      method: 'PATCH',
      pattern: id,
      permission: { area: 'agreements', level: 'edit' },
      handle: replace((ctx, rec) => applyPatch(rec, ctx.body(), 'addition', WRITABLE, ADDITION_FIELDS)),
    },
    {
      method: 'PUT',
      pattern: id,
      permission: { area: 'agreements', level: 'edit' },
      handle: replace((ctx) => objectBody(ctx.body(), 'Addition')),
    },
    {
      method: 'DELETE',
      pattern: id,
      permission: { area: 'agreements', level: 'delete' },
      handle(ctx) {
        const { rec } = childOf(ctx, spec);
        ctx.state.tables.additions.delete(rec.id);
        return { status: 204 };
      },
    },
  ];
}
