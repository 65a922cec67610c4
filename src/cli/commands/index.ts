import type { Command } from 'commander';
import { registerKeys } from './keys.ts';
import { registerMigrate } from './migrate.ts';
import { registerPartners } from './partners.ts';
import { registerServe } from './serve.ts';
import { registerSim } from './sim.ts';
import { registerUsers } from './users.ts';
import { registerWorker } from './worker.ts';

/** Every subcommand registers itself here; one line per command module. */
export const commands: Array<(program: Command) => void> = [
  registerMigrate,
  registerKeys,
  registerSim,
  registerPartners,
  registerUsers,
  registerServe,
  registerWorker,
];
