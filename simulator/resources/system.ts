import type { Route } from '../router.ts';
import type { SimState } from '../types.ts';

/** The PSA version the simulator claims to be at start (cloud-style codebase `v2025_1/`). */
export const VERSION = { code: 'v2025.1', number: 'v4.6.90417', cloudCodebase: 'v2025_1/' };
/** Codebases served at start; see servesCodebase for after an upgrade. */
export const CODEBASES = ['v4_6_release/', VERSION.cloudCodebase];
/** The release codebase stays served across upgrades (CW keeps `v4_6_release/` as an alias). */
const RELEASE_CODEBASE = 'v4_6_release/';
const CODEBASE = /^v[0-9][A-Za-z0-9_.]*\/$/;

/** Whether the API answers under `codebase` (e.g. `v2025_1/`; matched without case). */
export function servesCodebase(state: SimState, codebase: string): boolean {
  const c = codebase.toLowerCase();
  return c === RELEASE_CODEBASE || c === state.codebase.path.toLowerCase();
}

/**
 * A hosted upgrade: companyinfo announces `codebase` from now on and the API moves there; the old
 * cloud codebase answers 404. `versionCode` defaults to the codebase's own (`v2026_1/` → `v2026.1`).
 * Returns an error text for a codebase that is not `v…/`.
 */
export function upgradeCodebase(state: SimState, codebase: string, versionCode?: string): string | undefined {
  const path = codebase.endsWith('/') ? codebase : `${codebase}/`;
  if (!CODEBASE.test(path) || path.toLowerCase() === RELEASE_CODEBASE) {
    return `codebase must look like 'v2026_1/' (and not be ${RELEASE_CODEBASE}), got '${codebase}'.`;
  }
  state.codebase = { path, versionCode: versionCode ?? path.slice(0, -1).replace(/_/g, '.') };
  return undefined;
}

/** `GET /system/info`: any authenticated member may read it. */
export function systemRoutes(): Route[] {
  return [
    {
      method: 'GET',
      pattern: 'system/info',
      permission: null,
      handle: (ctx) => ({
        status: 200,
        body: {
          version: `${ctx.state.codebase.versionCode}.90417`,
          isCloud: true,
          serverTimeZone: 'Eastern Standard Time',
          licenseBits: [{ name: 'ServiceDesk', activeFlag: true }],
          cloudRegion: 'NA',
        },
      }),
    },
  ];
}

/**
 * `GET /login/companyinfo/{companyId}`: unauthenticated, PascalCase. An unknown company gets a
 * body of `null` (the official C# sample treats "null" as "company not found").
 */
export function companyInfo(state: SimState, companyId: string, siteUrl: string): unknown {
  if (companyId.toLowerCase() !== state.loginCompany.companyId.toLowerCase()) return null;
  return {
    CompanyName: state.loginCompany.name,
    Codebase: state.codebase.path,
    VersionCode: state.codebase.versionCode,
    VersionNumber: VERSION.number,
    CompanyID: state.loginCompany.companyId,
    IsCloud: true,
    SiteUrl: siteUrl,
  };
}
