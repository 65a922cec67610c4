// `npm run bench -- [--json] [name-prefix]`: runs every suite in bench/*.bench.ts whose rows match the
// prefix. With --json, prints one JSON object per row on stdout; otherwise a readable table at the end.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow, BenchSuite } from './harness.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const prefix = args.find((a) => !a.startsWith('--')) ?? '';
const matches = (name: string) => name.startsWith(prefix);

const dir = path.dirname(fileURLToPath(import.meta.url));
const files = (await readdir(dir)).filter((f) => f.endsWith('.bench.ts')).sort();
const rows: BenchRow[] = [];

for (const file of files) {
  const suite = ((await import(path.join(dir, file))) as { default: BenchSuite }).default;
  if (!suite.rows.some((r) => matches(r) || r.startsWith(prefix))) continue;
  process.stderr.write(`▶ ${suite.name}\n`);
  await suite.run({
    emit(row) {
      if (!matches(row.name)) return;
      rows.push(row);
      if (json) process.stdout.write(`${JSON.stringify(row)}\n`);
      else process.stderr.write(`  ${row.name} = ${formatValue(row.value)} ${row.unit}\n`);
    },
    wants: (p) => prefix.startsWith(p) || p.startsWith(prefix),
    progress: (message) => process.stderr.write(`  … ${message}\n`),
  });
}

if (!json) printTable(rows);
if (rows.length === 0) {
  process.stderr.write(`no benchmark rows match "${prefix}"\n`);
  process.exitCode = 1;
}

function formatValue(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) < 10 ? 3 : 1);
}

function printTable(all: BenchRow[]): void {
  const extras = (r: BenchRow) =>
    Object.entries(r)
      .filter(([k]) => !['name', 'value', 'unit'].includes(k))
      .map(([k, v]) => `${k}=${typeof v === 'number' ? formatValue(v) : String(v)}`)
      .join(' ');
  const table = all.map((r) => [r.name, formatValue(r.value), r.unit, extras(r)]);
  const widths = [0, 1, 2].map((i) =>
    Math.max(...table.map((t) => t[i]!.length), ['name', 'value', 'unit'][i]!.length),
  );
  const line = (cols: string[]) =>
    cols.map((c, i) => (i === 1 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ');
  console.log(line(['name', 'value', 'unit', 'notes']));
  console.log(line(widths.map((w) => '-'.repeat(w)).concat('-----')));
  for (const t of table) console.log(line(t));
}
