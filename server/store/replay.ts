// State at a time from the store: the latest snapshot at or before it, then
// the reducer over the stored records after it, in (ts, seq) order — the same
// reducer as the live state, so the two cannot disagree.
import type { FacilityIndex } from '../../src/core/facility/model.ts';
import { advance, initialState, reduce, type TwinState } from '../../src/core/reducer.ts';
import { iterateRecords, type Store } from './types.ts';

/** The state at `atMs`, the store seq it is consistent with, and how many stored records the reducer refused on the way (with the first reason). */
export interface ReplayResult { state: TwinState; seq: number; folded: number; refused: number; firstRefusal: string | null }

const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

/**
 * Folds every stored record with `ts ≤ atMs` (epoch ms), starting from the
 * latest snapshot at or before it, and advances to `atMs`. Pages through the
 * store and yields to the event loop between pages, so a long replay does
 * not stall live traffic.
 */
export async function stateAt(store: Store, ix: FacilityIndex, atMs: number): Promise<ReplayResult> {
  const maxSeq = await store.lastSeq();
  const snap = await store.snapshotAtOrBefore(atMs);
  const state = snap ? withFacility(snap.state, ix) : initialState(ix);
  let folded = 0, refused = 0, firstRefusal: string | null = null;
  for await (const page of iterateRecords(store, { ...(snap ? { from: snap.ts + 1 } : {}), to: atMs, maxSeq })) {
    for (const { record } of page) {
      const out = reduce(state, record, ix);
      if (out.ok) folded++;
      else { refused++; firstRefusal ??= out.reason; }
    }
    await yieldToLoop();
  }
  advance(state, atMs);
  return { state, seq: maxSeq, folded, refused, firstRefusal };
}

/** A snapshot made under an older facility model gains the doors and cameras added since (closed, online). */
function withFacility(s: TwinState, ix: FacilityIndex): TwinState {
  const fresh = initialState(ix);
  for (const [id, d] of Object.entries(fresh.doors)) s.doors[id] ??= d;
  for (const [id, c] of Object.entries(fresh.cameras)) s.cameras[id] ??= c;
  for (const [id, m] of Object.entries(fresh.memory)) s.memory[id] ??= m;
  return s;
}

/** Computes and saves the snapshot at `atMs`; false when a record it would miss arrived meanwhile (try again later). */
export async function saveSnapshotAt(store: Store, ix: FacilityIndex, atMs: number): Promise<boolean> {
  const r = await stateAt(store, ix, atMs);
  return store.saveSnapshot({ ts: atMs, seq: r.seq, state: r.state });
}
