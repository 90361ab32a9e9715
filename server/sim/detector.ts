// The simulator's operators answer the alarms the real alarm engine raises:
// the detector folds the simulator's own output through the one reducer.
import type { FacilityIndex } from '../../src/core/facility/model.ts';
import { advance, initialState, reduce, type StateChange } from '../../src/core/reducer.ts';
import type { AlarmDetector, RaisedAlarm } from './simulator.ts';

/** A detector over a private reducer state; `rejections` counts records the reducer refused (a simulator bug if ever > 0). */
export function reducerDetector(ix: FacilityIndex): AlarmDetector & { rejections: { ts: number; reason: string }[] } {
  const state = initialState(ix);
  const rejections: { ts: number; reason: string }[] = [];
  const collect = (changes: StateChange[], into: RaisedAlarm[]) => {
    for (const c of changes) if (c.kind === 'alarm.raised') into.push({ id: c.alarm.id, kind: c.alarm.kind, onset: c.alarm.onset });
  };
  const detect = (records: Parameters<AlarmDetector>[0], nowMs: number): RaisedAlarm[] => {
    const raised: RaisedAlarm[] = [];
    for (const r of records) {
      if (!('type' in r)) continue; // readings raise no alarm
      const out = reduce(state, r, ix);
      if (out.ok) collect(out.changes, raised);
      else rejections.push({ ts: r.ts, reason: out.reason });
    }
    // Seal only what is strictly before the step's end: the next step may emit at nowMs itself.
    collect(advance(state, nowMs - 1), raised);
    return raised;
  };
  return Object.assign(detect, { rejections });
}
