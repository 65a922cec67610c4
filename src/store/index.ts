export type { StoreMigration } from './migrations/index.ts';
export * from './repositories/index.ts';
export { lockSecrets, SECRETS_LOCK_KEY } from './secrets-lock.ts';
export type { SqliteSynchronous } from './sqlite.ts';
export { createStore, MigrationError, type Store, type StoreOptions } from './store.ts';
export * from './types.ts';
export { bool, fromJson, isTrue, last4, newId, now, toJson } from './values.ts';
