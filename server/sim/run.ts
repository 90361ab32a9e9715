// Running the simulator for `serve`: backfill history into the store before
// the live state is built (so KPIs and replay have data at once), then feed
// live records through the ingest pipeline like any other source.
import type { FacilityIndex } from '../../src/core/facility/model.ts';
import { validateRecord } from '../../src/core/parse.ts';
import type { TwinRecord } from '../../src/core/records.ts';
import { advance, cloneState, initialState, reduce } from '../../src/core/reducer.ts';
import type { Store } from '../store/types.ts';
import type { Pipeline } from '../ingest/pipeline.ts';
import { PlantSimulator } from './simulator.ts';
import { reducerDetector } from './detector.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Days of history the simulator writes on a first start. */
export const DEFAULT_BACKFILL_DAYS = 14;
/** Interval between two readings of one sensor in backfilled history, ms. */
export const BACKFILL_INTERVAL_MS = 60_000;
/** Interval between two readings of one sensor live, ms. */
export const LIVE_INTERVAL_MS = 5_000;
/** How often the live simulator hands its records to the pipeline, wall-clock ms. */
export const LIVE_TICK_MS = 500;

export interface BackfillOptions {
  days?: number;
  seed?: number;
  /** Called as hours are written: done and total simulated ms, records so far. */
  onProgress?: (doneMs: number, totalMs: number, records: number) => void;
}

/**
 * Writes simulated history up to `nowMs` into the store: `days` of it when
 * the store is empty, else the gap since its latest record (at most `days`).
 * Every record is validated like any source's; into an empty store a
 * keyframe is saved every simulated hour. Returns how many were written.
 */
export async function backfill(store: Store, ix: FacilityIndex, nowMs: number, opts: BackfillOptions = {}): Promise<{ fromMs: number; toMs: number; records: number }> {
  const days = opts.days ?? DEFAULT_BACKFILL_DAYS;
  const range = await store.timeRange();
  const earliest = nowMs - days * DAY_MS;
  const fromMs = range ? Math.max(range.to + 1, earliest) : earliest;
  if (fromMs >= nowMs - 60_000) return { fromMs, toMs: nowMs, records: 0 };
  const sim = new PlantSimulator(ix, fromMs, { seed: opts.seed ?? 1, telemetryIntervalMs: BACKFILL_INTERVAL_MS, detectAlarms: reducerDetector(ix) });
  let written = 0;
  // Keyframes every simulated hour, folded as we go, so state-at-T over the history stays fast.
  const state = range ? null : initialState(ix);
  for (let t = fromMs; t < nowMs; t += HOUR_MS) {
    const end = Math.min(t + HOUR_MS, nowMs);
    const batch: TwinRecord[] = [];
    for (const r of sim.advanceTo(end)) {
      const v = validateRecord(r, ix);
      if (!v.ok) throw new Error(`Twinspace sim: the simulator made a bad record (${v.reason}): ${JSON.stringify(r)}`);
      batch.push(v.record);
      if (state && !reduce(state, v.record, ix).ok) throw new Error(`Twinspace sim: the reducer refused a simulated record: ${JSON.stringify(r)}`);
    }
    await store.append(batch);
    if (state) {
      advance(state, end - 1);
      await store.saveSnapshot({ ts: end - 1, seq: await store.lastSeq(), state: cloneState(state) });
    }
    written += batch.length;
    opts.onProgress?.(Math.min(t + HOUR_MS, nowMs) - fromMs, nowMs - fromMs, written);
  }
  return { fromMs, toMs: nowMs, records: written };
}

export interface LiveSimulation {
  /** Simulated records handed to the pipeline so far. */
  readonly submitted: number;
  stop(): void;
}

/**
 * Feeds the pipeline with live simulated records, stamped by `clock` (which
 * runs faster than the wall clock under `--speed`). Refusals would be a
 * simulator bug and are logged, never thrown.
 */
export function startLiveSimulation(pipeline: Pipeline, ix: FacilityIndex, clock: () => number, opts: { seed?: number; telemetryIntervalMs?: number } = {}): LiveSimulation {
  const sim = new PlantSimulator(ix, clock(), { seed: (opts.seed ?? 1) + 1, telemetryIntervalMs: opts.telemetryIntervalMs ?? LIVE_INTERVAL_MS, detectAlarms: reducerDetector(ix) });
  let submitted = 0;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return; // the store is behind: catch up on the next tick with a larger step
    busy = true;
    const records = sim.advanceTo(clock());
    submitted += records.length;
    pipeline.submit(records).then((outcomes) => {
      const bad = outcomes.find((o) => !o.ok);
      if (bad && !bad.ok) console.error(`Twinspace sim: the pipeline refused a simulated record: ${bad.reason}`);
    }, (e: unknown) => console.error('Twinspace sim: submit failed:', e)).finally(() => { busy = false; });
  }, LIVE_TICK_MS);
  timer.unref();
  return { get submitted() { return submitted; }, stop: () => clearInterval(timer) };
}

/** A clock that runs `speed` times faster than the wall clock from now on. */
export function acceleratedClock(speed: number, wall: () => number = Date.now): () => number {
  if (speed === 1) return wall;
  const t0 = wall();
  return () => t0 + (wall() - t0) * speed;
}
