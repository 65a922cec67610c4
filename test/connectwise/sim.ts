// Starts the simulator for client tests and talks to its /__sim/ control API over real HTTP.
import { Agent, fetch } from 'undici';
import { type LoggedRequest, type RunningSimulator, startSimulator } from '../../simulator/index.ts';
import type { ConnectWiseConfig } from '../../src/connectwise/index.ts';

// The control API's JSON is the simulator's own log entry type.
export type { LoggedRequest };

export interface Sim {
  sim: RunningSimulator;
  config(overrides?: Partial<ConnectWiseConfig>): ConnectWiseConfig;
  member(name: 'restricted' | 'noclose' | 'admin'): Pick<ConnectWiseConfig, 'publicKey' | 'privateKey'>;
  reset(seed?: string): Promise<void>;
  faults(config: Record<string, unknown>): Promise<void>;
  /** A hosted upgrade: companyinfo announces `codebase` and the API moves there (old one 404s). */
  upgrade(codebase: string): Promise<void>;
  clearFaults(): Promise<void>;
  requests(since?: number): Promise<LoggedRequest[]>;
  clearRequests(): Promise<void>;
  close(): Promise<void>;
}

export async function startSim(options: { seed?: string; tls?: boolean } = {}): Promise<Sim> {
  const sim = await startSimulator({
    seed: options.seed ?? 'demo',
    quiet: true,
    ...(options.tls ? { tls: true } : {}),
  });
  // Over TLS the control API is reached with the simulator's own CA.
  const dispatcher = sim.ca ? new Agent({ connect: { ca: sim.ca } }) : undefined;
  const control = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${sim.url}/__sim/${path}`, {
      method,
      ...(dispatcher ? { dispatcher } : {}),
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`/__sim/${path} answered ${res.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  return {
    sim,
    config: (overrides = {}) => ({
      site: sim.url,
      ...sim.credentials,
      allowedHosts: [`127.0.0.1:${sim.port}`],
      allowPrivateAddresses: true,
      allowInsecureHttp: !options.tls,
      ...(sim.ca ? { ca: sim.ca } : {}),
      ...overrides,
    }),
    member: (name) => ({ publicKey: `${name}-public`, privateKey: `${name}-private` }),
    reset: async (seed = 'demo') => void (await control('POST', 'reset', { seed })),
    faults: async (config) => void (await control('POST', 'faults', config)),
    upgrade: async (codebase) => void (await control('POST', 'codebase', { codebase })),
    clearFaults: async () => void (await control('DELETE', 'faults')),
    requests: async (since = 0) =>
      ((await control('GET', `requests?since=${since}`)) as { requests: LoggedRequest[] }).requests.filter(
        (r) => !r.path.startsWith('/__sim'),
      ),
    clearRequests: async () => void (await control('DELETE', 'requests')),
    close: async () => {
      await dispatcher?.close();
      await sim.close();
    },
  };
}
