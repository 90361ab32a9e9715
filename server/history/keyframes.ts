// History keyframes: snapshots at regular instants through the stored
// history, so state-at-T (`/api/state?at=`, incidents) folds at most one
// interval of records after the latest keyframe instead of the whole history.
// The live pipeline saves a snapshot every few minutes as it goes; history
// written around it (the simulator's backfill, `twinspace import`) has none,
// and a late record drops the snapshots after it (Store.append). A pass here
// fills every interval that has none, folding each stored record once with
// the one reducer; the store refuses a keyframe a concurrent append would
// make stale (Store.saveSnapshot), so a pass never saves a wrong one.
import type { FacilityIndex } from '../../src/core/facility/model.ts';
import { advance, cloneState, reduce, type TwinState } from '../../src/core/reducer.ts';
import { stateAt } from '../store/replay.ts';
import { iterateRecords, type Store } from '../store/types.ts';

/** Keyframe spacing through history, ms (30 min): replay at any instant folds at most this much after one. */
export const KEYFRAME_EVERY_MS = 30 * 60_000;
/** How often the server looks for intervals without a keyframe, ms (10 min). */
export const KEYFRAME_CHECK_MS = 10 * 60_000;

/**
 * What a pass did. `completeUpTo` (epoch ms) is the last instant up to which
 * every interval has a keyframe, null when none does.
 */
export interface KeyframePass { checked: number; saved: number; folded: number; stoppedEarly: boolean; completeUpTo: number | null }

const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

/**
 * Saves a keyframe at each multiple `b` of `everyMs` (epoch ms) from the
 * first stored record (or from `after`, exclusive) up to `upTo` whose
 * interval `(b − everyMs, b]` has no snapshot yet. Stops early, keeping what
 * it saved, when the store refuses a keyframe (records arrived meanwhile:
 * the next pass goes on) or `shouldStop` says so. Yields to the event loop
 * between pages.
 */
export async function fillKeyframes(store: Store, ix: FacilityIndex, opts: { upTo: number; after?: number; everyMs?: number; shouldStop?: () => boolean }): Promise<KeyframePass> {
  const every = opts.everyMs ?? KEYFRAME_EVERY_MS;
  const stop = opts.shouldStop ?? (() => false);
  const pass: KeyframePass = { checked: 0, saved: 0, folded: 0, stoppedEarly: false, completeUpTo: opts.after ?? null };
  const range = await store.timeRange();
  if (!range) return pass;
  const last = Math.floor(Math.min(opts.upTo, range.to) / every) * every;
  const first = opts.after === undefined ? Math.ceil(range.from / every) * every : Math.floor(opts.after / every) * every + every;
  // The running fold: the state at `at`, consistent with the store up to `seq`; null when the last interval had its own keyframe.
  let run: { state: TwinState; at: number; seq: number } | null = null;
  for (let b = first; b <= last; b += every) {
    if (stop()) { pass.stoppedEarly = true; break; }
    pass.checked++;
    const existing = await store.snapshotAtOrBefore(b);
    if (existing && existing.ts > b - every) { run = null; pass.completeUpTo = b; continue; }
    if (run === null) {
      const r = await stateAt(store, ix, b);
      run = { state: r.state, at: b, seq: r.seq };
      pass.folded += r.folded;
    } else {
      for await (const page of iterateRecords(store, { from: run.at + 1, to: b, maxSeq: run.seq })) {
        for (const { record } of page) if (reduce(run.state, record, ix).ok) pass.folded++;
        if (stop()) break;
        await yieldToLoop();
      }
      if (stop()) { pass.stoppedEarly = true; break; }
      advance(run.state, b);
      run.at = b;
    }
    // A copy: the fold goes on while a networked store may still be writing it.
    if (!(await store.saveSnapshot({ ts: b, seq: run.seq, state: cloneState(run.state) }))) { pass.stoppedEarly = true; break; }
    pass.saved++;
    pass.completeUpTo = b;
    if (pass.checked % 64 === 0) await yieldToLoop();
  }
  return pass;
}

/** Background upkeep of keyframes for a running server. */
export interface KeyframeUpkeep {
  /** Runs a pass now (or joins the one running). */
  runNow(): Promise<KeyframePass | null>;
  stop(): void;
}

/**
 * Fills keyframes (every `everyMs`, default KEYFRAME_EVERY_MS) up to the live
 * state's time `firstAfterMs` after the start (default 1 s) and then every
 * `checkMs` (default KEYFRAME_CHECK_MS); a failed pass is logged and retried on the next. After a
 * pass that left every interval with a keyframe, the next looks only at the
 * intervals after it, as long as its last keyframe is still there: a record
 * stored late drops every snapshot at or after its time (Store.append), so
 * the last one going is how an earlier gap shows.
 */
export function startKeyframeUpkeep(store: Store, ix: FacilityIndex, liveUntil: () => number | null, opts: { checkMs?: number; everyMs?: number; firstAfterMs?: number } = {}): KeyframeUpkeep {
  const every = opts.everyMs ?? KEYFRAME_EVERY_MS;
  let stopped = false;
  let running: Promise<KeyframePass | null> | null = null;
  let completeUpTo: number | null = null;
  const pass = async (upTo: number): Promise<KeyframePass> => {
    let after: number | undefined;
    if (completeUpTo !== null) {
      const kept = await store.snapshotAtOrBefore(completeUpTo);
      if (kept && kept.ts > completeUpTo - every) after = completeUpTo;
    }
    const p = await fillKeyframes(store, ix, { upTo, everyMs: every, ...(after !== undefined ? { after } : {}), shouldStop: () => stopped });
    completeUpTo = p.completeUpTo;
    return p;
  };
  const runNow = (): Promise<KeyframePass | null> => {
    if (running) return running;
    const upTo = liveUntil();
    if (stopped || upTo === null) return Promise.resolve(null);
    running = pass(upTo)
      .catch((e: unknown) => {
        if (!stopped) console.error('Twinspace: history keyframes: pass failed (retried later):', e);
        return null;
      })
      .finally(() => { running = null; });
    return running;
  };
  const first = setTimeout(() => { void runNow(); }, opts.firstAfterMs ?? 1000);
  const timer = setInterval(() => { void runNow(); }, opts.checkMs ?? KEYFRAME_CHECK_MS);
  first.unref();
  timer.unref();
  return {
    runNow,
    stop: () => { stopped = true; clearTimeout(first); clearInterval(timer); },
  };
}
