// Demo mode (DESIGN §5): on a new database outside production, `serve` seeds a demo partner with an
// admin and a tenant user, ~20 tenants, 90 days of usage, starts the ConnectWise simulator with its
// `demo` seed and keeps a trickle of signed events flowing through the real ingest route, so a newcomer
// can walk the wizard and watch tickets appear. A later start on the same database seeds nothing again
// (the demo partner is found by its marker); it re-issues the demo's platform token and carries on.
import { request } from 'undici';
import { startSimulator } from '../../simulator/index.ts';
import { hashPassword, usersRepository } from '../auth/index.ts';
import type { Config } from '../config/index.ts';
import {
  addWebhookSecret,
  issuePlatformToken,
  recordUsage,
  signWebhook,
  upsertTenant,
} from '../platform/index.ts';
import { createSecretBox, loadKeyring, type SecretBox } from '../secrets/index.ts';
import { newId, now, SEALED_FIELDS, type Store } from '../store/index.ts';
import { DemoEventSource } from './events.ts';
import { DEMO_TENANTS, usageHistory } from './plan.ts';

export { DemoEventSource } from './events.ts';
export { DEMO_SKUS, DEMO_TENANTS, type DemoTenant, usageHistory } from './plan.ts';

export const DEMO_PARTNER_NAME = 'Demo MSP';
const DEMO_MARKER = '{"demo":true}';
export const DEMO_LOGINS = {
  admin: { email: 'admin@demo-msp.example', password: 'demo-admin-pass', role: 'msp_admin' as const },
  tenantUser: {
    email: 'it@acmelogistics.example',
    password: 'demo-tenant-pass',
    role: 'tenant_user' as const,
    tenantId: 't-acme',
  },
};

interface DemoLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

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

async function findDemoPartner(store: Store): Promise<string | undefined> {
  const row = await store.db
    .selectFrom('partners')
    .select('id')
    .where('name', '=', DEMO_PARTNER_NAME)
    .where('settings', '=', DEMO_MARKER)
    .executeTakeFirst();
  return row?.id;
}

async function seed(store: Store, box: SecretBox): Promise<string> {
  const partnerId = newId();
  const [adminHash, tenantHash] = await Promise.all([
    hashPassword(DEMO_LOGINS.admin.password),
    hashPassword(DEMO_LOGINS.tenantUser.password),
  ]);
  const today = new Date().toISOString().slice(0, 10);
  await store.writeTransaction(async (tx) => {
    const at = now();
    await tx
      .insertInto('partners')
      .values({
        id: partnerId,
        name: DEMO_PARTNER_NAME,
        time_zone: 'America/New_York',
        settings: DEMO_MARKER,
        created_at: at,
        updated_at: at,
      })
      .execute();
    for (const t of DEMO_TENANTS) {
      await upsertTenant(
        tx,
        partnerId,
        t.tenantId,
        { name: t.name, domains: t.domains, status: t.status },
        at,
      );
    }
    for (const day of usageHistory(DEMO_TENANTS, today)) await recordUsage(tx, partnerId, day, at);
    const users = usersRepository(tx);
    await users.create({
      partnerId,
      email: DEMO_LOGINS.admin.email,
      passwordHash: adminHash,
      role: 'msp_admin',
    });
    await users.create({
      partnerId,
      email: DEMO_LOGINS.tenantUser.email,
      passwordHash: tenantHash,
      role: 'tenant_user',
      tenantId: DEMO_LOGINS.tenantUser.tenantId,
    });
    await addWebhookSecret(tx, box, partnerId);
  });
  return partnerId;
}

