import type { RunningSimulator } from '../../simulator/index.ts';
import { DEMO_TENANTS } from './plan.ts';
import { DEMO_LOGINS, DEMO_PARTNER_NAME } from './seed.ts';

export interface BannerFacts {
  consoleUrl: string;
  partnerId: string;
  seededNow: boolean;
  trickleIntervalMs: number;
  serviceUrl: string;
  platformToken: string;
  /** The running simulator; without one, `simulatorProblem` says why (or it was disabled). */
  simulator: Pick<RunningSimulator, 'url' | 'credentials'> | undefined;
  simulatorProblem: string | undefined;
}

/** What `serve` prints in demo mode: everything a newcomer needs to log in and walk the wizard. */
export function demoBanner(facts: BannerFacts): string {
  const { simulator } = facts;
  return [
    '',
    'psa-bridge demo mode (never in production; DEMO=false turns it off)',
    `  Console       ${facts.consoleUrl}/`,
    `  MSP admin     ${DEMO_LOGINS.admin.email} / ${DEMO_LOGINS.admin.password}`,
    `  Tenant user   ${DEMO_LOGINS.tenantUser.email} / ${DEMO_LOGINS.tenantUser.password}  (sees nothing of the integration)`,
    `  Demo data     partner "${DEMO_PARTNER_NAME}" (${facts.partnerId}), ${DEMO_TENANTS.length} tenants, 90 days of usage` +
      (facts.seededNow ? ' — seeded now' : ' — seeded earlier'),
    `  Events        a signed event every ${Math.round(facts.trickleIntervalMs / 1000)} s to ${facts.serviceUrl}/api/v1/platform/events`,
    `  Platform API  Authorization: Bearer ${facts.platformToken}   (docs/platform-api.md)`,
    simulator
      ? [
          '  Sandbox (wizard step 1 — Connection):',
          `    Site URL    ${simulator.url.replace(/^https?:\/\//, '')}   (${simulator.url})`,
          `    Company ID  ${simulator.credentials.companyId}`,
          `    Public key  ${simulator.credentials.publicKey}`,
          `    Private key ${simulator.credentials.privateKey}`,
        ].join('\n')
      : `  Sandbox       not running: ${facts.simulatorProblem ?? 'disabled'}`,
    '',
  ].join('\n');
}
