// Agreements and their additions (the billing lines psa-bridge posts usage to).
import type { Api } from '../api.ts';
import type { PageQuery } from '../paginate.ts';
import { all, count, items } from '../paginate.ts';
import {
  type Addition,
  type AdditionCreate,
  type AdditionPatch,
  type Agreement,
  addition,
  additionCreate,
  additionPatch,
  agreement,
  calendarDate,
  replaceOps,
  toCwDate,
} from '../schemas/index.ts';
import { parseInput, positiveId, type ReadCollection, readCollection } from './collection.ts';

export type AgreementsResource = ReadCollection<Agreement>;

export function agreementsResource(api: Api): AgreementsResource {
  return readCollection(api, '/finance/agreements', agreement);
}

export interface AdditionsResource {
  iterate(agreementId: number, query?: PageQuery): AsyncGenerator<Addition>;
  all(agreementId: number, query?: PageQuery): Promise<Addition[]>;
  count(agreementId: number, query?: PageQuery): Promise<number>;
  get(agreementId: number, id: number): Promise<Addition>;
  /** POST: never retried by the client — make it idempotent (ledger + lookup) before calling. */
  create(agreementId: number, body: AdditionCreate): Promise<Addition>;
  patch(agreementId: number, id: number, changes: AdditionPatch): Promise<Addition>;
  /** Stops billing: sets `cancelledDate` (last billed day, YYYY-MM-DD). */
  cancel(agreementId: number, id: number, cancelledDate: string): Promise<Addition>;
}

export function additionsResource(api: Api): AdditionsResource {
  const path = (agreementId: number) =>
    `/finance/agreements/${positiveId(agreementId, 'agreementId')}/additions`;
  const get = async (agreementId: number, id: number) =>
    api.json(addition, 'GET', `${path(agreementId)}/${positiveId(id)}`);
  const patch = async (agreementId: number, id: number, changes: AdditionPatch) => {
    const valid = parseInput(additionPatch, changes, 'addition change');
    const ops = replaceOps({
      ...valid,
      effectiveDate: valid.effectiveDate && toCwDate(valid.effectiveDate),
      cancelledDate: valid.cancelledDate && toCwDate(valid.cancelledDate),
    });
    if (ops.length === 0) return get(agreementId, id);
    return api.json(addition, 'PATCH', `${path(agreementId)}/${positiveId(id)}`, { body: ops });
  };
  return {
    iterate: (agreementId, query) => items(api, path(agreementId), addition, query),
    all: async (agreementId, query) => all(api, path(agreementId), addition, query),
    count: async (agreementId, query) => count(api, path(agreementId), query),
    get,
    async create(agreementId, body) {
      const valid = parseInput(additionCreate, body, 'addition');
      return api.json(addition, 'POST', path(agreementId), {
        body: { ...valid, effectiveDate: toCwDate(valid.effectiveDate) },
      });
    },
    patch,
    async cancel(agreementId, id, cancelledDate) {
      parseInput(calendarDate, cancelledDate, 'cancelledDate');
      return patch(agreementId, id, { cancelledDate });
    },
  };
}
