// "Test Connection" in the setup wizard: reach the site, discover the codebase, authenticate, and say
// precisely what is wrong when something is. Never throws for a CW-side problem; returns a result.
import { type ConnectWiseClient, type ConnectWiseConfig, createConnectWiseClient } from './client.ts';
import { ConnectWiseError, InvalidInputError } from './errors.ts';

export type ConnectionField = 'site' | 'companyId' | 'publicKey' | 'privateKey' | 'clientId' | 'credentials';

export type TestConnectionResult =
  | {
      ok: true;
      /** The origin actually used (cloud UI hosts are turned into their api- host). */
      site: string;
      companyName: string;
      codebase: string;
      /** `/system/info` version, e.g. `v2025.1.12345`. */
      version: string;
      isCloud: boolean | undefined;
      /** Time of the authenticated `/system/info` round trip. */
      roundTripMs: number;
    }
  | { ok: false; code: string; message: string; field: ConnectionField | undefined };

const FIELD_BY_CODE: Record<string, ConnectionField> = {
  CW_SITE_NOT_ALLOWED: 'site',
  CW_NOT_CONNECTWISE: 'site',
  CW_TLS: 'site',
  CW_NETWORK: 'site',
  CW_TIMEOUT: 'site',
  CW_UNKNOWN_COMPANY: 'companyId',
  CW_AUTH: 'credentials',
};

export function connectionFailure(err: unknown): Extract<TestConnectionResult, { ok: false }> {
  if (err instanceof InvalidInputError) {
    const field = (['site', 'companyId', 'publicKey', 'privateKey', 'clientId'] as const).find(
      (f) => f === err.field,
    );
    return { ok: false, code: err.code, message: err.message, field };
  }
  if (err instanceof ConnectWiseError) {
    return { ok: false, code: err.code, message: err.message, field: FIELD_BY_CODE[err.code] };
  }
  return {
    ok: false,
    code: 'CW_ERROR',
    message: 'The connection test failed unexpectedly.',
    field: undefined,
  };
}

/** Runs the test on an existing client. */
export async function testClientConnection(
  client: ConnectWiseClient,
  signal?: AbortSignal,
): Promise<TestConnectionResult> {
  try {
    const info = await client.companyInfo(signal);
    const started = performance.now();
    const system = await client.system.info(signal ? { signal } : {});
    const roundTripMs = Math.round((performance.now() - started) * 10) / 10;
    return {
      ok: true,
      site: client.site.origin,
      companyName: info.companyName,
      codebase: info.codebase,
      version: system.version,
      isCloud: system.isCloud ?? info.isCloud,
      roundTripMs,
    };
  } catch (err) {
    if (signal?.aborted) throw err;
    return connectionFailure(err);
  }
}

/**
 * Tests settings the admin entered, with a short retry budget so the wizard answers quickly.
 * The client it builds is closed before returning.
 */
export async function testConnection(
  settings: ConnectWiseConfig,
  signal?: AbortSignal,
): Promise<TestConnectionResult> {
  let client: ConnectWiseClient;
  try {
    if (!settings.site?.trim()) throw new InvalidInputError('Enter the ConnectWise site.', 'site');
    client = createConnectWiseClient({
      ...settings,
      retry: { maxAttempts: 2, maxRetryAfterMs: 5_000, ...settings.retry },
      timeouts: { connectMs: 5_000, headersMs: 15_000, totalMs: 20_000, ...settings.timeouts },
    });
  } catch (err) {
    return connectionFailure(err);
  }
  try {
    return await testClientConnection(client, signal);
  } finally {
    await client.close();
  }
}
