// Ingest throughput through the whole pipeline into SQLite (validate →
// batch → one transaction per batch → reorder window → reducer), for
// readings submitted as 1,000-record messages with 8 in flight, and over
// HTTP (POST /api/ingest, 1,000 records a body, 4 in flight). Baseline: the
// store alone appending the same records in 10,000-record transactions.
// Also bytes on disk per reading (after a WAL checkpoint).
// Run alone: `npx tsx test/bench/ingest.bench.ts`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { indexFacility } from '../../src/core/facility/model.ts';
import type { TelemetryRecord } from '../../src/core/records.ts';
import { createApp } from '../../server/app.ts';
import { Pipeline } from '../../server/ingest/pipeline.ts';
import { SqliteStore } from '../../server/store/sqlite.ts';
import { saveSnapshotAt, stateAt } from '../../server/store/replay.ts';
import { livePlant } from './live-plant.ts';
import type { BenchResult } from './types.ts';

const SENSORS = 5000;
const PIPELINE_RECORDS = 300_000;
const HTTP_RECORDS = 100_000;
const MESSAGE = 1000;

function readings(n: number, t0: number): TelemetryRecord[] {
  const out: TelemetryRecord[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = { ts: t0 + Math.floor(i / SENSORS) * 1000, sensor: `T-${i % SENSORS}`, value: Math.round((20 + Math.sin(i) * 2) * 100) / 100 };
  return out;
}

/** Runs `count` jobs with at most `parallel` in flight. */
async function pool(count: number, parallel: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < count) await job(next++);
  }));
}

export async function run(): Promise<BenchResult[]> {
  const facility = livePlant(SENSORS, 20);
  const ix = indexFacility(facility);
  const dir = mkdtempSync(join(tmpdir(), 'twinspace-bench-ingest-'));
  const results: BenchResult[] = [];
  try {
    // Baseline: the store alone.
    const base = new SqliteStore(join(dir, 'baseline.db'));
    const recs = readings(PIPELINE_RECORDS, Date.now() - 3_600_000);
    let t = performance.now();
    for (let i = 0; i < recs.length; i += 10_000) await base.append(recs.slice(i, i + 10_000));
    const baseRate = PIPELINE_RECORDS / ((performance.now() - t) / 1000);
    await base.close();

    // The pipeline.
    const store = new SqliteStore(join(dir, 'pipeline.db'));
    let delivered = 0;
    const pipeline = new Pipeline({ store, index: ix, snapshotEveryMs: 0, onReadings: (r) => { delivered += r.length; } });
    await pipeline.ready;
    const raw = recs.map((r) => ({ ts: r.ts, sensor: r.sensor, value: r.value }));
    t = performance.now();
    await pool(PIPELINE_RECORDS / MESSAGE, 8, async (i) => {
      const out = await pipeline.submit(raw.slice(i * MESSAGE, (i + 1) * MESSAGE));
      if (out.some((o) => !o.ok)) throw new Error('a record was refused');
    });
    const pipeRate = PIPELINE_RECORDS / ((performance.now() - t) / 1000);
    if (delivered !== PIPELINE_RECORDS) throw new Error(`hub got ${delivered} readings, expected ${PIPELINE_RECORDS}`);
    const st = pipeline.stats();
    await pipeline.close();
    // Replay: state at the last reading from nothing (what a snapshot costs), then from that snapshot.
    const lastTs = recs[recs.length - 1]!.ts;
    t = performance.now();
    if (!(await saveSnapshotAt(store, ix, lastTs))) throw new Error('snapshot not saved');
    const replayMs = performance.now() - t;
    t = performance.now();
    const fromSnap = await stateAt(store, ix, lastTs);
    const fromSnapMs = performance.now() - t;
    if (Object.keys(fromSnap.state.sensors).length !== SENSORS) throw new Error('replay lost sensors');
    store.checkpoint();
    const bytes = (await store.stats()).bytes ?? 0;
    await store.close();
    results.push({
      name: 'ingest pipeline → SQLite (1,000-record messages)', figure: pipeRate, unit: 'records/s',
      dataSize: `${PIPELINE_RECORDS.toLocaleString('en')} readings, ${SENSORS.toLocaleString('en')} sensors; commit mean ${st.commitMsMean.toFixed(2)} ms, max ${st.commitMsMax.toFixed(1)} ms`,
      baseline: { name: 'store.append alone, 10,000-record transactions', figure: baseRate }, ratio: pipeRate / baseRate,
      goal: '≥ 50,000 records/s (10× the 5,000-sensor plant at 1 Hz)',
    });
    results.push({
      name: 'state at T by replay from the store (snapshot build)', figure: PIPELINE_RECORDS / (replayMs / 1000), unit: 'records/s',
      dataSize: `${PIPELINE_RECORDS.toLocaleString('en')} readings folded in ${replayMs.toFixed(0)} ms; from the saved snapshot ${fromSnapMs.toFixed(1)} ms`,
    });
    results.push({ name: 'SQLite bytes on disk per reading', figure: bytes / PIPELINE_RECORDS, unit: 'bytes', dataSize: `${PIPELINE_RECORDS.toLocaleString('en')} readings, file after WAL checkpoint, with indexes` });

    // Over HTTP.
    const httpStore = new SqliteStore(join(dir, 'http.db'));
    const app = createApp({ facility, store: httpStore, limits: { ingestRate: { perSecond: 1e9, burst: 1e9 }, apiRate: { perSecond: 1e6, burst: 1e6 } }, pipeline: { snapshotEveryMs: 0 } });
    await app.ready;
    await new Promise<void>((r) => app.server.listen(0, '127.0.0.1', () => r()));
    const addr = app.server.address();
    const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/api/ingest`;
    const token = await app.createToken('operator');
    const bodies: string[] = [];
    const hrecs = readings(HTTP_RECORDS, Date.now() - 7_200_000);
    for (let i = 0; i < HTTP_RECORDS; i += MESSAGE) bodies.push(JSON.stringify(hrecs.slice(i, i + MESSAGE)));
    t = performance.now();
    await pool(bodies.length, 4, async (i) => {
      const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: bodies[i]! });
      const body = (await res.json()) as { accepted: number };
      if (res.status !== 200 || body.accepted !== MESSAGE) throw new Error(`HTTP ingest answered ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
    });
    const httpRate = HTTP_RECORDS / ((performance.now() - t) / 1000);
    await app.close();
    await httpStore.close();
    results.push({
      name: 'HTTP ingest → SQLite (1,000-record bodies)', figure: httpRate, unit: 'records/s',
      dataSize: `${HTTP_RECORDS.toLocaleString('en')} readings in ${bodies.length} POSTs, 4 in flight, ~${Math.round(bodies[0]!.length / 1024)} kB each`,
      goal: '≥ 25,000 records/s',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const r of await run()) console.log(r);
}
