// The coverage report of ../shared/spec/interfaces.md (`coverage --json`)
// and the options both implementations share. Tallies are integers until
// the last division, so any two ways of counting give the same report.
import { COVERAGE_LEVELS, type CoverageLevel, type Facility, type Zone } from '../facility/schema.ts';

/** Default cell side, m (metrics.md §2). */
export const DEFAULT_GRID_M = 0.25;
/** Default height of the judged point above the slab, m (metrics.md §2). */
export const DEFAULT_TARGET_HEIGHT_M = 1.5;

/** Options of a coverage computation. */
export interface CoverageOptions {
  /** Cell side in metres (default 0.25). */
  grid?: number | undefined;
  /** Height of the judged point above the slab in metres (default 1.5). */
  targetHeight?: number | undefined;
  /** Availability in [0, 1] per camera id (default 1); see cameraAvailability. */
  availability?: ReadonlyMap<string, number> | undefined;
  /** Called as cameras are done, `(done, total)` cameras over the whole facility. */
  onProgress?: ((done: number, total: number) => void) | undefined;
}

/** Shares of a zone's cells seen at each level by at least one camera, in [0, 1]. */
export type LevelFractions = Record<CoverageLevel, number | null>;

/**
 * One zone's coverage. Fractions are null when the zone holds no cell (an
 * area smaller than the grid, or covered by obstacles): a share of nothing
 * is not a number, and such a zone cannot meet its target.
 */
export interface ZoneCoverage {
  /** Cells × grid², m². */
  areaM2: number;
  fractions: LevelFractions;
  requiredLevel: CoverageLevel;
  target: number;
  requiredFraction: number | null;
  meetsTarget: boolean;
  /** Share seen at the required level by ≥ 2 cameras. */
  redundantFraction: number | null;
  /** Mean over cells of 1 − Π(1 − availability) of the cameras seeing it at the required level. */
  reliability: number | null;
}

/** The report of `twinspace coverage --json`. */
export interface CoverageReport {
  grid: number;
  targetHeight: number;
  zones: Record<string, ZoneCoverage>;
  /** Floor area seen at detection level or better, per camera, m². */
  cameras: Record<string, { areaM2: number }>;
  /**
   * Area-weighted mean of requiredFraction over critical zones, computed as
   * Σ cells seen at the required level ÷ Σ cells. NOTE: null (not 0) when the
   * facility has no critical zone, or its critical zones hold no cell: there is
   * nothing to be covered, which is neither full nor empty coverage.
   */
  criticalRequiredFraction: number | null;
}

/** Options with defaults applied and checked. */
export interface ResolvedCoverageOptions {
  grid: number;
  targetHeight: number;
  availability: ReadonlyMap<string, number>;
  onProgress: ((done: number, total: number) => void) | undefined;
}

/** Applies defaults and refuses impossible options with a message saying what to change. */
export function resolveCoverageOptions(opts: CoverageOptions | undefined): ResolvedCoverageOptions {
  const grid = opts?.grid ?? DEFAULT_GRID_M;
  const targetHeight = opts?.targetHeight ?? DEFAULT_TARGET_HEIGHT_M;
  if (!(Number.isFinite(grid) && grid > 0)) throw new Error(`Twinspace: coverage grid must be a number > 0 (metres), got ${grid}`);
  if (!Number.isFinite(targetHeight)) throw new Error(`Twinspace: coverage targetHeight must be a finite number (metres), got ${targetHeight}`);
  const availability = opts?.availability ?? new Map<string, number>();
  for (const [id, a] of availability) checkAvailability(id, a);
  return { grid, targetHeight, availability, onProgress: opts?.onProgress };
}

/** Throws unless `a` is an availability in [0, 1]. */
export function checkAvailability(id: string, a: number): void {
  if (!(a >= 0 && a <= 1)) throw new Error(`Twinspace: coverage availability of camera "${id}" must be in [0, 1], got ${a}`);
}

/** Level index 0..3 of a coverage level name (detection … identification). */
export function levelIndex(level: CoverageLevel): number {
  return COVERAGE_LEVELS.indexOf(level);
}

/** What a zone asks for: its required level (default detection) and target (default 1). */
export function zoneRequirement(zone: Zone): { level: CoverageLevel; index: number; target: number } {
  const level = zone.coverage?.required ?? 'detection';
  return { level, index: levelIndex(level), target: zone.coverage?.target ?? 1 };
}

/** Integer tallies of one zone; `reliabilitySum` is summed over its cells in ascending cell order. */
export interface ZoneTally {
  cells: number;
  /** Cells seen by ≥ 1 camera at level index 0..3. */
  seen: [number, number, number, number];
  redundant: number;
  reliabilitySum: number;
}

/** Turns a zone's tallies into its report entry. */
export function zoneEntry(zone: Zone, t: ZoneTally, grid: number): ZoneCoverage {
  const req = zoneRequirement(zone);
  const n = t.cells;
  const share = (k: number): number | null => (n === 0 ? null : k / n);
  const requiredFraction = share(t.seen[req.index]!);
  return {
    areaM2: n * (grid * grid),
    fractions: { detection: share(t.seen[0]), observation: share(t.seen[1]), recognition: share(t.seen[2]), identification: share(t.seen[3]) },
    requiredLevel: req.level,
    target: req.target,
    requiredFraction,
    meetsTarget: requiredFraction !== null && requiredFraction >= req.target,
    redundantFraction: share(t.redundant),
    reliability: n === 0 ? null : t.reliabilitySum / n,
  };
}

/** Assembles the report from per-zone tallies (model order) and per-camera floor-cell counts. */
export function assembleReport(
  facility: Facility, grid: number, targetHeight: number,
  tallies: ReadonlyMap<string, ZoneTally>, cameraCells: ReadonlyMap<string, number>,
): CoverageReport {
  const zones: Record<string, ZoneCoverage> = {};
  const cameras: Record<string, { areaM2: number }> = {};
  let critCells = 0, critSeen = 0, hasCritical = false;
  for (const floor of facility.floors) {
    for (const zone of floor.zones) {
      const t = tallies.get(zone.id);
      if (!t) throw new Error(`Twinspace: coverage: no tally for zone "${zone.id}"`);
      zones[zone.id] = zoneEntry(zone, t, grid);
      if (zone.critical) {
        hasCritical = true;
        critCells += t.cells;
        critSeen += t.seen[zoneRequirement(zone).index]!;
      }
    }
    for (const cam of floor.cameras) cameras[cam.id] = { areaM2: (cameraCells.get(cam.id) ?? 0) * (grid * grid) };
  }
  return {
    grid, targetHeight, zones, cameras,
    criticalRequiredFraction: hasCritical && critCells > 0 ? critSeen / critCells : null,
  };
}