async function webhookSecretOf(store: Store, box: SecretBox, partnerId: string): Promise<string> {
  const row = await store.db
    .selectFrom('webhook_secrets')
    .select('secret_ciphertext')
    .where('partner_id', '=', partnerId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  if (row) return box.open(row.secret_ciphertext, { partnerId, field: SEALED_FIELDS.webhookSecret });
  return (await store.writeTransaction((tx) => addWebhookSecret(tx, box, partnerId))).secret;
}

/**
 * For `serve`: runs the demo when the configuration and the database call for it, else resolves
 * undefined. Call it once the HTTP service listens (the trickle posts to it). Never in production.
 */
export async function maybeStartDemo(options: DemoOptions): Promise<DemoHandle | undefined> {
  const { config, store, logger } = options;
  const existing = await findDemoPartner(store);
  const partners = await store.db
    .selectFrom('partners')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const decision = demoDecision({
    demo: config.demo,
    production: config.production,
    demoPartnerExists: existing !== undefined,
    partnerCount: Number(partners.n),
    force: options.force === true,
  });
  if (decision === 'off') return undefined;

  const box = options.secrets ?? createSecretBox(loadKeyring(config));
  const partnerId = existing ?? (await seed(store, box));
  const platformToken = await issuePlatformToken(store.db, partnerId);
  const secret = await webhookSecretOf(store, box, partnerId);

  let simulator: Awaited<ReturnType<typeof startSimulator>> | undefined;
  let simulatorProblem: string | undefined;
  if (options.simulator !== false) {
    try {
      simulator = await startSimulator({
        port: config.simulatorPort,
        host: '127.0.0.1',
        seed: 'demo',
        quiet: true,
      });
    } catch (error) {
      simulatorProblem = error instanceof Error ? error.message : String(error);
      logger.warn(
        { port: config.simulatorPort, error: simulatorProblem },
        'demo: the simulator did not start',
      );
    }
  }

  const serviceUrl = (options.serviceUrl ?? config.publicUrl).replace(/\/+$/, '');
  const source = new DemoEventSource(DEMO_TENANTS);
  let sent = 0;
  let stopped = false;
  /** Signs and posts one event; false when the service could not be reached at all. */
  const post = async (event: object, id = `demo_${newId()}`): Promise<boolean> => {
    const body = JSON.stringify(event);
    const ts = Math.floor(Date.now() / 1000);
    try {
      const res = await request(`${serviceUrl}/api/v1/platform/events`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${platformToken}`,
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(ts),
          'webhook-signature': signWebhook(secret, id, ts, body),
        },
        body,
      });
      await res.body.dump();
      if (res.statusCode === 202) sent += 1;
      else logger.warn({ status: res.statusCode }, 'demo: an event was refused');
      return true;
    } catch (error) {
      logger.warn(
        { error: error instanceof Error ? error.message : String(error) },
        'demo: could not send an event',
      );
      return false;
    }
  };
  const timers: NodeJS.Timeout[] = [];
  const interval = options.trickleIntervalMs ?? 20_000;
  const firstBurst = setTimeout(async () => {
    for (const event of source.burst()) {
      // The service may still be starting: retry the first events (same webhook-id, so a delivery that
      // did arrive is not stored twice) for up to ~30 s.
      const id = `demo_${newId()}`;
      for (let attempt = 0; attempt < 60 && !stopped && !(await post(event, id)); attempt++) {
        await new Promise((r) => setTimeout(r, 500));
      }
      if (stopped) return;
    }
    if (interval > 0 && !stopped) {
      const tick = setInterval(() => void post(source.next()), interval);
      tick.unref();
      timers.push(tick);
    }
  }, options.firstBurstDelayMs ?? 1000);
  firstBurst.unref();
  timers.push(firstBurst);

  logger.info({ partnerId, seeded: decision === 'seed' }, 'demo mode on');
  const describe = () =>
    [
      '',
      'psa-bridge demo mode (never in production; DEMO=false turns it off)',
      `  Console       ${config.publicUrl}/`,
      `  MSP admin     ${DEMO_LOGINS.admin.email} / ${DEMO_LOGINS.admin.password}`,
      `  Tenant user   ${DEMO_LOGINS.tenantUser.email} / ${DEMO_LOGINS.tenantUser.password}  (sees nothing of the integration)`,
      `  Demo data     partner "${DEMO_PARTNER_NAME}" (${partnerId}), ${DEMO_TENANTS.length} tenants, 90 days of usage` +
        (decision === 'seed' ? ' — seeded now' : ' — seeded earlier'),
      `  Events        a signed event every ${Math.round(interval / 1000)} s to ${serviceUrl}/api/v1/platform/events`,
      `  Platform API  Authorization: Bearer ${platformToken}   (docs/platform-api.md)`,
      simulator
        ? [
            '  Sandbox (wizard step 1 — Connection):',
            `    Site URL    ${simulator.url.replace(/^https?:\/\//, '')}   (${simulator.url})`,
            `    Company ID  ${simulator.credentials.companyId}`,
            `    Public key  ${simulator.credentials.publicKey}`,
            `    Private key ${simulator.credentials.privateKey}`,
          ].join('\n')
        : `  Sandbox       not running: ${simulatorProblem ?? 'disabled'}`,
      '',
    ].join('\n');

  return {
    partnerId,
    seeded: decision === 'seed',
    platformToken,
    simulatorUrl: simulator?.url,
    eventsSent: () => sent,
    describe,
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
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
