import { z } from 'zod';
import { billableOrDefault, bool, id, info, namedRef, num, oneOf, str } from './common.ts';

export const productClasses = ['Agreement', 'Bundle', 'Inventory', 'NonInventory', 'Service'] as const;

export const catalogItem = z.looseObject({
  id,
  identifier: z.string(),
  description: str,
  inactiveFlag: bool,
  subcategory: namedRef.nullish(),
  type: namedRef.nullish(),
  productClass: oneOf(productClasses),
  price: num,
  cost: num,
  customerDescription: str,
  category: namedRef.nullish(),
  billableOption: oneOf(billableOrDefault),
  integrationXRef: str,
  _info: info,
});
export type CatalogItem = z.infer<typeof catalogItem>;
