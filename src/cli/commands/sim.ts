import type { Command } from 'commander';
import { startSimulator } from '../../../simulator/index.ts';

export function registerSim(program: Command): void {
  program
    .command('sim')
    .description('run the ConnectWise PSA simulator (a real HTTP server) for trying and testing psa-bridge')
    .option('--port <port>', 'port to listen on (0 = any free port)', '8790')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--seed <seed>', 'demo | empty | scale:N', 'demo')
    .option('--today <date>', "the simulator's calendar day, YYYY-MM-DD (default: today, UTC)")
    .option('--tls', 'serve HTTPS with a self-signed certificate made at start', false)
    .action(async (opts: { port: string; host: string; seed: string; today?: string; tls: boolean }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        program.error(`--port must be a whole number from 0 to 65535, got '${opts.port}'`);
      }
      let sim: Awaited<ReturnType<typeof startSimulator>>;
      try {
        sim = await startSimulator({
          port,
          host: opts.host,
          seed: opts.seed,
          tls: opts.tls,
          ...(opts.today ? { today: opts.today } : {}),
        });
      } catch (err) {
        console.error(`psa-bridge sim: cannot start the simulator: ${(err as Error).message}`);
        process.exit(1);
      }
      console.log(sim.describe());
      const stop = async () => {
        await sim.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
