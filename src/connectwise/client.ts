// createConnectWiseClient: one client per CW connection (site + company + API member). It owns one
// keep-alive pool, one site gate and one breaker; reuse it for every call to that connection.
import { Api } from './api.ts';
import type { BreakerConfig, BreakerState } from './breaker.ts';
import { CODEBASE, CodebaseResolver, type CompanyInfo } from './codebase.ts';
import { InvalidInputError } from './errors.ts';
import { type CatalogResource, catalogResource } from './resources/catalog.ts';
import {
  type CompaniesResource,
  type CompanyStatusesResource,
  type ContactsResource,
  companiesResource,
  companyStatusesResource,
  contactsResource,
} from './resources/companies.ts';
import {
  type AdditionsResource,
  type AgreementsResource,
  additionsResource,
  agreementsResource,
} from './resources/finance.ts';
import {
  type BoardsResource,
  boardsResource,
  type PrioritiesResource,
  prioritiesResource,
  type WorkTypesResource,
  workTypesResource,
} from './resources/service.ts';
import { type SystemResource, systemResource } from './resources/system.ts';
import {
  type TicketNotesResource,
  type TicketsResource,
  ticketNotesResource,
  ticketsResource,
} from './resources/tickets.ts';
import type { RetryConfig } from './retry-policy.ts';
import { parseSite, type Site } from './site.ts';
import { Transport, type TransportHooks } from './transport.ts';
import type { LookupFn } from './url-safety.ts';

export interface ConnectWiseTimeouts {
  /** TCP + TLS connect. Default 10 s. */
  connectMs?: number;
  /** Until response headers arrive. Default 30 s. */
  headersMs?: number;
  /** Longest pause between body chunks. Default 30 s. */
  bodyMs?: number;
  /** One attempt end to end. Default 60 s. */
  totalMs?: number;
}

export interface ConnectWiseConfig {
  /** As the admin typed it: `na.myconnectwise.net`, `https://api-eu.myconnectwise.net`, `cw.example.com`. */
  site: string;
  /** The company ID used on the CW login screen. */
  companyId: string;
  publicKey: string;
  privateKey: string;
  /** psa-bridge's clientId from developer.connectwise.com (sent on every call). */
  clientId: string;
  /** SSRF policy beyond the CW cloud hosts: `host`, `host:port`, `*.domain` (on-prem, the simulator). */
  allowedHosts?: readonly string[];
  allowPrivateAddresses?: boolean;
  /** Plain http — for the simulator only. */
  allowInsecureHttp?: boolean;
  /** Extra CA certificate(s) (PEM), e.g. the simulator's in --tls mode or an on-prem CA. */
  ca?: string | Buffer;
  /** API version in the Accept header. Default `2025.8`. */
  apiVersion?: string;
  /** Skip discovery and use this codebase (`v4_6_release/`). */
  codebase?: string;
  timeouts?: ConnectWiseTimeouts;
  retry?: Partial<RetryConfig>;
  breaker?: Partial<BreakerConfig>;
  /** Requests in flight to this site at once. Default 4. */
  maxConcurrent?: number;
  hooks?: TransportHooks;
  /** DNS lookup override (tests). */
  lookup?: LookupFn;
}

export interface ConnectWiseClient {
  readonly site: Site;
  readonly companies: CompaniesResource;
  readonly companyStatuses: CompanyStatusesResource;
  readonly contacts: ContactsResource;
  readonly agreements: AgreementsResource;
  readonly additions: AdditionsResource;
  readonly catalog: CatalogResource;
  readonly boards: BoardsResource;
  readonly priorities: PrioritiesResource;
  readonly workTypes: WorkTypesResource;
  readonly tickets: TicketsResource;
  readonly ticketNotes: TicketNotesResource;
  readonly system: SystemResource;
  /** The company info (codebase, version) — discovered once, cached. */
  companyInfo(signal?: AbortSignal): Promise<CompanyInfo>;
  breakerState(): BreakerState;
  /** Milliseconds this site is still paused by CW's Retry-After. */
  pausedForMs(): number;
  /** Internal plumbing for diagnose/test-connection. */
  readonly api: Api;
  close(): Promise<void>;
}

function required(value: string | undefined, field: string, hint: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new InvalidInputError(`${field} is required: ${hint}.`, field);
  return value.trim();
}

export function createConnectWiseClient(config: ConnectWiseConfig): ConnectWiseClient {
  const site = parseSite(config.site, config);
  const companyId = required(config.companyId, 'companyId', 'the company ID from the CW login screen');
  const publicKey = required(config.publicKey, 'publicKey', "the API member's public key");
  const privateKey = required(config.privateKey, 'privateKey', "the API member's private key");
  const clientId = required(config.clientId, 'clientId', "psa-bridge's ConnectWise clientId");
  if (config.codebase !== undefined && !CODEBASE.test(config.codebase)) {
    throw new InvalidInputError(
      'codebase must look like v4_6_release/ (with the trailing slash).',
      'codebase',
    );
  }
  const basic = `Basic ${Buffer.from(`${companyId}+${publicKey}:${privateKey}`).toString('base64')}`;
  const timeouts = config.timeouts ?? {};
  const transport = new Transport({
    site,
    authorization: () => basic,
    clientId,
    accept: `application/vnd.connectwise.com+json; version=${config.apiVersion ?? '2025.8'}`,
    timeouts: {
      connectMs: timeouts.connectMs ?? 10_000,
      headersMs: timeouts.headersMs ?? 30_000,
      bodyMs: timeouts.bodyMs ?? 30_000,
      totalMs: timeouts.totalMs ?? 60_000,
    },
    ...(config.retry ? { retry: config.retry } : {}),
    ...(config.breaker ? { breaker: config.breaker } : {}),
    ...(config.maxConcurrent ? { maxConcurrent: config.maxConcurrent } : {}),
    ...(config.hooks ? { hooks: config.hooks } : {}),
    allowPrivateAddresses: config.allowPrivateAddresses ?? false,
    lookup: config.lookup,
    ca: config.ca,
  });
  const codebase = new CodebaseResolver(transport, companyId, config.codebase);
  const api = new Api(transport, codebase);
  return {
    site,
    api,
    companies: companiesResource(api),
    companyStatuses: companyStatusesResource(api),
    contacts: contactsResource(api),
    agreements: agreementsResource(api),
    additions: additionsResource(api),
    catalog: catalogResource(api),
    boards: boardsResource(api),
    priorities: prioritiesResource(api),
    workTypes: workTypesResource(api),
    tickets: ticketsResource(api),
    ticketNotes: ticketNotesResource(api),
    system: systemResource(api),
    companyInfo: (signal) => codebase.info(signal),
    breakerState: () => transport.breaker.state,
    pausedForMs: () => transport.pausedForMs,
    close: () => transport.close(),
  };
}
