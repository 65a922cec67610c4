import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineSuite, percentile } from './harness.ts';

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
  rows: ['sim.companies_page.rps'],
  async run(ctx) {
    ctx.progress('starting the simulator with scale:10000');
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { startSimulator } = await import(${JSON.stringify(path.join(root, 'simulator/index.ts'))});
         const sim = await startSimulator({ seed: 'scale:10000', quiet: true });
         process.stdout.write(JSON.stringify({ base: sim.apiBase(), credentials: sim.credentials }) + '\\n');
         process.stdin.on('data', () => process.stdout.write(JSON.stringify(process.cpuUsage()) + '\\n'));
         process.stdin.on('end', () => sim.close().then(() => process.exit(0)));`,
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    try {
      const lines = lineReader(child.stdout!);
      const { base, credentials: c } = JSON.parse(await lines()) as {
        base: string;
        credentials: { companyId: string; publicKey: string; privateKey: string; clientId: string };
      };
      const url = new URL(base);
      const auth = Buffer.from(`${c.companyId}+${c.publicKey}:${c.privateKey}`).toString('base64');
      // 50 different pages across the 400, so no single slice stays hot.
      const requests = Array.from({ length: 50 }, (_, n) =>
        Buffer.from(
          `GET ${url.pathname}/company/companies?pageSize=25&page=${1 + n * 8} HTTP/1.1\r\n` +
            `Host: ${url.host}\r\nAuthorization: Basic ${auth}\r\nclientId: ${c.clientId}\r\n` +
            'Accept: application/vnd.connectwise.com+json; version=2025.1\r\n\r\n',
        ),
      );
      ctx.progress('warming up (2 s)');
      await load(url, requests, 2);
      ctx.progress('measuring (8 s)');
      const cpu = async () => {
        child.stdin!.write('cpu\n');
        const u = JSON.parse(await lines()) as { user: number; system: number };
        return u.user + u.system;
      };
      const cpuBefore = await cpu();
      const result = await load(url, requests, 8);
      const usPerRequest = ((await cpu()) - cpuBefore) / Math.max(1, result.latencies.length);
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
      child.stdin!.end();
      await new Promise((resolve) => child.once('exit', resolve));
    }
  },
});

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
          let buf: Buffer = Buffer.alloc(0);
          let sent = 0;
          const send = () => {
            if (performance.now() >= until) return socket.end(resolve);
            sent = performance.now();
            socket.write(requests[next++ % requests.length]!);
          };
          socket.on('connect', send);
          socket.on('error', reject);
          socket.on('data', (chunk: Buffer) => {
            buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
            const headEnd = buf.indexOf('\r\n\r\n');
            if (headEnd < 0) return;
            const head = buf.subarray(0, headEnd).toString('latin1');
            const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
            if (buf.length < headEnd + 4 + length) return;
            if (!head.startsWith('HTTP/1.1 200')) failures++;
            latencies.push(performance.now() - sent);
            buf = buf.subarray(headEnd + 4 + length);
            send();
          });
        }),
    ),
  );
  return { rps: latencies.length / ((performance.now() - t0) / 1000), latencies, failures };
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
