import { Collection } from './collection.ts';
import { RequestLog } from './request-log.ts';
import { VERSION } from './resources/system.ts';
import type { SimState, Tables } from './types.ts';

/** The clientId registered for the simulator's demo integration (CW issues clientIds per integration). */
export const DEMO_CLIENT_ID = '9c2f7a04-3f5e-4c2b-8a51-0d6e1b7f4c21';
export const LOGIN_COMPANY = 'sandbox';

/** Empty tables with CW-looking id ranges, so ids of different kinds are easy to tell apart. */
function emptyTables(): Tables {
  return {
    companies: new Collection('companies', 250),
    companyStatuses: new Collection('companyStatuses', 1),
    contacts: new Collection('contacts', 1000),
    agreements: new Collection('agreements', 500),
    additions: new Collection('additions', 3000),
    catalog: new Collection('catalog', 40),
    boards: new Collection('boards', 1),
    boardStatuses: new Collection('boardStatuses', 10),
    boardTypes: new Collection('boardTypes', 100),
    boardSubTypes: new Collection('boardSubTypes', 200),
    boardItems: new Collection('boardItems', 300),
    priorities: new Collection('priorities', 1),
    workTypes: new Collection('workTypes', 1),
    tickets: new Collection('tickets', 5000),
    notes: new Collection('notes', 9000),
  };
}

export function emptyState(seed: string, today: string, log = new RequestLog()): SimState {
  return {
    seed,
    today,
    loginCompany: { companyId: LOGIN_COMPANY, name: 'Sandbox MSP' },
    clientIds: new Set([DEMO_CLIENT_ID]),
    members: [],
    tables: emptyTables(),
    invoices: [],
    nextInvoiceId: 1,
    defaultBoardId: undefined,
    faults: undefined,
    log,
    codebase: { path: VERSION.cloudCodebase, versionCode: VERSION.code },
  };
}
