import { initial } from './0001_initial.ts';
import { queue } from './0002_queue.ts';
import type { StoreMigration } from './types.ts';

export type { StoreMigration } from './types.ts';

/**
 * Every migration, in order. Add yours as `NNNN_<area>.ts` and one line here; names sort as applied,
 * and an applied migration is never edited (write a new one).
 */
export const migrations: ReadonlyArray<readonly [name: string, migration: StoreMigration]> = [
  ['0001_initial', initial],
  ['0002_queue', queue],
];
