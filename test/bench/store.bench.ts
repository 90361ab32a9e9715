// The two stores side by side (issue 8): PostgreSQL against SQLite in the same
// run, through `Store.append` and the query methods only.
// 1. Ingest: 200,000 records as a live plant sends them (2,000 sensors, ~2 %
//    access and door events), 1,000-record batches, one transaction each,
//    one in flight (the ingest pipeline commits one batch at a time).
// 2. Bytes on disk per record after that ingest, and per reading of the
//    30-day set below: PostgreSQL the sum of pg_total_relation_size over the
//    schema (heap, indexes, TOAST, after VACUUM ANALYZE as autovacuum would
//    leave it), SQLite the file after a WAL checkpoint.
// 3. Range queries over 30 days of 100 sensors at 1/min (4.32 M readings,
//    loaded in time order): 100 random 1-hour windows of one sensor
//    (`telemetry`), p50/p95; also 1 hour of every sensor (`records`, BRIN on
//    PostgreSQL) and a 30-day chart of one sensor in 1-hour buckets.
// PostgreSQL: TWINSPACE_BENCH_PG (default postgres://postgres@127.0.0.1:5432/test),
// a schema of its own, dropped at the end. Run alone: `npx tsx test/bench/store.bench.ts`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { EventRecord, TwinRecord } from '../../src/core/records.ts';
import { PostgresStore } from '../../server/store/postgres.ts';
import { SqliteStore } from '../../server/store/sqlite.ts';
import type { Store } from '../../server/store/types.ts';
import type { BenchResult } from './types.ts';
import { mulberry32 as rng } from '../../src/core/random.ts';

