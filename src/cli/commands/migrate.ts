import type { Command } from 'commander';
import { createStore } from '../../store/index.ts';
import { configOrExit } from './config-or-exit.ts';

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
