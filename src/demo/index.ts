// Demo mode (DESIGN §5): on a new database outside production, `serve` seeds a demo partner with an
// admin and a tenant user, ~20 tenants, 90 days of usage, starts the ConnectWise simulator with its
// `demo` seed and keeps a trickle of signed events flowing through the real ingest route, so a newcomer
// can walk the wizard and watch tickets appear. A later start on the same database seeds nothing again
// (the demo partner is found by its marker); it re-issues the demo's platform token and carries on.
import { type RunningSimulator, startSimulator } from '../../simulator/index.ts';
import type { Config } from '../config/index.ts';
import { issuePlatformToken } from '../platform/index.ts';
import { createSecretBox, followKeyring, type SecretBox } from '../secrets/index.ts';
import type { Store } from '../store/index.ts';
import { demoBanner } from './banner.ts';
import { countPartners, findDemoPartner, seedDemo, webhookSecretOf } from './seed.ts';
import { type DemoLogger, startEventTrickle } from './trickle.ts';

export { DemoEventSource } from './events.ts';
export { DEMO_SKUS, DEMO_TENANTS, type DemoTenant, usageHistory } from './plan.ts';
export { DEMO_LOGINS, DEMO_PARTNER_NAME } from './seed.ts';

export interface DemoOptions {
  config: Config;
  store: Store;
  logger: DemoLogger;
  /** Seals the demo's webhook secret; default: the keyring from the configuration. */
  secrets?: SecretBox;
  /** Where the service answers, for the signed event trickle; default `config.publicUrl`. */
  serviceUrl?: string;
  /** Gap between trickled events; default 20 s. 0 sends only the first burst. */
  trickleIntervalMs?: number;
  /** Start the simulator on 127.0.0.1:SIMULATOR_PORT (default true). */
  simulator?: boolean;
  /** Wait before the first burst, so the service is listening (default 1 s; it is retried while not). */
  firstBurstDelayMs?: number;
  /** `serve --demo`: seed even when the database already has (other) partners. */
  force?: boolean;
}

export interface DemoHandle {
  partnerId: string;
  /** True when this start seeded the database (false on a later start). */
  seeded: boolean;
  /** The platform token issued at this start (printed, so a person can call the API too). */
  platformToken: string;
  simulatorUrl: string | undefined;
  /** Events the trickle got a 202 for, so far. */
  eventsSent(): number;
  describe(): string;
  stop(): Promise<void>;
}

/** Pure: whether this start runs the demo, and whether it seeds. */
export function demoDecision(input: {
  demo: Config['demo'];
  production: boolean;
  demoPartnerExists: boolean;
  partnerCount: number;
  force?: boolean;
}): 'off' | 'seed' | 'resume' {
  if (input.production || (input.demo === 'false' && !input.force)) return 'off';
  if (input.demoPartnerExists) return 'resume';
  if (input.force || input.demo === 'true' || input.partnerCount === 0) return 'seed';
  return 'off';
}

/** A simulator that cannot start (its port is taken, say) leaves the demo running without a sandbox. */
async function startDemoSimulator(
  config: Config,
  logger: DemoLogger,
): Promise<{ simulator?: RunningSimulator; problem?: string }> {
  try {
    return {
      simulator: await startSimulator({
        port: config.simulatorPort,
        host: '127.0.0.1',
        seed: 'demo',
        quiet: true,
      }),
    };
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    logger.warn({ port: config.simulatorPort, error: problem }, 'demo: the simulator did not start');
    return { problem };
  }
}

/**
 * For `serve`: runs the demo when the configuration and the database call for it, else resolves
 * undefined. Call it once the HTTP service listens (the trickle posts to it). Never in production.
 */
export async function maybeStartDemo(options: DemoOptions): Promise<DemoHandle | undefined> {
  const { config, store, logger } = options;
  const existing = await findDemoPartner(store);
  const decision = demoDecision({
    demo: config.demo,
    production: config.production,
    demoPartnerExists: existing !== undefined,
    partnerCount: await countPartners(store),
    force: options.force === true,
  });
  if (decision === 'off') return undefined;

  const box = options.secrets ?? createSecretBox(followKeyring(config));
  const partnerId = existing ?? (await seedDemo(store, box));
  const platformToken = await issuePlatformToken(store.db, partnerId);
  const secret = await webhookSecretOf(store, box, partnerId);
  const { simulator, problem } = options.simulator === false ? {} : await startDemoSimulator(config, logger);

  const serviceUrl = (options.serviceUrl ?? config.publicUrl).replace(/\/+$/, '');
  const interval = options.trickleIntervalMs ?? 20_000;
  const trickle = startEventTrickle({
    serviceUrl,
    platformToken,
    secret,
    logger,
    intervalMs: interval,
    firstBurstDelayMs: options.firstBurstDelayMs ?? 1000,
  });

  logger.info({ partnerId, seeded: decision === 'seed' }, 'demo mode on');
  return {
    partnerId,
    seeded: decision === 'seed',
    platformToken,
    simulatorUrl: simulator?.url,
    eventsSent: () => trickle.sent(),
    describe: () =>
      demoBanner({
        consoleUrl: config.publicUrl,
        partnerId,
        seededNow: decision === 'seed',
        trickleIntervalMs: interval,
        serviceUrl,
        platformToken,
        simulator,
        simulatorProblem: problem,
      }),
    async stop() {
      trickle.stop();
      await simulator?.close();
    },
  };
}

/** The shape `psa-bridge serve` loads (src/cli/commands/serve.ts): a banner to print and a close. */
export async function startDemo(context: {
  config: Config;
  store: Store;
  logger: DemoLogger;
  secrets?: SecretBox;
  publicUrl?: string;
  force?: boolean;
}): Promise<{ banner: string; close(): Promise<void> } | undefined> {
  const options: DemoOptions = { config: context.config, store: context.store, logger: context.logger };
  if (context.secrets) options.secrets = context.secrets;
  if (context.publicUrl) options.serviceUrl = context.publicUrl;
  if (context.force) options.force = true;
  const handle = await maybeStartDemo(options);
  return handle && { banner: handle.describe(), close: () => handle.stop() };
}
