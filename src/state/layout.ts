// How floors are laid out on screen for a view: which are drawn, ghosted or
// hidden, and how far each is lifted. Pure, shared by the scene, picking,
// labels and fly-to so they always agree.
import type { Facility, Floor } from '../core/facility/schema.ts';
import { bounds } from '../core/geometry.ts';

/** One floor, all floors stacked (upper ones cut away), or pulled apart. */
export type FloorMode = 'single' | 'stack' | 'exploded';
/** Perspective 3D or orthographic top-down plan. */
export type ViewMode = '3d' | 'plan';
/** Drawn in full, only as a faint outline (cut away), or not at all. */
export type FloorDisplay = 'full' | 'ghost' | 'hidden';

export const FLOOR_MODES: readonly FloorMode[] = ['single', 'stack', 'exploded'];

/** Floors in ascending elevation (model order breaks ties). */
export function floorsByElevation(facility: Facility): Floor[] {
  return facility.floors.map((f, i) => ({ f, i })).sort((a, b) => a.f.elevation - b.f.elevation || a.i - b.i).map((x) => x.f);
}

/** How floor `i` (in elevation order) is drawn when floor `active` is the active one. */
export function floorDisplay(i: number, active: number, floorMode: FloorMode, viewMode: ViewMode): FloorDisplay {
  if (viewMode === 'plan' || floorMode === 'single') return i === active ? 'full' : 'hidden';
  if (floorMode === 'stack') return i <= active ? 'full' : 'ghost';
  return 'full';
}

/** Extra lift per floor in exploded mode, m: a quarter of the plant's larger side, at least 12 m. */
export function explodeGap(facility: Facility): number {
  const b = bounds(facility.floors.flatMap((f) => f.outline));
  return Math.max(12, 0.25 * Math.max(b.maxX - b.minX, b.maxY - b.minY));
}

/** Plan z at which floor `i` (elevation order) is drawn. */
export function floorLift(floors: readonly Floor[], i: number, floorMode: FloorMode, gap: number): number {
  const f = floors[i];
  if (!f) return 0;
  return f.elevation + (floorMode === 'exploded' ? i * gap : 0);
}
