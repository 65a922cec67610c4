/**
 * Security roles as CW models them: per module function an Add / Edit / Delete / Inquire level.
 * Only the functions the vendor guide's "Create a Security Role" step lists are modelled; levels are
 * All or None (CW also has "My", which an API member never needs here).
 */
export type Area =
  | 'companyMaintenance' // Companies › Company Maintenance
  | 'serviceTickets' // Service Desk › Service Tickets
  | 'closeServiceTickets' // Service Desk › Close Service Tickets
  | 'tableSetup' // System › Table Setup (customised per table)
  | 'agreements' // Finance › Agreements
  | 'productCatalog'; // Procurement › Product Catalog

export type Level = 'add' | 'edit' | 'delete' | 'inquire';
export type SetupTable = 'companyStatus' | 'priority' | 'serviceBoard' | 'workType';

export interface SecurityRole {
  id: number;
  name: string;
  levels: Record<Area, Level[]>;
  /** Table Setup tables the role is customised to allow. */
  tables: SetupTable[];
}

export interface Permission {
  area: Area;
  level: Level;
  table?: SetupTable;
}

const AREA_LABELS: Record<Area, string> = {
  companyMaintenance: 'Companies › Company Maintenance',
  serviceTickets: 'Service Desk › Service Tickets',
  closeServiceTickets: 'Service Desk › Close Service Tickets',
  tableSetup: 'System › Table Setup',
  agreements: 'Finance › Agreements',
  productCatalog: 'Procurement › Product Catalog',
};

const TABLE_LABELS: Record<SetupTable, string> = {
  companyStatus: 'Company / Company Status',
  priority: 'Service / Priority',
  serviceBoard: 'Service / Service Board',
  workType: 'Time / Work Type',
};

const ALL_TABLES: SetupTable[] = ['companyStatus', 'priority', 'serviceBoard', 'workType'];

/** Exactly the role the vendor guide documents: no Delete anywhere. */
export function integrationRole(): SecurityRole {
  return {
    id: 1,
    name: 'Integration API Role',
    levels: {
      companyMaintenance: ['inquire'],
      serviceTickets: ['add', 'edit', 'inquire'],
      closeServiceTickets: ['add', 'edit', 'inquire'],
      tableSetup: ['inquire'],
      agreements: ['add', 'edit', 'inquire'],
      productCatalog: ['inquire'],
    },
    tables: [...ALL_TABLES],
  };
}

export function restrictedRole(): SecurityRole {
  const role = integrationRole();
  return {
    ...role,
    id: 2,
    name: 'Integration (no agreement writes)',
    levels: { ...role.levels, agreements: ['inquire'] },
  };
}

export function noCloseRole(): SecurityRole {
  const role = integrationRole();
  return {
    ...role,
    id: 3,
    name: 'Integration (cannot close tickets)',
    levels: { ...role.levels, closeServiceTickets: [] },
  };
}

/** Everything, Delete included: for tests and people who need the verbs the integration never uses. */
export function adminRole(): SecurityRole {
  const every: Level[] = ['add', 'edit', 'delete', 'inquire'];
  return {
    id: 4,
    name: 'Admin',
    levels: {
      companyMaintenance: every,
      serviceTickets: every,
      closeServiceTickets: every,
      tableSetup: every,
      agreements: every,
      productCatalog: every,
    },
    tables: [...ALL_TABLES],
  };
}

export function allows(role: SecurityRole, need: Permission): boolean {
  if (!role.levels[need.area].includes(need.level)) return false;
  return need.table === undefined || role.tables.includes(need.table);
}

export function describePermission(need: Permission): string {
  const level = { add: 'Add', edit: 'Edit', delete: 'Delete', inquire: 'Inquire' }[need.level];
  const table = need.table ? ` (table ${TABLE_LABELS[need.table]})` : '';
  return `${AREA_LABELS[need.area]}${table}: ${level} level`;
}
