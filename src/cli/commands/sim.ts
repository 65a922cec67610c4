import type { Command } from 'commander';
import { startSimulator } from '../../../simulator/index.ts';

export function registerSim(program: Command): void {
  program
    .command('sim')
    .description('run the ConnectWise PSA simulator (a real HTTP server) for trying and testing psa-bridge')
    .option('--port <port>', 'port to listen on', '8790')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--seed <seed>', 'demo | empty | scale:N', 'demo')
    .option('--tls', 'serve HTTPS with a self-signed certificate made at start', false)
    .action(async (opts: { port: string; host: string; seed: string; tls: boolean }) => {
      const sim = await startSimulator({ port: Number(opts.port), host: opts.host, seed: opts.seed, tls: opts.tls });
      console.log(sim.describe());
      const stop = async () => {
        await sim.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
