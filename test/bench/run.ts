// `npm run bench`: runs every benchmark scenario (test/bench/*.bench.ts, each
// exporting `run()`), prints a table and writes docs/bench-report.json.
// `npm run bench -- coverage` runs only the files whose name contains "coverage".
import { readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './types.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const filter = process.argv.slice(2);
const files = readdirSync(here).filter((f) => f.endsWith('.bench.ts') && (filter.length === 0 || filter.some((x) => f.includes(x)))).sort();
const report: { date: string; machine: Record<string, unknown>; results: (BenchResult & { file: string })[]; failures: { file: string; error: string }[] } = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
  results: [],
  failures: [],
};

for (const file of files) {
  process.stdout.write(`bench: ${file} …\n`);
  try {
    const mod = (await import(`./${file}`)) as { run: () => Promise<BenchResult[]> };
    for (const r of await mod.run()) report.results.push({ file, ...r });
  } catch (e) {
    report.failures.push({ file, error: (e as Error).stack ?? String(e) });
    process.stderr.write(`bench: ${file} failed: ${(e as Error).message}\n`);
  }
}

const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(3));
const rows = report.results.map((r) => [r.name, `${fmt(r.figure)} ${r.unit}`, r.baseline ? `${fmt(r.baseline.figure)} ${r.unit} (${r.baseline.name})` : '', r.ratio !== undefined ? `${fmt(r.ratio)}×` : '', r.goal ?? '', r.dataSize]);
const head = ['scenario', 'figure', 'baseline', 'ratio', 'goal', 'data size'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
console.log(`\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}`);
const out = fileURLToPath(new URL('../../docs/bench-report.json', import.meta.url));
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nbench: wrote ${out}`);
process.exitCode = report.failures.length > 0 ? 1 : 0;
