import { Router } from '../router.ts';
import { additionRoutes } from './additions.ts';
import { noteRoutes } from './notes.ts';
import { childTableRoutes, tableRoutes } from './read.ts';
import { systemRoutes } from './system.ts';
import { ticketRoutes } from './tickets.ts';

/**
 * Every CW endpoint the simulator serves, with the security-role permission each verb needs.
 * Setup tables (company statuses, boards and their children, priorities, work types) need
 * System › Table Setup with the table enabled, as the vendor guide's role sets up.
 */
export function buildRouter(): Router {
  const board = (
    child: string,
    what: string,
    table: 'boardStatuses' | 'boardTypes' | 'boardSubTypes' | 'boardItems',
  ) =>
    childTableRoutes({
      pattern: `service/boards/:id/${child}`,
      parent: (s) => s.tables.boards,
      parentWhat: 'Board',
      table: (s) => s.tables[table],
      what,
      permission: { area: 'tableSetup', level: 'inquire', table: 'serviceBoard' },
    });
  return new Router().add(
    ...systemRoutes(),
    ...tableRoutes('company/companies', (s) => s.tables.companies, 'Company', {
      area: 'companyMaintenance',
      level: 'inquire',
    }),
    ...tableRoutes('company/companies/statuses', (s) => s.tables.companyStatuses, 'CompanyStatus', {
      area: 'tableSetup',
      level: 'inquire',
      table: 'companyStatus',
    }),
    ...tableRoutes('company/contacts', (s) => s.tables.contacts, 'Contact', {
      area: 'companyMaintenance',
      level: 'inquire',
    }),
    ...tableRoutes('finance/agreements', (s) => s.tables.agreements, 'Agreement', {
      area: 'agreements',
      level: 'inquire',
    }),
    ...additionRoutes(),
    ...tableRoutes('procurement/catalog', (s) => s.tables.catalog, 'CatalogItem', {
      area: 'productCatalog',
      level: 'inquire',
    }),
    ...tableRoutes('service/boards', (s) => s.tables.boards, 'Board', {
      area: 'tableSetup',
      level: 'inquire',
      table: 'serviceBoard',
    }),
    ...board('statuses', 'BoardStatus', 'boardStatuses'),
    ...board('types', 'BoardType', 'boardTypes'),
    ...board('subtypes', 'BoardSubType', 'boardSubTypes'),
    ...board('items', 'BoardItem', 'boardItems'),
    ...tableRoutes('service/priorities', (s) => s.tables.priorities, 'Priority', {
      area: 'tableSetup',
      level: 'inquire',
      table: 'priority',
    }),
    ...tableRoutes('time/workTypes', (s) => s.tables.workTypes, 'WorkType', {
      area: 'tableSetup',
      level: 'inquire',
      table: 'workType',
    }),
    ...ticketRoutes(),
    ...noteRoutes(),
  );
}
