import { z } from 'zod';
import {
  agreementStatuses,
  billable,
  bool,
  calendarDate,
  companyRef,
  id,
  idRef,
  info,
  ivItemRef,
  namedRef,
  num,
  oneOf,
  optId,
  str,
} from './common.ts';

export const agreement = z.looseObject({
  id,
  name: z.string(),
  type: namedRef.nullish(),
  company: companyRef.nullish(),
  contact: namedRef.nullish(),
  parentAgreement: namedRef.nullish(),
  startDate: str,
  endDate: str,
  noEndingDateFlag: bool,
  cancelledFlag: bool,
  dateCancelled: str,
  billingCycle: namedRef.nullish(),
  prorateFlag: bool,
  invoiceProratedAdditionsFlag: bool,
  nextInvoiceDate: str,
  agreementStatus: oneOf(agreementStatuses),
  _info: info,
});
export type Agreement = z.infer<typeof agreement>;

export const addition = z.looseObject({
  id,
  product: ivItemRef.nullish(),
  quantity: num,
  lessIncluded: num,
  unitPrice: num,
  unitCost: num,
  billCustomer: oneOf(billable),
  effectiveDate: str,
  cancelledDate: str,
  taxableFlag: bool,
  invoiceDescription: str,
  agreementId: optId,
  description: str,
  agreementStatus: oneOf(agreementStatuses),
  _info: info,
});
export type Addition = z.infer<typeof addition>;

/** What psa-bridge posts: the quantity is absolute; `effectiveDate` a calendar date. */
export const additionCreate = z
  .object({
    product: idRef,
    quantity: z.number().finite().nonnegative(),
    billCustomer: z.enum(billable),
    effectiveDate: calendarDate,
    description: z.string().max(6000).optional(),
    invoiceDescription: z.string().max(6000).optional(),
    unitPrice: z.number().finite().optional(),
    unitCost: z.number().finite().optional(),
    lessIncluded: z.number().finite().nonnegative().optional(),
    taxableFlag: z.boolean().optional(),
  })
  .strict();
export type AdditionCreate = z.input<typeof additionCreate>;

export const additionPatch = z
  .object({
    quantity: z.number().finite().nonnegative().optional(),
    description: z.string().max(6000).optional(),
    invoiceDescription: z.string().max(6000).optional(),
    unitPrice: z.number().finite().optional(),
    effectiveDate: calendarDate.optional(),
    cancelledDate: calendarDate.optional(),
  })
  .strict();
export type AdditionPatch = z.input<typeof additionPatch>;
