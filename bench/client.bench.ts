// Reading every company: our client vs the `connectwise-rest` npm client (ManageAPI + paginate, page
// size 1000), both against the same simulator (TLS, since connectwise-rest only speaks https), each
// run in its own child process so peak RSS belongs to that client alone.
//   npm run bench -- client.            (parent: starts simulators, spawns children, emits rows)
//   node bench/client.bench.ts --child ours|peer   (child: reads all companies, prints JSON)
// One warm-up round (discarded), then BENCH_RUNS (default 7) alternating runs per client (the first
// client alternates too); rows are medians (`min` kept alongside); `cpu_ms`
// rows are the child's user+system CPU, steadier than wall time on a shared machine.
// BENCH_LOOKAHEAD=0 turns off our forward-only look-ahead (for comparison). BENCH_WARMUP=1 has each child
// make one 1-record request with its client before the clock starts (connection, TLS and JIT warm for
// both), to compare the read itself without the process's one-time start-up.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { defineSuite, percentile } from './harness.ts';

const self = fileURLToPath(import.meta.url);
const run = promisify(execFile);

interface ChildResult {
  count: number;
  ms: number;
  /** user + system CPU of the child while reading: less sensitive to other load than wall time. */
  cpuMs: number;
  /** Minor page faults while reading: fresh memory touched (each costs kernel time). */
  faults: number;
  maxRssMb: number;
}

interface ChildEnv {
  BENCH_SITE_PORT: string;
  BENCH_COMPANY: string;
  BENCH_PUBLIC: string;
  BENCH_PRIVATE: string;
  BENCH_CLIENT_ID: string;
  BENCH_CA_FILE: string;
}

