// History at scale (issue 6): 30 days of the demo plant written by the
// simulator's backfill (1 reading/min per sensor, ~6 M records) into a temp
// SQLite store, history keyframes filled, an app built over it and called
// over HTTP as the browser does:
// - `GET /api/state?at=T`, 200 random instants: p50 and p95 (goal ≤ 50 ms);
// - `GET /api/incidents/<id>/bundle`, 50 random alarms: p50 and p95 of the
//   round trip (goal ≤ 100 ms), and the server's own figure from
//   `/api/incidents/stats`.
// The setup (backfill, keyframe fill) is reported too, as it is what a first
// start of `twinspace serve` pays.
// Run alone: `npx tsx test/bench/history.bench.ts`. TWINSPACE_BENCH_HISTORY_DB=<file>
// reuses (and writes keyframes into) a store backfilled before instead of a fresh one.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadFacility, formatProblems } from '../../src/core/facility/validate.ts';
import { indexFacility } from '../../src/core/facility/model.ts';
import { createApp } from '../../server/app.ts';
import { fillKeyframes, KEYFRAME_EVERY_MS } from '../../server/history/keyframes.ts';
import { backfill } from '../../server/sim/run.ts';
import { SqliteStore } from '../../server/store/sqlite.ts';
import type { BenchResult } from './types.ts';

const DAYS = 30;
const STATE_QUERIES = 200;
const INCIDENT_QUERIES = 50;
const DAY_MS = 86_400_000;
const DEMO_PLANT = fileURLToPath(new URL('../../server/demo/plant.json', import.meta.url));

