// The ingest server (ingest-server.ts) as its own process, and one POST to it: shared by the crash test
// (T10) and the ingest benchmark, which both kill or stop the process themselves.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pool } from 'undici';
import { PLATFORM_API_PREFIX } from '../../src/platform/index.ts';
import type { Delivery } from './harness.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export interface IngestServer {
  child: ChildProcess;
  url: string;
  partnerId: string;
  token: string;
  secret: string;
}

/** Spawns the server with `env` over this process's environment; resolves once it listens. */
export function startIngestServer(env: Record<string, string>): Promise<IngestServer> {
  const child = spawn(process.execPath, [path.join(HERE, 'ingest-server.ts')], {
    cwd: path.resolve(HERE, '../..'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const end = out.indexOf('\n');
      if (end >= 0) resolve({ child, ...(JSON.parse(out.slice(0, end)) as Omit<IngestServer, 'child'>) });
    });
    child.once('exit', (code, signal) => reject(new Error(`ingest server exited early (${code ?? signal})`)));
  });
}

/** POSTs one delivery over a keep-alive pool and returns the status; a dead connection throws. */
export async function postEvent(pool: Pool, d: Delivery): Promise<number> {
  const res = await pool.request({
    method: 'POST',
    path: `${PLATFORM_API_PREFIX}/events`,
    headers: d.headers,
    body: d.body,
  });
  await res.body.dump();
  return res.statusCode;
}
