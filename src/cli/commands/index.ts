import type { Command } from 'commander';
import { registerSim } from './sim.ts';

/** Every subcommand registers itself here; one line per command module. */
export const commands: Array<(program: Command) => void> = [registerSim];
