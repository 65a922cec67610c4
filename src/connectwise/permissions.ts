// The CW security-role settings psa-bridge needs (vendor guide, "Create a Security Role"), and which
// of them a given request exercises — so a 403 can say exactly what to change in CW.

export type PermissionId =
  | 'companies.inquire'
  | 'tickets.inquire'
  | 'tickets.add'
  | 'tickets.edit'
  | 'closeTickets'
  | 'tableSetup.companyStatus'
  | 'tableSetup.priority'
  | 'tableSetup.serviceBoard'
  | 'tableSetup.workType'
  | 'agreements.inquire'
  | 'agreements.add'
  | 'agreements.edit'
  | 'catalog.inquire';

export interface RequiredPermission {
  id: PermissionId;
  /** Module › function as CW's Security Roles screen shows it. */
  area: string;
  level: 'Add' | 'Edit' | 'Inquire' | 'Add and Edit';
  /** For System › Table Setup: the table the role must be customised to allow. */
  table?: string;
  /** What psa-bridge uses it for. */
  usedFor: string;
}

export const REQUIRED_PERMISSIONS: readonly RequiredPermission[] = [
  {
    id: 'companies.inquire',
    area: 'Companies › Company Maintenance',
    level: 'Inquire',
    usedFor: 'mapping tenants to companies',
  },
  {
    id: 'tickets.inquire',
    area: 'Service Desk › Service Tickets',
    level: 'Inquire',
    usedFor: 'finding tickets already opened',
  },
  {
    id: 'tickets.add',
    area: 'Service Desk › Service Tickets',
    level: 'Add',
    usedFor: 'opening tickets and adding notes',
  },
  { id: 'tickets.edit', area: 'Service Desk › Service Tickets', level: 'Edit', usedFor: 'updating tickets' },
  {
    id: 'closeTickets',
    area: 'Service Desk › Close Service Tickets',
    level: 'Add and Edit',
    usedFor: 'closing resolved tickets',
  },
  {
    id: 'tableSetup.companyStatus',
    area: 'System › Table Setup',
    level: 'Inquire',
    table: 'Company / Company Status',
    usedFor: 'skipping inactive companies',
  },
  {
    id: 'tableSetup.priority',
    area: 'System › Table Setup',
    level: 'Inquire',
    table: 'Service / Priority',
    usedFor: 'ticket routing',
  },
  {
    id: 'tableSetup.serviceBoard',
    area: 'System › Table Setup',
    level: 'Inquire',
    table: 'Service / Service Board',
    usedFor: 'ticket routing (boards, statuses, types)',
  },
  {
    id: 'tableSetup.workType',
    area: 'System › Table Setup',
    level: 'Inquire',
    table: 'Time / Work Type',
    usedFor: 'ticket routing',
  },
  {
    id: 'agreements.inquire',
    area: 'Finance › Agreements',
    level: 'Inquire',
    usedFor: 'reading agreements and additions',
  },
  {
    id: 'agreements.add',
    area: 'Finance › Agreements',
    level: 'Add',
    usedFor: 'posting usage as agreement additions',
  },
  {
    id: 'agreements.edit',
    area: 'Finance › Agreements',
    level: 'Edit',
    usedFor: 'updating and cancelling additions',
  },
  {
    id: 'catalog.inquire',
    area: 'Procurement › Product Catalog',
    level: 'Inquire',
    usedFor: 'mapping SKUs to products',
  },
];

export function permission(id: PermissionId): RequiredPermission {
  return REQUIRED_PERMISSIONS.find((p) => p.id === id)!;
}

/** "Finance › Agreements: Add" or "System › Table Setup (Service / Priority): Inquire". */
export function permissionLabel(p: RequiredPermission): string {
  return `${p.area}${p.table ? ` (${p.table})` : ''}: ${p.level}`;
}

/** Where an admin fixes it in CW. */
export function permissionFix(p: RequiredPermission): string {
  const level = `${p.level} Level = All`;
  const table = p.table ? ` (customise and enable ${p.table})` : '';
  return `System › Security Roles › (the API member's role) › ${p.area} › ${level}${table}`;
}

const LEVEL_BY_METHOD: Record<string, 'inquire' | 'add' | 'edit'> = {
  GET: 'inquire',
  POST: 'add',
  PUT: 'edit',
  PATCH: 'edit',
};

/**
 * The permission a request most likely needed when CW answered 403; undefined when we cannot tell.
 * CW's message wins when it names an area (closing a ticket is a PATCH but needs Close Service Tickets).
 */
export function permissionForRequest(
  method: string,
  path: string,
  cwMessage?: string,
): RequiredPermission | undefined {
  if (cwMessage?.includes('Close Service Tickets')) return permission('closeTickets');
  const level = LEVEL_BY_METHOD[method.toUpperCase()];
  const p = path.toLowerCase().split('?')[0]!;
  if (!level) return undefined;
  const pick = (prefix: string): RequiredPermission | undefined =>
    REQUIRED_PERMISSIONS.find((r) => r.id === `${prefix}.${level}`);
  if (p.startsWith('/company/companies/statuses')) return permission('tableSetup.companyStatus');
  if (p.startsWith('/company/')) return level === 'inquire' ? permission('companies.inquire') : undefined;
  if (p.startsWith('/service/tickets')) {
    if (p.endsWith('/search')) return permission('tickets.inquire');
    return pick('tickets');
  }
  if (p.startsWith('/service/boards')) return permission('tableSetup.serviceBoard');
  if (p.startsWith('/service/priorities')) return permission('tableSetup.priority');
  if (p.startsWith('/time/worktypes')) return permission('tableSetup.workType');
  if (p.startsWith('/finance/agreements')) return pick('agreements');
  if (p.startsWith('/procurement/catalog'))
    return level === 'inquire' ? permission('catalog.inquire') : undefined;
  return undefined;
}
