import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { basicAuth } from '../simulator/index.ts';
import { type BenchContext, defineSuite, percentile } from './harness.ts';

const FLOOR = 3000;
const CONNECTIONS = 16;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * `sim.companies_page.rps`: requests per second for a 25-row `company/companies` page out of 10,000
 * companies, keep-alive connections on loopback. The simulator runs in its own process (as
 * `psa-bridge sim` does); the load comes from a minimal raw HTTP/1.1 client so that, on two shared
 * cores, the figure is the server's and not the client's parser.
 */
export default defineSuite({
  name: 'simulator',
  rows: ['sim.companies_page.rps', 'sim.page1000.forward_only.ms', 'sim.page1000.numbered.ms'],
  async run(ctx) {
    if (ctx.wants('sim.companies_page')) await pageRate(ctx);
    if (ctx.wants('sim.page1000')) await bigPages(ctx);
  },
});

interface SimChild {
  url: URL;
  /** The Authorization header value. */
  auth: string;
  clientId: string;
  /** CPU (µs, user + system) the simulator process has used so far. */
  cpu(): Promise<number>;
  close(): Promise<void>;
}

/** The simulator in its own process (as `psa-bridge sim` runs), so its CPU can be read apart. */
async function startChild(seed: string): Promise<SimChild> {
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { startSimulator } = await import(${JSON.stringify(path.join(root, 'simulator/index.ts'))});
       const sim = await startSimulator({ seed: ${JSON.stringify(seed)}, quiet: true });
       process.stdout.write(JSON.stringify({ base: sim.apiBase(), credentials: sim.credentials }) + '\\n');
       process.stdin.on('data', () => process.stdout.write(JSON.stringify(process.cpuUsage()) + '\\n'));
       process.stdin.on('end', () => sim.close().then(() => process.exit(0)));`,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = lineReader(child.stdout!);
  const { base, credentials: c } = JSON.parse(await lines()) as {
    base: string;
    credentials: { companyId: string; publicKey: string; privateKey: string; clientId: string };
  };
  return {
    url: new URL(base),
    auth: basicAuth(c.companyId, c.publicKey, c.privateKey),
    clientId: c.clientId,
    async cpu() {
      child.stdin!.write('cpu\n');
      const u = JSON.parse(await lines()) as { user: number; system: number };
      return u.user + u.system;
    },
    async close() {
      child.stdin!.end();
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

async function pageRate(ctx: BenchContext): Promise<void> {
  ctx.progress('starting the simulator with scale:10000');
  const sim = await startChild('scale:10000');
  try {
    // 50 different pages across the 400, so no single slice stays hot.
    const requests = Array.from({ length: 50 }, (_, n) =>
      Buffer.from(companiesRequest(sim, `pageSize=25&page=${1 + n * 8}`)),
    );
    ctx.progress('warming up (2 s)');
    await load(sim.url, requests, 2);
    ctx.progress('measuring (8 s)');
    const cpuBefore = await sim.cpu();
    const result = await load(sim.url, requests, 8);
    const usPerRequest = ((await sim.cpu()) - cpuBefore) / Math.max(1, result.latencies.length);
    ctx.emit({
      name: 'sim.companies_page.rps',
      value: Math.round(result.rps),
      unit: 'req/s',
      floor: FLOOR,
      ratio: Math.round((result.rps / FLOOR) * 100) / 100,
      non200: result.failures,
      p99_ms: Math.round(percentile(result.latencies, 99) * 10) / 10,
      connections: CONNECTIONS,
      // CPU the simulator process spent per request, and the rate one free core would sustain:
      // steadier than req/s when other work shares the two cores.
      server_cpu_us_per_req: Math.round(usPerRequest),
      one_core_capacity_rps: Math.round(1e6 / usPerRequest),
      note: 'simulator in its own process; 2 cores shared with the load client (and other work)',
    });
  } finally {
    await sim.close();
  }
}

/**
 * `sim.page1000.{forward_only,numbered}.ms`: what one 1,000-company page of a full read of
 * scale:100000 costs, the way the client benchmark reads it (one keep-alive connection, the next
 * page asked for when the previous one is in). Value: median wall time per page over warm reads
 * (request sent → last byte in); `server_cpu_ms` is the simulator's CPU per page; `cold_ms` is the
 * first read's, which serializes every page once.
 */
async function bigPages(ctx: BenchContext): Promise<void> {
  for (const mode of ['forward_only', 'numbered'] as const) {
    // A simulator per mode, so each mode's first read is cold (nothing serialized yet).
    ctx.progress(`starting the simulator with scale:100000 (${mode} pages)`);
    const sim = await startChild('scale:100000');
    try {
      const reads: { perPageMs: number[]; cpuUs: number }[] = [];
      for (let r = 0; r < 4; r++) {
        const before = await sim.cpu();
        const perPageMs = await readAll(sim, mode);
        reads.push({ perPageMs, cpuUs: (await sim.cpu()) - before });
      }
      const [cold, ...warm] = reads;
      const warmPages = warm.flatMap((w) => w.perPageMs);
      const pages = warm[0]!.perPageMs.length;
      const cpuPerPage = warm.reduce((sum, w) => sum + w.cpuUs, 0) / warm.length / pages / 1000;
      const round = (x: number) => Math.round(x * 100) / 100;
      ctx.emit({
        name: `sim.page1000.${mode}.ms`,
        value: round(percentile(warmPages, 50)),
        unit: 'ms',
        p90_ms: round(percentile(warmPages, 90)),
        server_cpu_ms: round(cpuPerPage),
        cold_ms: round(percentile(cold!.perPageMs, 50)),
        pages,
        note: 'HTTP, one keep-alive connection, sequential pages, 3 warm reads after one cold',
      });
    } finally {
      await sim.close();
    }
  }
}

/** A raw HTTP/1.1 GET of `company/companies?query` as the sandbox member, keep-alive. */
function companiesRequest(sim: SimChild, query: string, extraHeaders = ''): string {
  const { url, auth, clientId } = sim;
  return (
    `GET ${url.pathname}/company/companies?${query} HTTP/1.1\r\nHost: ${url.host}\r\n` +
    `Authorization: ${auth}\r\nclientId: ${clientId}\r\n${extraHeaders}` +
    'Accept: application/vnd.connectwise.com+json; version=2025.1\r\n\r\n'
  );
}

/** Reads every company page by page over one socket; returns each page's time. */
function readAll(sim: SimChild, mode: 'forward_only' | 'numbered'): Promise<number[]> {
  const { url } = sim;
  const head = (query: string) =>
    companiesRequest(sim, query, mode === 'forward_only' ? 'pagination-type: forward-only\r\n' : '');
  return new Promise((resolve, reject) => {
    const times: number[] = [];
    const socket = net.connect(Number(url.port), url.hostname);
    let page = 1;
    let sent = 0;
    const send = (query: string) => {
      sent = performance.now();
      socket.write(head(query));
    };
    socket.on('connect', () => send(mode === 'forward_only' ? 'pageSize=1000' : 'pageSize=1000&page=1'));
    socket.on('error', reject);
    onResponses(socket, (header, length) => {
      if (!header.startsWith('HTTP/1.1 200')) return reject(new Error(header.split('\r\n')[0]));
      times.push(performance.now() - sent);
      const next =
        mode === 'forward_only'
          ? /<[^>]*[?&]pageId=(\d+)>/.exec(header)?.[1]
          : length > 2
            ? String(++page)
            : undefined;
      if (next === undefined || (mode === 'numbered' && !/rel="next"/.test(header))) {
        socket.end(() => resolve(times));
        return;
      }
      send(mode === 'forward_only' ? `pageSize=1000&pageId=${next}` : `pageSize=1000&page=${next}`);
    });
  });
}

/** CONNECTIONS keep-alive sockets, each sending the next request as soon as a response is complete. */
async function load(url: URL, requests: Buffer[], seconds: number) {
  const until = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from(
      { length: CONNECTIONS },
      () =>
        new Promise<void>((resolve, reject) => {
          const socket = net.connect(Number(url.port), url.hostname);
          let sent = 0;
          const send = () => {
            if (performance.now() >= until) return socket.end(resolve);
            sent = performance.now();
            socket.write(requests[next++ % requests.length]!);
          };
          socket.on('connect', send);
          socket.on('error', reject);
          onResponses(socket, (head) => {
            if (!head.startsWith('HTTP/1.1 200')) failures++;
            latencies.push(performance.now() - sent);
            send();
          });
        }),
    ),
  );
  return { rps: latencies.length / ((performance.now() - t0) / 1000), latencies, failures };
}

/**
 * Calls `done(head, bodyLength)` for each Content-Length-framed response on a keep-alive socket with
 * one request in flight. Chunks are joined only to find the head and once the body is in (not at
 * all for a response in one chunk), so the client's own copying stays out of the figures.
 */
function onResponses(socket: net.Socket, done: (head: string, length: number) => void): void {
  const join = (parts: Buffer[]) => (parts.length === 1 ? parts[0]! : Buffer.concat(parts));
  let chunks: Buffer[] = [];
  let size = 0;
  let headEnd = -1;
  let head = '';
  let length = 0;
  socket.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    size += chunk.length;
    if (headEnd < 0) {
      const buf = join(chunks);
      chunks = [buf];
      headEnd = buf.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      head = buf.subarray(0, headEnd).toString('latin1');
      length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    }
    const end = headEnd + 4 + length;
    if (size < end) return;
    headEnd = -1;
    // The answer first: the next request goes out before the rest is kept (none arrives meanwhile).
    done(head, length);
    const rest = join(chunks).subarray(end);
    chunks = rest.length ? [rest] : [];
    size = rest.length;
  });
}

/** Reads a child's stdout line by line: each call resolves with the next line. */
function lineReader(stream: NodeJS.ReadableStream): () => Promise<string> {
  let buf = '';
  const waiting: Array<(line: string) => void> = [];
  const ready: string[] = [];
  stream.on('data', (d: Buffer) => {
    buf += d.toString();
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      const take = waiting.shift();
      if (take) take(line);
      else ready.push(line);
    }
  });
  return () => {
    const line = ready.shift();
    return line !== undefined ? Promise.resolve(line) : new Promise((resolve) => waiting.push(resolve));
  };
}
