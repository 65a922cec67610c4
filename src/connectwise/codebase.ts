// Codebase discovery: `GET /login/companyinfo/{companyId}` tells which release path (`v4_6_release/`,
// `v2025_1/`, …) the company's API lives under. Cached per client; refreshed once when CW answers 404
// (a hosted upgrade moves the codebase).
import { z } from 'zod';
import {
  ConnectWiseError,
  NotConnectWiseError,
  NotFoundError,
  UnexpectedResponseError,
  UnknownCompanyError,
} from './errors.ts';
import type { Transport } from './transport.ts';

export interface CompanyInfo {
  companyName: string;
  companyId: string;
  /** With its trailing slash, e.g. `v4_6_release/`. */
  codebase: string;
  versionCode?: string | undefined;
  versionNumber?: string | undefined;
  isCloud?: boolean | undefined;
  siteUrl?: string | undefined;
}

/** A release path as CW names it, with its trailing slash (`v4_6_release/`, `v2025_1/`). */
export const CODEBASE = /^[A-Za-z0-9_.-]+\/$/;

const companyInfoSchema = z.looseObject({
  CompanyName: z.string(),
  Codebase: z.string().regex(CODEBASE),
  VersionCode: z.string().nullish(),
  VersionNumber: z.string().nullish(),
  CompanyID: z.string().nullish(),
  IsCloud: z.union([z.boolean(), z.string()]).nullish(),
  SiteUrl: z.string().nullish(),
});

export async function fetchCompanyInfo(
  transport: Transport,
  companyId: string,
  signal?: AbortSignal,
): Promise<CompanyInfo> {
  let body: unknown;
  try {
    const reply = await transport.send({
      method: 'GET',
      urlPath: `/login/companyinfo/${encodeURIComponent(companyId)}`,
      displayPath: '/login/companyinfo',
      headers: { accept: 'application/json' },
      authenticated: false,
      ...(signal ? { signal } : {}),
    });
    body = reply.body;
  } catch (err) {
    if (err instanceof NotFoundError) {
      throw new NotConnectWiseError(
        `${transport.site.hostname} has no ConnectWise login endpoint: check the site address.`,
        { status: 404, path: '/login/companyinfo' },
      );
    }
    throw err;
  }
  if (body === undefined || body === null || body === '') {
    throw new UnknownCompanyError(
      `ConnectWise at ${transport.site.hostname} does not know the company ID "${companyId}". Use the ` +
        'company ID you type on the ConnectWise login screen (not the company name).',
      { path: '/login/companyinfo' },
    );
  }
  const parsed = companyInfoSchema.safeParse(body);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') || 'body';
    throw new UnexpectedResponseError(
      `The site's company info is not what ConnectWise sends (field ${field}); check the site address.`,
      { path: '/login/companyinfo' },
    );
  }
  const info = parsed.data;
  return {
    companyName: info.CompanyName,
    companyId: info.CompanyID ?? companyId,
    codebase: info.Codebase,
    versionCode: info.VersionCode ?? undefined,
    versionNumber: info.VersionNumber ?? undefined,
    isCloud:
      typeof info.IsCloud === 'string' ? info.IsCloud.toLowerCase() === 'true' : (info.IsCloud ?? undefined),
    siteUrl: info.SiteUrl ?? undefined,
  };
}

/** Holds the discovered codebase; concurrent callers share one lookup. */
export class CodebaseResolver {
  private readonly transport: Transport;
  private readonly companyId: string;
  private current: Promise<CompanyInfo> | undefined;
  private readonly fixed: string | undefined;

  constructor(transport: Transport, companyId: string, fixedCodebase?: string) {
    this.transport = transport;
    this.companyId = companyId;
    this.fixed = fixedCodebase;
  }

  async codebase(signal?: AbortSignal): Promise<string> {
    if (this.fixed) return this.fixed;
    return (await this.info(signal)).codebase;
  }

  info(signal?: AbortSignal): Promise<CompanyInfo> {
    if (!this.current) {
      const lookup = fetchCompanyInfo(this.transport, this.companyId, signal);
      this.current = lookup;
      // A failed lookup is not cached: the next call asks again.
      lookup.catch(() => {
        if (this.current === lookup) this.current = undefined;
      });
    }
    return this.current;
  }

  /** Looks the codebase up again; true when it changed (so a 404 is worth one retry). */
  async rediscover(signal?: AbortSignal): Promise<boolean> {
    if (this.fixed) return false;
    const before = this.current ? await this.current.catch(() => undefined) : undefined;
    this.current = undefined;
    try {
      const after = await this.info(signal);
      return before?.codebase !== after.codebase;
    } catch (err) {
      if (err instanceof ConnectWiseError) return false;
      throw err;
    }
  }
}
