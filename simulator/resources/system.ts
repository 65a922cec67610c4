import type { Route } from '../router.ts';
import type { SimState } from '../types.ts';

/** The PSA version the simulator claims to be (cloud-style codebase `v2025_1/`). */
export const VERSION = { code: 'v2025.1', number: 'v4.6.90417', cloudCodebase: 'v2025_1/' };
export const CODEBASES = ['v4_6_release/', VERSION.cloudCodebase];

/** `GET /system/info`: any authenticated member may read it. */
export function systemRoutes(): Route[] {
  return [
    {
      method: 'GET',
      pattern: 'system/info',
      permission: null,
      handle: () => ({
        status: 200,
        body: {
          version: `${VERSION.code}.90417`,
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
    Codebase: VERSION.cloudCodebase,
    VersionCode: VERSION.code,
    VersionNumber: VERSION.number,
    CompanyID: state.loginCompany.companyId,
    IsCloud: true,
    SiteUrl: siteUrl,
  };
}