/** Seeded PRNG (mulberry32): the same instants and alarms on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Nearest rank, as metrics.md §3. */
function percentile(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(p * s.length) - 1)]!;
}

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function run(): Promise<BenchResult[]> {
  const loaded = loadFacility(JSON.parse(readFileSync(DEMO_PLANT, 'utf8')));
  if (!loaded.ok) throw new Error(`demo plant invalid:\n${formatProblems(loaded.problems)}`);
  const facility = loaded.facility;
  const ix = indexFacility(facility);
  const reuse = process.env['TWINSPACE_BENCH_HISTORY_DB'];
  const dir = mkdtempSync(join(tmpdir(), 'twinspace-history-bench-'));
  const dbPath = reuse && existsSync(reuse) ? reuse : join(dir, 'history.db');
  const store = new SqliteStore(dbPath);
  const out: BenchResult[] = [];
  try {
    let backfillS: number | null = null;
    if (dbPath !== reuse) {
      const t0 = performance.now();
      await backfill(store, ix, Math.floor(Date.now() / 60_000) * 60_000, { days: DAYS, seed: 1 });
      backfillS = (performance.now() - t0) / 1000;
    }
    const range = (await store.timeRange())!;
    const counts = await store.stats();
    const records = counts.telemetry + counts.events;
    const sensors = ix.sensors.size, doors = ix.doors.size, cameras = ix.cameras.size;
    const plant = `demo plant: ${sensors} sensors at 1 reading/min, ${doors} doors, ${cameras} cameras`;
    const size = `${fmtInt(records)} records (${fmtInt(counts.telemetry)} readings, ${fmtInt(counts.events)} events) over ${((range.to - range.from) / DAY_MS).toFixed(1)} days; ${plant}`;
    if (backfillS !== null) out.push({ name: `history setup: simulator backfill of ${DAYS} days into SQLite`, figure: backfillS, unit: 's', dataSize: size });

    let t0 = performance.now();
    const fill = await fillKeyframes(store, ix, { upTo: range.to });
    const fillS = (performance.now() - t0) / 1000;
    t0 = performance.now();
    const check = await fillKeyframes(store, ix, { upTo: range.to });
    const checkMs = performance.now() - t0;
    (store as SqliteStore).checkpoint();
    const dbMiB = statSync(dbPath).size / 2 ** 20;
    const keyframes = `a keyframe in each of ${check.checked} ${KEYFRAME_EVERY_MS / 60_000}-min intervals (${fill.saved} filled by this run)`;
    out.push({ name: 'history setup: keyframe fill (first start; folds every record once)', figure: fillS, unit: 's', dataSize: `${size}; ${keyframes}` });
    out.push({ name: 'history keyframe check over the whole history, nothing to fill (the first pass after a start; later ones look past the last complete keyframe only)', figure: checkMs, unit: 'ms', dataSize: `${size}; ${check.checked} intervals checked` });

    // The app, with its clock at the end of the data, and no API rate limit in the way.
    const wall0 = Date.now();
    const app = createApp({ facility, store, clock: () => range.to + 60_000 + (Date.now() - wall0), limits: { apiRate: { perSecond: 1e9, burst: 1e9 } } });
    await app.ready;
    await new Promise<void>((r) => app.server.listen(0, '127.0.0.1', () => r()));
    try {
      const addr = app.server.address();
      const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
      const token = await app.createToken('viewer', 'bench');
      const headers = { authorization: `Bearer ${token}` };
      // The server's own keyframe upkeep makes a check pass 1 s after listening: let it finish first.
      await sleep(1000 + 2 * checkMs + 500);
      const call = async (path: string): Promise<{ ms: number; bytes: number }> => {
        const t = performance.now();
        const res = await fetch(base + path, { headers });
        const body = await res.text();
        const ms = performance.now() - t;
        if (res.status !== 200) throw new Error(`history bench: ${path} answered ${res.status}: ${body.slice(0, 300)}`);
        return { ms, bytes: Buffer.byteLength(body) };
      };
      const rand = mulberry32(42);
      for (let i = 0; i < 5; i++) await call(`/api/state?at=${Math.floor(range.from + rand() * (range.to - range.from))}`); // warm-up

      const stateMs: number[] = [];
      let stateBytes = 0;
      for (let i = 0; i < STATE_QUERIES; i++) {
        const r = await call(`/api/state?at=${Math.floor(range.from + rand() * (range.to - range.from))}`);
        stateMs.push(r.ms);
        stateBytes += r.bytes;
      }
      const stateSize = `${STATE_QUERIES} random instants over ${size}; ${keyframes}; answer ~${fmtInt(stateBytes / STATE_QUERIES / 1024)} KiB; SQLite file ${fmtInt(dbMiB)} MiB`;
      out.push({ name: 'GET /api/state?at=T p50 (HTTP round trip)', figure: percentile(stateMs, 0.5), unit: 'ms', dataSize: stateSize, goal: '≤ 50 ms' });
      out.push({ name: 'GET /api/state?at=T p95 (HTTP round trip)', figure: percentile(stateMs, 0.95), unit: 'ms', dataSize: stateSize, goal: '≤ 50 ms' });

      // Alarms raised over the history (the live state keeps every one raised), 50 at random.
      const alarms = Object.values(app.pipeline.state.alarms).filter((a) => a.onset > range.from + 3_600_000).map((a) => a.id);
      const picks: string[] = [];
      for (let i = 0; i < INCIDENT_QUERIES; i++) picks.push(alarms[Math.floor(rand() * alarms.length)]!);
      const bundleMs: number[] = [];
      let bundleBytes = 0;
      for (const id of picks) {
        const r = await call(`/api/incidents/${encodeURIComponent(id)}/bundle`);
        bundleMs.push(r.ms);
        bundleBytes += r.bytes;
      }
      const server = await (await fetch(`${base}/api/incidents/stats`, { headers })).json() as { count: number; p50Ms: number; p95Ms: number };
      const bundleSize = `${INCIDENT_QUERIES} random alarms of ${alarms.length} over ${size}; ±15 min windows; bundle ~${fmtInt(bundleBytes / INCIDENT_QUERIES / 1024)} KiB`;
      out.push({ name: 'GET /api/incidents/<id>/bundle p50 (HTTP round trip)', figure: percentile(bundleMs, 0.5), unit: 'ms', dataSize: bundleSize, goal: '≤ 100 ms' });
      out.push({ name: 'GET /api/incidents/<id>/bundle p95 (HTTP round trip)', figure: percentile(bundleMs, 0.95), unit: 'ms', dataSize: bundleSize, goal: '≤ 100 ms' });
      out.push({ name: 'incident bundle build p95 (server side, /api/incidents/stats)', figure: server.p95Ms, unit: 'ms', dataSize: `${server.count} builds; ${bundleSize}`, goal: '≤ 100 ms' });
    } finally {
      await app.close();
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const r of await run()) console.log(`${r.name}: ${r.figure.toFixed(2)} ${r.unit}${r.goal ? `  goal ${r.goal}` : ''}  [${r.dataSize}]`);
}
