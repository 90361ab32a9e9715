// Camera coverage, exactly as ../shared/spec/metrics.md §2: the report of
// `twinspace coverage --json`, the drawing layers of the browser, the
// cameras seeing a point, camera availability from events, and the NDAA
// exclusive-area list. The heavy lifting is in coverage-engine.ts; the
// brute-force oracle it must equal bit for bit is coverage-brute.ts.
import type { CoverageLevel, Facility } from '../facility/schema.ts';
import { COVERAGE_LEVELS } from '../facility/schema.ts';
import type { TwinRecord } from '../records.ts';
import { CameraFrame, densityAt, doriLevel, floorSegments, SEG_STRIDE, segmentBlocks } from './coverage-geometry.ts';
import { CoverageEngine, type CameraExclusiveArea, type CoverageGrid } from './coverage-engine.ts';
import { DEFAULT_TARGET_HEIGHT_M, type CoverageOptions, type CoverageReport } from './coverage-report.ts';

export { computeCoverageBrute } from './coverage-brute.ts';
export { CoverageEngine, CELL_ACTIVE, CELL_FLOOR, CELL_OBSTACLE, CELL_ZONE } from './coverage-engine.ts';
export type { CameraContribution, CameraExclusiveArea, CoverageGrid } from './coverage-engine.ts';
export { DORI_PX_PER_M, doriLevel } from './coverage-geometry.ts';
export { DEFAULT_GRID_M, DEFAULT_TARGET_HEIGHT_M } from './coverage-report.ts';
export type { CoverageOptions, CoverageReport, LevelFractions, ZoneCoverage } from './coverage-report.ts';

/** The coverage report of interfaces.md (grid default 0.25 m, target height default 1.5 m, availability default 1). */
export function computeCoverage(facility: Facility, opts?: CoverageOptions): CoverageReport {
  return new CoverageEngine(facility, opts).report();
}

/** Everything the browser draws and the compliance report lists, from one computation. */
export interface CoverageDetail {
  report: CoverageReport;
  /** One drawing layer per floor, model order. */
  grids: CoverageGrid[];
  /** Detection and exclusive detection area of every camera, model order. */
  cameras: CameraExclusiveArea[];
  /** Cameras flagged `ndaaCompliant: false`, with the area only each of them covers. */
  nonCompliantCameras: CameraExclusiveArea[];
}

/** The report plus the per-floor grids and per-camera exclusive areas. */
export function computeCoverageDetail(facility: Facility, opts?: CoverageOptions): CoverageDetail {
  const engine = new CoverageEngine(facility, opts);
  return { report: engine.report(), grids: engine.grids(), cameras: engine.exclusiveAreas(), nonCompliantCameras: engine.nonCompliantCameras() };
}

/**
 * An engine that keeps each camera's contribution, so `updateCamera` (a
 * moved or re-aimed camera), `addCamera` and `removeCamera` re-judge one
 * camera only; its `report()` always equals a fresh computeCoverage.
 */
export function createCoverageEngine(facility: Facility, opts?: CoverageOptions): CoverageEngine {
  return new CoverageEngine(facility, opts);
}

/** A camera that sees a point: its pixel density there (px/m) and DORI level (null below detection). */
export interface CameraSight {
  cameraId: string;
  pixelDensity: number;
  level: CoverageLevel | null;
}

/**
 * The cameras of a floor that have the point (x, y) at `targetHeight` (m,
 * default 1.5) above the slab in view and unblocked, best pixel density first
 * (model order among equals). Cameras seeing it below detection level are
 * listed with level null.
 */
export function camerasSeeingPoint(facility: Facility, floorId: string, x: number, y: number, targetHeight = DEFAULT_TARGET_HEIGHT_M): CameraSight[] {
  const floor = facility.floors.find((f) => f.id === floorId);
  if (!floor) throw new Error(`Twinspace: camerasSeeingPoint: unknown floor "${floorId}"`);
  const segs = floorSegments(floor);
  const nsegs = segs.length / SEG_STRIDE;
  const out: CameraSight[] = [];
  for (const camera of floor.cameras) {
    const f = new CameraFrame(camera);
    const vx = x - f.cx, vy = y - f.cy;
    const d = densityAt(f, vx, vy, targetHeight - f.mountHeight);
    if (d === 0) continue;
    const rho = Math.sqrt(vx * vx + vy * vy);
    let blocked = false;
    for (let s = 0; s < nsegs && !blocked; s++) blocked = segmentBlocks(segs, s * SEG_STRIDE, f.cx, f.cy, vx, vy, rho, f.mountHeight, targetHeight);
    if (blocked) continue;
    const level = doriLevel(d);
    out.push({ cameraId: camera.id, pixelDensity: d, level: level === 0 ? null : COVERAGE_LEVELS[level - 1]! });
  }
  return out.sort((a, b) => b.pixelDensity - a.pixelDensity);
}

/**
 * Availability of each camera over the period [fromMs, toMs): the share of
 * it not between a `camera.offline` and the next `camera.online` of that
 * camera (a camera is online until its first `camera.offline`; one still
 * offline at the end is down to the end). Events are taken in `ts` order,
 * input order among equals; other records are ignored. An empty period gives 1.
 */
export function cameraAvailability(records: Iterable<TwinRecord>, cameraIds: Iterable<string>, fromMs: number, toMs: number): Map<string, number> {
  const downMs = new Map<string, number>();
  for (const id of cameraIds) downMs.set(id, 0);
  const events: { ts: number; offline: boolean; camera: string; seq: number }[] = [];
  let seq = 0;
  for (const r of records) {
    if (!('type' in r) || (r.type !== 'camera.offline' && r.type !== 'camera.online')) continue;
    if (downMs.has(r.camera)) events.push({ ts: r.ts, offline: r.type === 'camera.offline', camera: r.camera, seq: seq++ });
  }
  const span = toMs - fromMs;
  const result = new Map<string, number>();
  if (!(span > 0)) {
    for (const id of downMs.keys()) result.set(id, 1);
    return result;
  }
  events.sort((a, b) => a.ts - b.ts || a.seq - b.seq);
  const downSince = new Map<string, number>();
  const addDown = (camera: string, a: number, b: number) => {
    const lo = Math.max(a, fromMs), hi = Math.min(b, toMs);
    if (hi > lo) downMs.set(camera, downMs.get(camera)! + (hi - lo));
  };
  for (const e of events) {
    const since = downSince.get(e.camera);
    if (e.offline) {
      if (since === undefined) downSince.set(e.camera, e.ts);
    } else if (since !== undefined) {
      addDown(e.camera, since, e.ts);
      downSince.delete(e.camera);
    }
  }
  for (const [camera, since] of downSince) addDown(camera, since, toMs);
  for (const [id, down] of downMs) result.set(id, (span - down) / span);
  return result;
}
