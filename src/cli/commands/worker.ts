import type { Command } from 'commander';
import { configOrExit } from './config-or-exit.ts';
import { onShutdownSignal, openService, startWorkers } from './service.ts';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run queue workers only (no HTTP): scale out with several beside `serve --no-worker`')
    .action(async () => {
      const config = configOrExit();
      if (!config) return;
      const service = await openService(config);
      const { logger, queue, store } = service;
      onShutdownSignal(logger, async () => {
        await queue.stop({ graceful: true, timeoutMs: 25_000 });
        await store.close();
        logger.info('stopped');
      });
      const count = await startWorkers(service);
      logger.info({ jobs: count }, 'worker running');
      console.log(`psa-bridge worker running (${count} job kind${count === 1 ? '' : 's'})`);
    });
}
