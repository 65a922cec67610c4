import { Command } from 'commander';
import { commands } from './commands/index.ts';

/** Builds the `psa-bridge` program; kept apart from parsing so tests can drive it. */
export function buildProgram(): Command {
  const program = new Command('psa-bridge')
    .description('psa-bridge: email-security platform ⇄ ConnectWise PSA')
    .showHelpAfterError()
    .enablePositionalOptions();
  for (const register of commands) register(program);
  return program;
}

await buildProgram().parseAsync(process.argv);
