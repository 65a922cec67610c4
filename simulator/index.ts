// The ConnectWise PSA simulator: a real HTTP(S) server speaking CW's REST API, for tests and sandboxes.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { basicAuth } from './auth.ts';
import type { StateHolder } from './control.ts';
import { buildRouter } from './resources/index.ts';
import { CODEBASES } from './resources/system.ts';
import { buildState, seedProblem } from './seeds/index.ts';
import { createHandler } from './server.ts';
import { DEMO_CLIENT_ID, LOGIN_COMPANY } from './state.ts';
import { isDay, realToday } from './time.ts';
import { selfSignedCert } from './tls.ts';

export { basicAuth } from './auth.ts';
export type { FaultConfig } from './faults.ts';
export type { LoggedRequest, RequestCounters } from './request-log.ts';
export type { Invoice, InvoiceLine } from './types.ts';

export interface SimulatorOptions {
  port?: number /* 0 = any */;
  host?: string /* default 127.0.0.1 */;
  seed?: string /* 'demo' | 'empty' | `scale:${N}`, default 'demo' */;
  tls?: boolean;
  today?: string /* YYYY-MM-DD, sim clock */;
  quiet?: boolean;
}

export interface RunningSimulator {
  url: string;
  port: number;
  ca?: string;
  apiBase(codebase?: string): string;
  credentials: { companyId: string; publicKey: string; privateKey: string; clientId: string };
  describe(): string;
  close(): Promise<void>;
}

/** Starts the simulator; resolves once it listens. Every server a test starts must be closed by it. */
export async function startSimulator(opts: SimulatorOptions = {}): Promise<RunningSimulator> {
  const seed = opts.seed ?? 'demo';
  const today = opts.today ?? realToday();
  const problem = seedProblem(seed);
  if (problem) throw new Error(problem);
  if (!isDay(today)) throw new Error(`today must be a date YYYY-MM-DD, got '${today}'`);
  const holder: StateHolder = { state: buildState(seed, today) };
  const tls = opts.tls === true;
  const handler = createHandler(holder, buildRouter(), { tls, quiet: opts.quiet === true });
  const pems = tls ? await selfSignedCert() : undefined;
  const server = pems
    ? https.createServer({ key: pems.key, cert: pems.cert }, handler)
    : http.createServer(handler);
  server.keepAliveTimeout = 30_000;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const credentials = {
    companyId: LOGIN_COMPANY,
    publicKey: 'sandbox-public',
    privateKey: 'sandbox-private',
    clientId: DEMO_CLIENT_ID,
  };
  const apiBase = (codebase = 'v4_6_release/') => `${url}/${codebase.replace(/\/?$/, '/')}apis/3.0`;
  return {
    url,
    port,
    ...(pems ? { ca: pems.cert } : {}),
    apiBase,
    credentials,
    describe: () => describe(url, apiBase, credentials, holder.state.seed, holder.state.today, tls),
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of handler.pending) clearTimeout(t);
        handler.pending.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function describe(
  url: string,
  apiBase: (codebase?: string) => string,
  c: RunningSimulator['credentials'],
  seed: string,
  today: string,
  tls: boolean,
): string {
  const auth = basicAuth(c.companyId, c.publicKey, c.privateKey);
  return [
    `ConnectWise PSA simulator listening on ${url} (seed ${seed}, today ${today})`,
    `  Site URL      ${url.replace(/^https?:\/\//, '')}   company ID ${c.companyId}`,
    `  Codebases     ${CODEBASES.map((cb) => apiBase(cb)).join('  ')}`,
    `  API member    public key ${c.publicKey}   private key ${c.privateKey}   clientId ${c.clientId}`,
    `  Restricted    restricted-public / restricted-private (no agreement writes)`,
    `                noclose-public / noclose-private (cannot close tickets); admin-public / admin-private (all, incl. Delete)`,
    `  Try           curl ${tls ? '-k ' : ''}-H 'Authorization: ${auth}' -H 'clientId: ${c.clientId}' '${apiBase()}/company/companies?pageSize=5'`,
    `  Company info  ${url}/login/companyinfo/${c.companyId}`,
    `  Browse        ${url}/  (read-only view)   control API ${url}/__sim/`,
  ].join('\n');
}
