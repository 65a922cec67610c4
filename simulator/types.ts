import type { Collection } from './collection.ts';
import type { FaultConfig } from './faults.ts';
import type { RequestLog } from './request-log.ts';
import type { SecurityRole } from './roles.ts';

/** A record in CW's wire shape: null fields absent, references embedded, hrefs relative to BASE. */
export type Rec = { id: number; _info?: Record<string, string> } & Record<string, unknown>;

/** An API member: the login a partner's integration uses (System › Members › API Members). */
export interface ApiMember {
  id: number;
  identifier: string;
  name: string;
  publicKey: string;
  privateKey: string;
  role: SecurityRole;
  inactive?: boolean;
}

/** One invoice line: what an addition contributed to an agreement invoice. */
export interface InvoiceLine {
  additionId: number;
  product: string;
  description: string;
  quantity: number;
  lessIncluded: number;
  unitPrice: number;
  billCustomer: string;
  amount: number;
  effectiveDate: string;
  cancelledDate?: string;
}

/** An agreement invoice, recorded by the invoice run (modelled; CW keeps these in Invoicing). */
export interface Invoice {
  id: number;
  invoiceNumber: string;
  agreementId: number;
  companyId: number;
  /** First and last calendar day (YYYY-MM-DD) of the billed period. */
  periodStart: string;
  periodEnd: string;
  date: string;
  total: number;
  lines: InvoiceLine[];
}

export interface Tables {
  companies: Collection;
  companyStatuses: Collection;
  contacts: Collection;
  agreements: Collection;
  additions: Collection;
  catalog: Collection;
  boards: Collection;
  boardStatuses: Collection;
  boardTypes: Collection;
  boardSubTypes: Collection;
  boardItems: Collection;
  priorities: Collection;
  workTypes: Collection;
  tickets: Collection;
  notes: Collection;
}

export interface SimState {
  seed: string;
  /** The simulator's calendar day, YYYY-MM-DD (UTC). */
  today: string;
  loginCompany: { companyId: string; name: string };
  clientIds: Set<string>;
  members: ApiMember[];
  tables: Tables;
  invoices: Invoice[];
  nextInvoiceId: number;
  /** Board used when a ticket is created without one (the API member's default board in CW). */
  defaultBoardId: number | undefined;
  faults: FaultConfig | undefined;
  log: RequestLog;
  /**
   * The cloud codebase companyinfo announces and the API serves (besides `v4_6_release/`), with the
   * version it stands for; `POST /__sim/codebase` changes both, as a hosted upgrade does.
   */
  codebase: { path: string; versionCode: string };
}