async function child(kind: string): Promise<void> {
  const env = process.env as unknown as ChildEnv;
  const port = Number(env.BENCH_SITE_PORT);
  let count = 0;
  let ms = 0;
  let cpuStart: NodeJS.CpuUsage;
  let faultsAtStart = 0;
  const warmUp = process.env['BENCH_WARMUP'] === '1';
  if (kind === 'ours') {
    const { createConnectWiseClient } = await import('../src/connectwise/index.ts');
    const cw = createConnectWiseClient({
      site: `https://127.0.0.1:${port}`,
      companyId: env.BENCH_COMPANY,
      publicKey: env.BENCH_PUBLIC,
      privateKey: env.BENCH_PRIVATE,
      clientId: env.BENCH_CLIENT_ID,
      allowedHosts: [`127.0.0.1:${port}`],
      allowPrivateAddresses: true,
      ca: readFileSync(env.BENCH_CA_FILE, 'utf8'),
      // The same fixed codebase the peer is given (its entryPoint), so neither does discovery.
      codebase: 'v4_6_release/',
    });
    if (warmUp) await cw.companies.first();
    faultsAtStart = process.resourceUsage().minorPageFault;
    cpuStart = process.cpuUsage();
    const started = performance.now();
    const lookAhead = process.env['BENCH_LOOKAHEAD'] !== '0';
    for await (const page of cw.companies.pages({ pageSize: 1000, lookAhead })) count += page.length;
    ms = performance.now() - started;
    await cw.close();
  } else {
    // connectwise-rest uses axios over Node's https; it trusts the simulator's CA via NODE_EXTRA_CA_CERTS.
    const { ManageAPI } = await import('connectwise-rest');
    const cwm = new ManageAPI({
      companyId: env.BENCH_COMPANY,
      companyUrl: `127.0.0.1:${port}`,
      publicKey: env.BENCH_PUBLIC,
      privateKey: env.BENCH_PRIVATE,
      clientId: env.BENCH_CLIENT_ID,
      entryPoint: 'v4_6_release',
    });
    if (warmUp) await cwm.CompanyAPI.getCompanyCompanies({ page: 1, pageSize: 1 });
    faultsAtStart = process.resourceUsage().minorPageFault;
    cpuStart = process.cpuUsage();
    const started = performance.now();
    const all = await cwm.paginate(cwm.CompanyAPI.getCompanyCompanies, { startPage: 1, pageSize: 1000 }, {});
    count = all.length;
    ms = performance.now() - started;
  }
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const usage = process.resourceUsage();
  const result: ChildResult = {
    count,
    ms,
    cpuMs,
    faults: usage.minorPageFault - faultsAtStart,
    maxRssMb: usage.maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

async function measure(kind: 'ours' | 'peer', env: ChildEnv): Promise<ChildResult> {
  const { stdout } = await run(process.execPath, [self, '--child', kind], {
    env: { ...process.env, ...env, NODE_EXTRA_CA_CERTS: env.BENCH_CA_FILE },
    maxBuffer: 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildResult;
}

const median = (xs: number[]) => percentile(xs, 50);

export default defineSuite({
  name: 'connectwise client: read all companies vs connectwise-rest',
  rows: [
    'client.read_all.100000.ms',
    'client.read_all.100000.peak_rss_mb',
    'client.read_all.10000.ms',
    'client.read_all.10000.peak_rss_mb',
    'client.peer.read_all.100000.ms',
    'client.peer.read_all.100000.peak_rss_mb',
    'client.peer.read_all.10000.ms',
    'client.peer.read_all.10000.peak_rss_mb',
    'client.read_all.10000.speedup_vs_peer',
    'client.read_all.100000.speedup_vs_peer',
    'client.read_all.10000.cpu_ms',
    'client.read_all.100000.cpu_ms',
    'client.peer.read_all.10000.cpu_ms',
    'client.peer.read_all.100000.cpu_ms',
  ],
  async run(ctx) {
    const { startSimulator } = await import('../simulator/index.ts');
    const dir = await mkdtemp(path.join(tmpdir(), 'cw-bench-'));
    const runs = Number(process.env['BENCH_RUNS'] ?? 7);
    try {
      for (const n of [10_000, 100_000]) {
        // `npm run bench -- client.read_all.100000` need not spend minutes on the 10,000 scale.
        if (!ctx.wants(`client.read_all.${n}.`) && !ctx.wants(`client.peer.read_all.${n}.`)) continue;
        ctx.progress(`simulator scale:${n}`);
        const sim = await startSimulator({ seed: `scale:${n}`, tls: true, quiet: true });
        const caFile = path.join(dir, `ca-${n}.pem`);
        await writeFile(caFile, sim.ca!);
        const env: ChildEnv = {
          BENCH_SITE_PORT: String(sim.port),
          BENCH_COMPANY: sim.credentials.companyId,
          BENCH_PUBLIC: sim.credentials.publicKey,
          BENCH_PRIVATE: sim.credentials.privateKey,
          BENCH_CLIENT_ID: sim.credentials.clientId,
          BENCH_CA_FILE: caFile,
        };
        try {
          // One discarded round: the simulator serializes each page once and caches it, so without
          // this the first client to run would pay for building every page.
          ctx.progress(`scale:${n} warm-up round (not counted)`);
          await measure('ours', env);
          await measure('peer', env);
          const ours: ChildResult[] = [];
          const peer: ChildResult[] = [];
          // Alternate the clients, and which goes first, so drift in the machine's load hits both alike.
          for (let i = 0; i < runs; i++) {
            const order = i % 2 === 0 ? (['ours', 'peer'] as const) : (['peer', 'ours'] as const);
            for (const kind of order) (kind === 'ours' ? ours : peer).push(await measure(kind, env));
            ctx.progress(
              `scale:${n} run ${i + 1}: ours ${ours.at(-1)!.ms.toFixed(0)} ms, peer ${peer.at(-1)!.ms.toFixed(0)} ms`,
            );
          }
          for (const r of [...ours, ...peer]) {
            if (r.count < n) throw new Error(`a client read ${r.count} companies, expected ≥ ${n}`);
          }
          const oursMs = median(ours.map((r) => r.ms));
          const peerMs = median(peer.map((r) => r.ms));
          const extra = { runs, page_size: 1000, records: ours[0]!.count };
          const fastest = (rs: ChildResult[]) => Math.min(...rs.map((r) => r.ms));
          ctx.emit({
            name: `client.read_all.${n}.ms`,
            value: oursMs,
            unit: 'ms',
            min: fastest(ours),
            ...extra,
          });
          ctx.emit({
            name: `client.read_all.${n}.peak_rss_mb`,
            value: Math.max(...ours.map((r) => r.maxRssMb)),
            unit: 'MB',
            ...extra,
          });
          ctx.emit({
            name: `client.peer.read_all.${n}.ms`,
            value: peerMs,
            unit: 'ms',
            min: fastest(peer),
            ...extra,
          });
          const oursCpu = median(ours.map((r) => r.cpuMs));
          const peerCpu = median(peer.map((r) => r.cpuMs));
          const faults = (rs: ChildResult[]) => Math.round(median(rs.map((r) => r.faults)));
          ctx.emit({
            name: `client.read_all.${n}.cpu_ms`,
            value: oursCpu,
            unit: 'ms',
            page_faults: faults(ours),
            ...extra,
          });
          ctx.emit({
            name: `client.peer.read_all.${n}.cpu_ms`,
            value: peerCpu,
            unit: 'ms',
            page_faults: faults(peer),
            ...extra,
          });
          ctx.emit({
            name: `client.peer.read_all.${n}.peak_rss_mb`,
            value: Math.max(...peer.map((r) => r.maxRssMb)),
            unit: 'MB',
            ...extra,
          });
          // Alongside the ratio of medians: fastest vs fastest, the median of the per-round ratios (each
          // pair ran back to back, under the same load) and the ratio of CPU time.
          const round = (x: number) => Math.round(x * 1000) / 1000;
          ctx.emit({
            name: `client.read_all.${n}.speedup_vs_peer`,
            value: peerMs / oursMs,
            unit: 'x',
            target: 1.5,
            best_vs_best: round(fastest(peer) / fastest(ours)),
            paired_median: round(median(ours.map((o, i) => peer[i]!.ms / o.ms))),
            cpu_ratio: round(peerCpu / oursCpu),
          });
        } finally {
          await sim.close();
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
});

if (process.argv[1] === self && process.argv[2] === '--child') {
  await child(process.argv[3] ?? 'ours');
}