const PG_URL = process.env['TWINSPACE_BENCH_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test';

const INGEST_RECORDS = 200_000;
const INGEST_BATCH = 1000;
const INGEST_SENSORS = 2000;
const INGEST_DOORS = 100;

const QUERY_SENSORS = 100;
const QUERY_DAYS = 30;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const QUERIES = 100;
/** Batch size for loading the query data set (setup, not measured as ingest). */
const LOAD_BATCH = 20_000;

/** Live-plant batches: each sensor reports every `INGEST_SENSORS` records (~1 Hz), and ~2 % are badge and door events. */
function ingestBatches(t0: number): TwinRecord[][] {
  const rand = rng(8);
  const out: TwinRecord[][] = [];
  let batch: TwinRecord[] = [];
  let sensor = 0, ts = t0;
  for (let i = 0; i < INGEST_RECORDS; i++) {
    if (rand() < 0.02) {
      const door = `D-${Math.floor(rand() * INGEST_DOORS)}`, k = rand();
      const e: EventRecord = k < 0.5 ? { ts, type: 'access.granted', door, badge: `B-${Math.floor(rand() * 5000)}` }
        : k < 0.75 ? { ts, type: 'door.opened', door }
          : k < 0.97 ? { ts, type: 'door.closed', door }
            : { ts, type: 'access.denied', door, badge: `B-${Math.floor(rand() * 5000)}` };
      batch.push(e);
    } else {
      batch.push({ ts, sensor: `T-${sensor}`, value: Math.round((21 + Math.sin(i / 977) * 1.5 + rand() * 0.2) * 100) / 100 });
      if (++sensor === INGEST_SENSORS) { sensor = 0; ts += 1000; }
    }
    if (batch.length === INGEST_BATCH) { out.push(batch); batch = []; }
  }
  if (batch.length > 0) out.push(batch);
  return out;
}

/** Records submitted per second, and how many were new (a door opened twice in one ms is one event). */
async function ingest(store: Store, batches: readonly TwinRecord[][]): Promise<{ rate: number; inserted: number }> {
  const t = performance.now();
  let inserted = 0;
  for (const b of batches) inserted += (await store.append(b)).inserted;
  return { rate: INGEST_RECORDS / ((performance.now() - t) / 1000), inserted };
}

/** 30 days × 100 sensors × 1/min in time order, `LOAD_BATCH` at a time. */
async function loadMonth(store: Store, t0: number): Promise<number> {
  const minutes = QUERY_DAYS * 24 * 60;
  let batch: TwinRecord[] = [], n = 0;
  for (let m = 0; m < minutes; m++) {
    const ts = t0 + m * MINUTE_MS;
    for (let s = 0; s < QUERY_SENSORS; s++) {
      batch.push({ ts, sensor: `Q-${s}`, value: Math.round((20 + Math.sin((m + s * 37) / 240) * 2) * 100) / 100 });
      if (batch.length === LOAD_BATCH) { n += (await store.append(batch)).inserted; batch = []; }
    }
  }
  if (batch.length > 0) n += (await store.append(batch)).inserted;
  return n;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

interface Latency { p50: number; p95: number; rows: number }

/** Runs `QUERIES` random queries (same seed for both stores) and times each, ms. */
async function latency(make: (rand: () => number) => () => Promise<unknown[]>): Promise<Latency> {
  const rand = rng(42);
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < QUERIES + 5; i++) {
    const q = make(rand);
    const t = performance.now();
    const r = await q();
    const ms = performance.now() - t;
    if (i >= 5) { times.push(ms); rows += r.length; } // the first few warm the connection and plans
  }
  return { p50: quantile(times, 0.5), p95: quantile(times, 0.95), rows: rows / QUERIES };
}

async function queries(store: Store, t0: number): Promise<{ oneSensor: Latency; allSensors: Latency; chart: Latency }> {
  const span = QUERY_DAYS * 24 * HOUR_MS - HOUR_MS;
  const window = (rand: () => number) => t0 + Math.floor(rand() * span / MINUTE_MS) * MINUTE_MS;
  const oneSensor = await latency((rand) => {
    const sensor = `Q-${Math.floor(rand() * QUERY_SENSORS)}`, from = window(rand);
    return () => store.telemetry({ sensor, from, to: from + HOUR_MS - 1 });
  });
  const allSensors = await latency((rand) => {
    const from = window(rand);
    return () => store.records({ from, to: from + HOUR_MS - 1, limit: 10_000 });
  });
  const chart = await latency((rand) => {
    const sensor = `Q-${Math.floor(rand() * QUERY_SENSORS)}`;
    return () => store.telemetryBuckets({ sensor, from: t0, to: t0 + QUERY_DAYS * 24 * HOUR_MS - 1, stepMs: HOUR_MS });
  });
  return { oneSensor, allSensors, chart };
}

export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'twinspace-bench-store-'));
  const schemaUrl = (tag: string) => {
    const u = new URL(PG_URL);
    u.searchParams.set('schema', `twinspace_bench_${process.pid}_${tag}`);
    return u.toString();
  };
  const results: BenchResult[] = [];
  const opened: Store[] = [];
  try {
    // 1–2. Ingest and size.
    const batches = ingestBatches(Date.UTC(2026, 10, 2, 8));
    const events = batches.reduce((n, b) => n + b.filter((r) => 'type' in r).length, 0);
    const lite = new SqliteStore(join(dir, 'ingest.db'));
    opened.push(lite);
    const pg = await PostgresStore.open(schemaUrl('ingest'), { dropSchemaOnClose: true });
    opened.push(pg);
    const { rate: liteRate, inserted } = await ingest(lite, batches);
    const { rate: pgRate, inserted: pgInserted } = await ingest(pg, batches);
    if (pgInserted !== inserted) throw new Error(`Twinspace: store bench: PostgreSQL stored ${pgInserted} records, SQLite ${inserted}: their idempotency differs`);
    const ingestSize = `${INGEST_RECORDS.toLocaleString('en')} records (${events.toLocaleString('en')} events; ${inserted.toLocaleString('en')} distinct), ${INGEST_SENSORS.toLocaleString('en')} sensors, ${INGEST_DOORS} doors, ${INGEST_BATCH.toLocaleString('en')}-record batches, one in flight`;
    results.push({
      name: 'store.append → PostgreSQL (ratio = PostgreSQL ÷ SQLite)', figure: pgRate, unit: 'records/s', dataSize: ingestSize,
      baseline: { name: 'store.append → SQLite, same batches', figure: liteRate }, ratio: pgRate / liteRate,
      goal: '≥ 50,000 records/s (10× a 5,000-sensor plant at 1 Hz)',
    });
    lite.checkpoint();
    await pg.vacuumAnalyze();
    const liteBytes = (await lite.stats()).bytes ?? NaN, pgBytes = (await pg.stats()).bytes ?? NaN;
    results.push({
      name: 'bytes on disk per record, PostgreSQL (ratio = PostgreSQL ÷ SQLite)', figure: pgBytes / inserted, unit: 'bytes', dataSize: `${ingestSize}; PostgreSQL ${(pgBytes / 2 ** 20).toFixed(1)} MiB (tables, indexes, TOAST), SQLite ${(liteBytes / 2 ** 20).toFixed(1)} MiB`,
      baseline: { name: 'SQLite file after WAL checkpoint', figure: liteBytes / inserted }, ratio: pgBytes / liteBytes,
    });
    await lite.close();
    await pg.close();
    opened.length = 0;

    // 3. Range queries over a month.
    const t0 = Date.UTC(2026, 9, 1);
    const qLite = new SqliteStore(join(dir, 'month.db'));
    opened.push(qLite);
    const qPg = await PostgresStore.open(schemaUrl('month'), { dropSchemaOnClose: true });
    opened.push(qPg);
    let t = performance.now();
    const loaded = await loadMonth(qPg, t0);
    const pgLoadS = (performance.now() - t) / 1000;
    await qPg.vacuumAnalyze();
    t = performance.now();
    await loadMonth(qLite, t0);
    const liteLoadS = (performance.now() - t) / 1000;
    const monthSize = `${loaded.toLocaleString('en')} readings: ${QUERY_SENSORS} sensors × 1/min × ${QUERY_DAYS} days, loaded in time order (PostgreSQL ${pgLoadS.toFixed(1)} s, SQLite ${liteLoadS.toFixed(1)} s in ${LOAD_BATCH.toLocaleString('en')}-record batches); ${QUERIES} random windows, warm cache`;
    qLite.checkpoint();
    const monthLite = (await qLite.stats()).bytes ?? NaN, monthPg = (await qPg.stats()).bytes ?? NaN;
    results.push({
      name: 'bytes on disk per reading, 30 days, PostgreSQL (ratio = PostgreSQL ÷ SQLite)', figure: monthPg / loaded, unit: 'bytes',
      dataSize: `${loaded.toLocaleString('en')} readings, ${QUERY_SENSORS} sensors × 1/min × ${QUERY_DAYS} days; PostgreSQL ${(monthPg / 2 ** 20).toFixed(0)} MiB, SQLite ${(monthLite / 2 ** 20).toFixed(0)} MiB`,
      baseline: { name: 'SQLite file after WAL checkpoint', figure: monthLite / loaded }, ratio: monthPg / monthLite,
    });
    const pgQ = await queries(qPg, t0);
    const liteQ = await queries(qLite, t0);
    const pair = (name: string, what: keyof typeof pgQ, goal?: string): BenchResult[] => (['p50', 'p95'] as const).map((p) => ({
      name: `${name} ${p}, PostgreSQL (ratio = PostgreSQL ÷ SQLite)`, figure: pgQ[what][p], unit: 'ms',
      dataSize: `${monthSize}; ${pgQ[what].rows.toFixed(0)} rows a query`,
      baseline: { name: 'SQLite, same queries', figure: liteQ[what][p] }, ratio: pgQ[what][p] / liteQ[what][p],
      ...(goal !== undefined ? { goal } : {}),
    }));
    results.push(...pair('1-hour telemetry of one sensor', 'oneSensor', 'p95 ≤ 20 ms'));
    results.push(...pair('1-hour records of every sensor (replay page)', 'allSensors'));
    results.push(...pair('30-day chart of one sensor, 1-hour buckets', 'chart'));
  } finally {
    for (const s of opened) await s.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const r of await run()) console.log(r);
}
