import type { Command } from 'commander';
import { type Config, ConfigError, loadConfig } from '../../config/index.ts';
import { createStore } from '../../store/index.ts';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (also done at every start); safe to run again')
    .action(async () => {
      const config = configOrExit();
      if (!config) return;
      const store = createStore(config);
      try {
        const applied = await store.migrate();
        const where = config.database.dialect === 'sqlite' ? config.database.sqlitePath : 'postgres';
        console.log(
          applied.length === 0
            ? `database ${where} is up to date`
            : `applied ${applied.length} migration(s) to ${where}: ${applied.join(', ')}`,
        );
      } finally {
        await store.close();
      }
    });
}

/** Loads the configuration, or prints every problem and sets exit code 2 (no stack trace for a typo). */
export function configOrExit(): Config | undefined {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exitCode = 2;
    return undefined;
  }
}
