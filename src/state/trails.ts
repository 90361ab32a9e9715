// Pure badge-trail maths (issue 6): where each step of a badge's trail is in
// plan (its door, on the door's floor) and how many steps the time cursor
// has passed. No React, no three: unit-tested in test/unit/trails.test.ts.
import type { IncidentBadge } from '../core/bundle.ts';
import type { FacilityIndex } from '../core/facility/model.ts';

/** One drawn step: the door's plan position on its floor, and when the badge was read there (epoch ms). */
export interface TrailPoint { door: string; floor: string; x: number; y: number; ts: number; denied: boolean }

/** The trail's steps at their doors, in time order (stable); steps at doors the facility does not have are left out. */
export function trailPoints(ix: FacilityIndex, badge: IncidentBadge): TrailPoint[] {
  const out: TrailPoint[] = [];
  for (const st of badge.trail) {
    const d = ix.doors.get(st.door);
    const ts = Date.parse(st.ts);
    if (!d || !Number.isFinite(ts)) continue;
    out.push({ door: st.door, floor: d.floor.id, x: d.door.position[0], y: d.door.position[1], ts, denied: st.type === 'access.denied' });
  }
  return out.sort((a, b) => a.ts - b.ts);
}

/**
 * Steps the badge has taken by `cursor` (epoch ms): those read at or before
 * it. Live (cursor null) shows the whole trail. Steps are in time order, so
 * this is the first index read after the cursor.
 */
export function stepsPassed(points: readonly { ts: number }[], cursor: number | null): number {
  if (cursor === null) return points.length;
  let lo = 0, hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid]!.ts <= cursor) lo = mid + 1; else hi = mid;
  }
  return lo;
}
