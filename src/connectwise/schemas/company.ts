import { z } from 'zod';
import { bool, companyRef, id, info, namedRef, str } from './common.ts';

export const company = z.looseObject({
  id,
  identifier: z.string(),
  name: z.string(),
  status: namedRef.nullish(),
  addressLine1: str,
  city: str,
  state: str,
  zip: str,
  country: namedRef.nullish(),
  phoneNumber: str,
  website: str,
  defaultContact: namedRef.nullish(),
  deletedFlag: bool,
  leadFlag: bool,
  isVendorFlag: bool,
  types: z.array(namedRef).nullish(),
  _info: info,
});
export type Company = z.infer<typeof company>;

export const companyStatus = z.looseObject({
  id,
  name: z.string(),
  defaultFlag: bool,
  inactiveFlag: bool,
  notifyFlag: bool,
  disallowSavingFlag: bool,
  notificationMessage: str,
  _info: info,
});
export type CompanyStatus = z.infer<typeof companyStatus>;

export const contact = z.looseObject({
  id,
  firstName: str,
  lastName: str,
  company: companyRef.nullish(),
  site: namedRef.nullish(),
  inactiveFlag: bool,
  defaultFlag: bool,
  title: str,
  _info: info,
});
export type Contact = z.infer<typeof contact>;
