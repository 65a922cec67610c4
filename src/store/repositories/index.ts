export * from './audit.ts';
export * from './cases.ts';
export * from './cw-connections.ts';
export * from './ledger.ts';
export * from './mappings.ts';
export * from './partners.ts';
export * from './sync-runs.ts';
export * from './ticket-routes.ts';
