// Companies, their statuses (System › Table Setup › Company Status) and contacts.
import type { Api } from '../api.ts';
import { and, where } from '../conditions.ts';
import type { PageQuery } from '../paginate.ts';
import {
  type Company,
  type CompanyStatus,
  type Contact,
  company,
  companyStatus,
  contact,
} from '../schemas/index.ts';
import { positiveId, type ReadCollection, readCollection } from './collection.ts';

export interface CompaniesResource extends ReadCollection<Company> {
  /** Finds by the company's identifier (the short code CW shows), exact match. */
  findByIdentifier(identifier: string): Promise<Company | undefined>;
}

export function companiesResource(api: Api): CompaniesResource {
  const base = readCollection(api, '/company/companies', company);
  return {
    ...base,
    async findByIdentifier(identifier) {
      return base.first({ conditions: where.eq('identifier', identifier) });
    },
  };
}

export type CompanyStatusesResource = ReadCollection<CompanyStatus>;

export function companyStatusesResource(api: Api): CompanyStatusesResource {
  return readCollection(api, '/company/companies/statuses', companyStatus);
}

export interface ContactsResource extends ReadCollection<Contact> {
  /** Contacts of one company (conditions combined with the caller's). */
  ofCompany(companyId: number, query?: PageQuery): AsyncGenerator<Contact>;
}

export function contactsResource(api: Api): ContactsResource {
  const base = readCollection(api, '/company/contacts', contact);
  return {
    ...base,
    ofCompany(companyId, query = {}) {
      const byCompany = where.eq('company/id', positiveId(companyId, 'companyId'));
      const conditions = and(byCompany, query.conditions);
      return base.iterate({ ...query, conditions });
    },
  };
}
