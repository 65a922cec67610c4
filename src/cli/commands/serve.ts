import type { Command } from 'commander';
import type { Config } from '../../config/index.ts';
import { buildApp } from '../../http/index.ts';
import { platformApi } from '../../platform/index.ts';
import { configOrExit } from './config-or-exit.ts';
import { onShutdownSignal, openService, startWorkers } from './service.ts';

interface ServeOptions {
  port?: string;
  worker: boolean;
  demo?: boolean;
}

/** What the demo module gives back: a banner to print and a close for shutdown. */
interface DemoHandle {
  banner?: string;
  close(): Promise<void>;
}

/** `--demo` forces it, `--no-demo` refuses it; otherwise DEMO=auto means "outside production". */
export function demoWanted(config: Config, flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  if (config.demo === 'auto') return !config.production;
  return config.demo === 'true';
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    // `npm start` runs `psa-bridge start`: the same service (with demo mode on a new database).
    .alias('start')
    .description(
      'run the service: HTTP API and console API, with the queue worker in-process unless --no-worker',
    )
    .option('--port <port>', 'port to listen on (default PORT, 3000)')
    .option('--no-worker', 'do not run jobs in this process (run `psa-bridge worker` beside it)')
    .option('--demo', 'seed demo data and start the simulator (never in production)')
    .option('--no-demo', 'no demo data, even on a new database')
    .action(async (opts: ServeOptions) => {
      const config = configOrExit();
      if (!config) return;
      let port = config.port;
      if (opts.port !== undefined) {
        port = Number(opts.port);
        if (!Number.isInteger(port) || port < 0 || port > 65_535) {
          console.error(`--port: expected an integer from 0 to 65535, got ${opts.port}`);
          process.exitCode = 2;
          return;
        }
      }
      const wantDemo = demoWanted(config, opts.demo);
      if (wantDemo && config.production) {
        console.error('--demo: demo mode is not allowed in production');
        process.exitCode = 2;
        return;
      }

      const service = await openService(config);
      const { logger, store, queue, secrets, queueMetrics } = service;
      const app = await buildApp({
        config,
        store,
        queue,
        queueMetrics,
        secrets,
        logger,
        plugins: [platformApi({ config, store, queue, secrets })],
      });
      let demo: DemoHandle | undefined;
      // Stop accepting and finish in-flight requests (the platform plugin drains its inbox writer),
      // then let running jobs finish or release them, then close the database.
      const close = async (graceful: boolean) => {
        await app.close();
        await queue.stop(graceful ? { graceful, timeoutMs: 25_000 } : { graceful });
        await demo?.close();
        await store.close();
      };
      // Installed before anything is announced, so a signal right after the banner is handled.
      onShutdownSignal(logger, async () => {
        await close(true);
        logger.info('stopped');
      });
      try {
        if (opts.worker) {
          const count = await startWorkers(service);
          logger.info({ jobs: count }, 'worker running in-process');
        }
        const address = await app.listen({ host: config.host, port });
        const url = new URL(address);
        // One plain line for people and for tests that start us on port 0.
        console.log(`psa-bridge listening on ${url.origin} (console ${config.publicUrl})`);
        if (wantDemo) {
          // Loaded only when wanted: it brings the simulator along. It decides by itself whether this
          // database gets seeded (new database, or --demo) or the demo resumes; its events go to the
          // address we actually listen on.
          const { startDemo } = await import('../../demo/index.ts');
          demo = await startDemo({
            config,
            store,
            secrets,
            logger,
            publicUrl: url.origin,
            ...(opts.demo === true ? { force: true } : {}),
          });
          if (demo?.banner) console.log(demo.banner);
        }
      } catch (error) {
        await close(false);
        const busy = addressInUse(error);
        if (!busy) throw error;
        // A newcomer's most likely first failure: say what to change instead of a stack trace.
        console.error(
          `${busy} is already in use: stop what is listening there, or choose another port ` +
            '(PORT or --port for the service, SIMULATOR_PORT for the demo simulator).',
        );
        process.exitCode = 1;
      }
    });
}

function addressInUse(error: unknown): string | undefined {
  const e = error as { code?: unknown; address?: unknown; port?: unknown } | null;
  if (e?.code !== 'EADDRINUSE') return undefined;
  return `${String(e.address ?? 'the address')}:${String(e.port ?? '?')}`;
}
