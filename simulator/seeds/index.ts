import { badRequest } from '../errors.ts';
import type { RequestLog } from '../request-log.ts';
import { emptyState } from '../state.ts';
import type { SimState } from '../types.ts';
import { seedCatalog } from './catalog.ts';
import { seedDemo } from './demo.ts';
import { seedMembers } from './members.ts';
import { seedScale } from './scale.ts';
import { seedBoards, seedCompanyStatuses, seedPriorities, seedWorkTypes } from './setup.ts';

const MAX_SCALE = 1_000_000;

/** Checks a seed name: `demo`, `empty` or `scale:N` (1 ≤ N ≤ 1,000,000). Returns an error text or undefined. */
export function seedProblem(seed: string): string | undefined {
  if (seed === 'demo' || seed === 'empty') return undefined;
  const m = /^scale:(\d+)$/.exec(seed);
  if (m && Number(m[1]) >= 1 && Number(m[1]) <= MAX_SCALE) return undefined;
  return `Unknown seed '${seed}': expected demo, empty or scale:N with 1 ≤ N ≤ ${MAX_SCALE}.`;
}

/**
 * Builds a fresh state. Every seed has the login company, the API members and the setup tables
 * (statuses, boards, priorities, work types, catalog), so a client can always connect; `empty` has
 * no companies, agreements or tickets.
 */
export function buildState(seed: string, today: string, log?: RequestLog): SimState {
  const problem = seedProblem(seed);
  if (problem) throw badRequest(problem);
  const state = emptyState(seed, today, log);
  state.members = seedMembers();
  seedCompanyStatuses(state);
  seedBoards(state);
  seedPriorities(state);
  seedWorkTypes(state);
  seedCatalog(state);
  if (seed === 'demo') seedDemo(state);
  else if (seed.startsWith('scale:')) seedScale(state, Number(seed.slice('scale:'.length)));
  return state;
}
