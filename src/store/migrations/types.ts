import type { Kysely } from 'kysely';

/** A migration that may need to know the dialect (triggers, functions); most DDL is portable Kysely. */
export interface StoreMigration {
  up(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres'): Promise<void>;
}
