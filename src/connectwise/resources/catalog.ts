// Procurement › Product Catalog: the products SKUs are mapped to.
import type { Api } from '../api.ts';
import { where } from '../conditions.ts';
import { type CatalogItem, catalogItem } from '../schemas/index.ts';
import { type ReadCollection, readCollection } from './collection.ts';

export interface CatalogResource extends ReadCollection<CatalogItem> {
  findByIdentifier(identifier: string): Promise<CatalogItem | undefined>;
}

export function catalogResource(api: Api): CatalogResource {
  const base = readCollection(api, '/procurement/catalog', catalogItem);
  return {
    ...base,
    async findByIdentifier(identifier) {
      return base.first({ conditions: where.eq('identifier', identifier) });
    },
  };
}
