// The fast, exact coverage engine. Each camera is judged on its own and its
// contribution (cells seen, best level on each) is kept, so moving one camera
// re-judges only that camera; tallies are integer counts per cell, and the
// report is always derived from them the same way, so an updated engine and
// a fresh one give the same report bit for bit.
//
// Per camera the work is bounded three ways, each decided with margins far
// above rounding so no cell ever gets a different answer than the brute force:
//  1. footprint: only cells of rows' column ranges that can be in view with
//     D ≥ 25 px/m (the frustum truncated at the detection depth, sliced at
//     the target height) are visited;
//  2. angular index: blocking segments near enough are bucketed by the
//     pseudo-angle range they subtend from the camera, each bucket sorted by
//     distance, so a sight line tries only segments of its own bucket that lie
//     closer than its target;
//  3. shadows: a segment taller than both the camera and the target blocks
//     every sight line that reaches past it, whatever the heights; where one
//     spans a whole bucket, cells of that bucket beyond it are dismissed
//     without any test.
import type { Camera, Facility, Floor } from '../facility/schema.ts';
import {
  CameraFrame, diamondAngle, diamondDirection, floorSegments, gridFrame, scanPolygonRow, SEG_STRIDE,
  segmentBlocks, type GridFrame,
} from './coverage-geometry.ts';
import {
  assembleReport, checkAvailability, resolveCoverageOptions, zoneRequirement,
  type CoverageOptions, type CoverageReport, type ZoneTally,
} from './coverage-report.ts';

/** Cell flag: centre inside the floor outline. */
export const CELL_FLOOR = 1;
/** Cell flag: centre inside at least one zone. */
export const CELL_ZONE = 2;
/** Cell flag: centre inside an obstacle (left out everywhere). */
export const CELL_OBSTACLE = 4;
/** Cell flag: judged (on the floor or in a zone, and not in an obstacle). */
export const CELL_ACTIVE = 8;

/** Cameras per floor the 16-bit per-cell counts can hold. */
export const MAX_CAMERAS_PER_FLOOR = 65_535;

/** Angular buckets around a camera (a power of two, so bucket edges are exact in pseudo-angle). */
const BUCKETS = 2048;
const BUCKET_SCALE = BUCKETS / 4;
const BUCKET_W = 4 / BUCKETS;
/**
 * Margins: pseudo-angle (≈ radians), metres, metres. Each dwarfs the rounding
 * of the quantities it guards (relative 1e-16 of camera-relative lengths) by
 * many orders of magnitude, and costs nothing measurable.
 */
const ANGLE_MARGIN = 1e-5;
const DIST_MARGIN_M = 1e-6;
const HEIGHT_MARGIN_M = 1e-6;
/**
 * Segments closer than this to the camera are tried on every sight line and
 * never cast shadows (a camera on a wall: its angular range is ill-defined).
 */
const NEAR_M = 0.01;

// Unit directions of each bucket's edges widened by the margin (module-level, built once).
const _edgeLo = new Float64Array(BUCKETS * 2);
const _edgeHi = new Float64Array(BUCKETS * 2);
for (let k = 0; k < BUCKETS; k++) {
  const lo = diamondDirection(k * BUCKET_W - ANGLE_MARGIN), hi = diamondDirection((k + 1) * BUCKET_W + ANGLE_MARGIN);
  _edgeLo[2 * k] = lo[0]; _edgeLo[2 * k + 1] = lo[1];
  _edgeHi[2 * k] = hi[0]; _edgeHi[2 * k + 1] = hi[1];
}

/** One camera's contribution: the cells it sees at detection or better, with its level (1..4) on each. */
export interface CameraContribution {
  camera: Camera;
  cells: Int32Array;
  levels: Uint8Array;
}

/** A floor's grid, cell classes and live tallies. */
export interface FloorCoverageState {
  floor: Floor;
  g: GridFrame;
  ncells: number;
  /** CELL_* flags per cell, index j·nx + i. */
  flags: Uint8Array;
  /** Each zone's cells (not in obstacles), ascending, in model order of zones. */
  zoneCells: Int32Array[];
  /** First zone (model order) holding each cell, or −1. */
  zoneOfCell: Int32Array;
  /** Blocking segments (floorSegments). */
  segs: Float64Array;
  /** Cameras seeing each cell at level index 0..3 or better, at 4·cell + index. */
  counts: Uint16Array;
  contributions: CameraContribution[];
}

/** Per-floor coverage layer for drawing (arrays indexed j·nx + i, cell centre (x0 + (i+½)·grid, y0 + (j+½)·grid)). */
export interface CoverageGrid {
  floorId: string;
  x0: number;
  y0: number;
  grid: number;
  nx: number;
  ny: number;
  /** Best DORI level per cell: 0 unseen (or not judged), 1 detection … 4 identification. */
  best: Uint8Array;
  /** Cameras seeing the cell at its zone's required level (detection outside zones). */
  requiredCount: Uint16Array;
  /** Index into zoneIds of the cell's zone (first in model order where zones overlap), −1 for none. */
  zone: Int32Array;
  zoneIds: string[];
  /** CELL_FLOOR | CELL_ZONE | CELL_OBSTACLE | CELL_ACTIVE per cell. */
  flags: Uint8Array;
}

/** A camera's share of the detection coverage, for the NDAA (section 889) report. */
export interface CameraExclusiveArea {
  id: string;
  floorId: string;
  /** Floor area it sees at detection level or better, m². */
  areaM2: number;
  /** Floor area no other camera sees at detection level: lost if it is removed, m². */
  exclusiveAreaM2: number;
}

/** Reusable per-camera work arrays. */
class Scratch {
  outCells = new Int32Array(0);
  outLevels = new Uint8Array(0);
  rowI0 = new Int32Array(0);
  rowI1 = new Int32Array(0);
  candSeg = new Int32Array(0);
  candMin = new Float64Array(0);
  candLo = new Float64Array(0);
  candLen = new Float64Array(0);
  candTall = new Uint8Array(0);
  candRuns = new Int32Array(0);
  near = new Int32Array(0);
  bucketR = new Float64Array(BUCKETS);
  bucketR2 = new Float64Array(BUCKETS);
  bucketStart = new Int32Array(BUCKETS + 1);
  bucketFill = new Int32Array(BUCKETS);
  maxTable = new Float64Array(BUCKETS * (Math.log2(BUCKETS) + 1));
  listSeg = new Int32Array(1024);
  listMin = new Float64Array(1024);

  fit(ncells: number, ny: number, nsegs: number): void {
    if (this.outCells.length < ncells) { this.outCells = new Int32Array(ncells); this.outLevels = new Uint8Array(ncells); }
    if (this.rowI0.length < ny) { this.rowI0 = new Int32Array(ny); this.rowI1 = new Int32Array(ny); }
    if (this.candSeg.length < nsegs) {
      this.candSeg = new Int32Array(nsegs); this.candMin = new Float64Array(nsegs); this.candLo = new Float64Array(nsegs);
      this.candLen = new Float64Array(nsegs); this.candTall = new Uint8Array(nsegs); this.near = new Int32Array(nsegs);
      this.candRuns = new Int32Array(4 * nsegs);
    }
  }

  fitList(n: number): void {
    if (this.listSeg.length < n) {
      const cap = Math.max(n, this.listSeg.length * 2);
      this.listSeg = new Int32Array(cap); this.listMin = new Float64Array(cap);
    }
  }
}

/** Builds a floor's grid, cell classes and zone cell lists (rows scanned once per polygon). */
export function buildFloorState(floor: Floor, grid: number): FloorCoverageState {
  const g = gridFrame(floor.outline, grid, floor.id);
  const ncells = g.nx * g.ny;
  const flags = new Uint8Array(ncells);
  let maxPoly = floor.outline.length;
  for (const o of floor.obstacles) maxPoly = Math.max(maxPoly, o.polygon.length);
  for (const z of floor.zones) maxPoly = Math.max(maxPoly, z.polygon.length);
  const xints = new Float64Array(maxPoly);
  for (let j = 0; j < g.ny; j++) {
    const base = j * g.nx;
    scanPolygonRow(floor.outline, g, j, xints, (i0, i1) => { for (let c = base + i0; c < base + i1; c++) flags[c]! |= CELL_FLOOR; });
    // Even–odd per obstacle, then "inside any obstacle".
    for (const o of floor.obstacles) {
      scanPolygonRow(o.polygon, g, j, xints, (i0, i1) => { for (let c = base + i0; c < base + i1; c++) flags[c]! |= CELL_OBSTACLE; });
    }
  }
  const zoneOfCell = new Int32Array(ncells).fill(-1);
  const scratch = new Int32Array(ncells);
  const zoneCells = floor.zones.map((zone, zi) => {
    let n = 0;
    for (let j = 0; j < g.ny; j++) {
      const base = j * g.nx;
      scanPolygonRow(zone.polygon, g, j, xints, (i0, i1) => {
        for (let c = base + i0; c < base + i1; c++) {
          if (flags[c]! & CELL_OBSTACLE) continue;
          flags[c]! |= CELL_ZONE;
          if (zoneOfCell[c] === -1) zoneOfCell[c] = zi;
          scratch[n++] = c;
        }
      });
    }
    return scratch.slice(0, n);
  });
  for (let c = 0; c < ncells; c++) {
    const f = flags[c]!;
    if ((f & (CELL_FLOOR | CELL_ZONE)) !== 0 && (f & CELL_OBSTACLE) === 0) flags[c] = f | CELL_ACTIVE;
  }
  return {
    floor, g, ncells, flags, zoneCells, zoneOfCell, segs: floorSegments(floor),
    counts: new Uint16Array(ncells * 4), contributions: [],
  };
}

/**
 * Judges every cell of a floor for one camera; fills `sc.outCells/outLevels`
 * and returns how many cells it sees at detection level or better.
 */
function judgeCamera(fs: FloorCoverageState, camera: Camera, th: number, sc: Scratch): number {
  const g = fs.g, { nx, ny, xs, ys, x0 } = g;
  const segs = fs.segs, nsegs = segs.length / SEG_STRIDE;
  sc.fit(fs.ncells, ny, nsegs);
  const f = new CameraFrame(camera);
  const cx = f.cx, cy = f.cy, mh = f.mountHeight, vz = th - mh;
  const flags = fs.flags;

  // 1. Footprint: a·vx + b·vy + c ≤ δ for the six planes of the truncated frustum, per row.
  const zLim = (f.resW / (2 * 25 * f.tanH)) * (1 + 1e-9) + 1e-9;
  const z0 = vz * f.fz, xc = vz * f.rz, yc = vz * f.uz;
  const A = [-f.fx, f.rx - f.tanH * f.fx, -f.rx - f.tanH * f.fx, f.ux - f.tanV * f.fx, -f.ux - f.tanV * f.fx, f.fx];
  const B = [-f.fy, f.ry - f.tanH * f.fy, -f.ry - f.tanH * f.fy, f.uy - f.tanV * f.fy, -f.uy - f.tanV * f.fy, f.fy];
  const C = [-z0, xc - f.tanH * z0, -xc - f.tanH * z0, yc - f.tanV * z0, -yc - f.tanV * z0, z0 - zLim];
  const scale = 1 + Math.max(Math.abs(g.x0), Math.abs(g.y0), Math.abs(g.x0 + nx * g.grid), Math.abs(g.y0 + ny * g.grid), Math.abs(cx), Math.abs(cy), Math.abs(vz));
  const delta = 1e-6 * scale;
  const rowI0 = sc.rowI0, rowI1 = sc.rowI1;
  let rho2Max = -1;
  // The footprint's arc of directions from the camera, relative to the plan heading (pseudo-angle,
  // within (−2, 2)); each row's run subtends the shorter arc between its end cells.
  const ref = diamondAngle(f.fx, f.fy);
  let relMin = Infinity, relMax = -Infinity, isAllAround = !(Math.abs(f.fx) + Math.abs(f.fy) > 1e-9);
  for (let j = 0; j < ny; j++) {
    const vy = ys[j]! - cy;
    let lo = -Infinity, hi = Infinity, empty = false;
    for (let k = 0; k < 6; k++) {
      const a = A[k]!, rhs = delta - B[k]! * vy - C[k]!;
      if (a > 1e-12) { const v = rhs / a; if (v < hi) hi = v; } else if (a < -1e-12) { const v = rhs / a; if (v > lo) lo = v; } else if (rhs < 0) { empty = true; break; }
    }
    let i0 = 0, i1 = nx - 1;
    if (!empty && lo <= hi) {
      if (lo !== -Infinity) i0 = Math.max(0, Math.ceil((cx + lo - x0) / g.grid - 0.5) - 1);
      if (hi !== Infinity) i1 = Math.min(nx - 1, Math.floor((cx + hi - x0) / g.grid - 0.5) + 1);
    } else { i0 = 1; i1 = 0; }
    rowI0[j] = i0; rowI1[j] = i1;
    if (i0 <= i1) {
      const va = xs[i0]! - cx, vb = xs[i1]! - cx;
      const r2 = Math.max(va * va, vb * vb) + vy * vy;
      if (r2 > rho2Max) rho2Max = r2;
      if (!isAllAround) {
        const ra = relativeAngle(diamondAngle(va, vy), ref), rb = relativeAngle(diamondAngle(vb, vy), ref);
        // NaN (a run through the camera) or a run wrapping behind: take every direction.
        if (!(Math.abs(ra - rb) < 2)) isAllAround = true;
        else {
          if (ra < relMin) relMin = ra;
          if (rb < relMin) relMin = rb;
          if (ra > relMax) relMax = ra;
          if (rb > relMax) relMax = rb;
        }
      }
    }
  }
  if (rho2Max < 0) return 0;
  const rhoMax = Math.sqrt(rho2Max) + DIST_MARGIN_M;
  // Buckets that hold cells of the footprint: kf, kf + 1, … kf + nk − 1 (mod BUCKETS), two buckets to spare each side.
  let kf = 0, nk = BUCKETS;
  if (!isAllAround) {
    const first = Math.floor((ref + relMin) / BUCKET_W) - 2, last = Math.floor((ref + relMax) / BUCKET_W) + 2;
    if (last - first + 1 < BUCKETS) { kf = first & (BUCKETS - 1); nk = last - first + 1; }
  }

  // 2. Candidate segments within reach, their pseudo-angle range and distance.
  const { candSeg, candMin, candLo, candLen, candTall, candRuns, near } = sc;
  let ncand = 0, nnear = 0;
  const tallAbove = Math.max(mh, th) + HEIGHT_MARGIN_M;
  for (let s = 0; s < nsegs; s++) {
    const o = s * SEG_STRIDE;
    const ax = segs[o]! - cx, ay = segs[o + 1]! - cy, ex = segs[o + 2]!, ey = segs[o + 3]!;
    let t = -(ax * ex + ay * ey) / (ex * ex + ey * ey);
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    const px = ax + t * ex, py = ay + t * ey;
    const dist = Math.sqrt(px * px + py * py);
    if (dist > rhoMax) continue;
    if (dist < NEAR_M) { near[nnear++] = s; continue; }
    const pa = diamondAngle(ax, ay), pb = diamondAngle(ax + ex, ay + ey);
    // A segment clear of the camera subtends less than half a turn: take the shorter arc.
    let len = pb - pa;
    if (len < 0) len += 4;
    let lo = pa;
    if (len > 2) { lo = pb; len = 4 - len; }
    // The buckets it may meet, clipped to the footprint's: up to two runs of unwrapped bucket numbers.
    const pieces = clipToFootprint(Math.floor((lo - ANGLE_MARGIN) / BUCKET_W), Math.floor((lo + len + ANGLE_MARGIN) / BUCKET_W), kf, nk, candRuns, 4 * ncand);
    if (pieces === 0) continue;
    candSeg[ncand] = s; candMin[ncand] = dist; candLo[ncand] = lo; candLen[ncand] = len;
    candTall[ncand] = segs[o + 4]! > tallAbove ? 1 : 0;
    ncand++;
  }

  // 3. Shadows: per bucket, the nearest distance beyond which a tall segment spanning it blocks all.
  const { bucketR, bucketR2, bucketStart, bucketFill } = sc;
  bucketR.fill(Infinity); bucketR2.fill(Infinity);
  for (let q = 0; q < ncand; q++) {
    if (!candTall[q]) continue;
    const lo = candLo[q]!, hi = lo + candLen[q]!;
    const o = candSeg[q]! * SEG_STRIDE;
    const wx = segs[o]! - cx, wy = segs[o + 1]! - cy, ex = segs[o + 2]!, ey = segs[o + 3]!;
    const num = wx * ey - wy * ex;
    for (let r = 4 * q; r < 4 * q + 4; r += 2) for (let k = candRuns[r]!, kEnd = candRuns[r + 1]!; k <= kEnd; k++) {
      if (k * BUCKET_W - ANGLE_MARGIN < lo || (k + 1) * BUCKET_W + ANGLE_MARGIN > hi) continue;
      const kk = k & (BUCKETS - 1);
      const t0 = num / (_edgeLo[2 * kk]! * ey - _edgeLo[2 * kk + 1]! * ex);
      const t1 = num / (_edgeHi[2 * kk]! * ey - _edgeHi[2 * kk + 1]! * ex);
      if (!(t0 > 0 && t1 > 0 && t0 < Infinity && t1 < Infinity)) continue;
      const r = Math.max(t0, t1) * (1 + 1e-9) + DIST_MARGIN_M;
      if (r < bucketR[kk]!) { bucketR[kk] = r; bucketR2[kk] = r * r; }
    }
  }

  // 4. Bucket lists (CSR), each in ascending distance; segments past a bucket's shadow are left out.
  const order = Array.from({ length: ncand }, (_, q) => q).sort((p, q) => candMin[p]! - candMin[q]!);
  bucketStart.fill(0);
  let total = 0;
  for (const q of order) {
    const d = candMin[q]!;
    for (let r = 4 * q; r < 4 * q + 4; r += 2) for (let k = candRuns[r]!, kEnd = candRuns[r + 1]!; k <= kEnd; k++) {
      const kk = k & (BUCKETS - 1);
      if (d <= bucketR[kk]!) { bucketStart[kk + 1]!++; total++; }
    }
  }
  for (let k = 0; k < BUCKETS; k++) bucketStart[k + 1]! += bucketStart[k]!;
  sc.fitList(total);
  const listSeg = sc.listSeg, listMin = sc.listMin;
  bucketFill.set(bucketStart.subarray(0, BUCKETS));
  for (const q of order) {
    const d = candMin[q]!, s = candSeg[q]!;
    for (let r = 4 * q; r < 4 * q + 4; r += 2) for (let k = candRuns[r]!, kEnd = candRuns[r + 1]!; k <= kEnd; k++) {
      const kk = k & (BUCKETS - 1);
      if (d <= bucketR[kk]!) { const p = bucketFill[kk]!++; listSeg[p] = s * SEG_STRIDE; listMin[p] = d; }
    }
  }

  // 5. The cells, in runs of CHUNK columns; a run whose nearest cell lies beyond the shadow of every
  // bucket it spans is dismissed whole (the same test as per cell, taken over its bounds).
  const maxTable = sc.maxTable;
  buildMaxTable(bucketR2, maxTable);
  const outCells = sc.outCells, outLevels = sc.outLevels;
  const { fx, fy, rx, ry, ux, uy, tanH, tanV, resW } = f;
  const zC = vz * f.fz, xC = vz * f.rz, yC = vz * f.uz;
  let n = 0;
  for (let j = 0; j < ny; j++) {
    const i0 = rowI0[j]!, i1 = rowI1[j]!;
    if (i0 > i1) continue;
    const vy = ys[j]! - cy, vy2 = vy * vy, base = j * nx;
    const zRow = vy * fy, xRow = vy * ry, yRow = vy * uy;
    for (let a = i0; a <= i1; a += CHUNK) {
      const b = a + CHUNK - 1 < i1 ? a + CHUNK - 1 : i1;
      const vxa = xs[a]! - cx, vxb = xs[b]! - cx;
      // A run clear of every segment (none near the camera, none listed in its buckets) needs only the view test.
      let isClear = false;
      if (vxa > 0 || vxb < 0) {
        const near1 = vxa > 0 ? vxa : vxb;
        const ka = bucketOf(vxa, vy), kb = bucketOf(vxb, vy);
        const d = (kb - ka) & (BUCKETS - 1);
        const lo = d <= BUCKETS / 2 ? ka - 1 : kb - 1, hi = d <= BUCKETS / 2 ? ka + d + 1 : kb + (BUCKETS - d) + 1;
        if (near1 * near1 + vy2 > rangeMax(maxTable, lo, hi)) continue;
        isClear = nnear === 0 && listCount(bucketStart, lo, hi) === 0;
      }
      for (let i = a; i <= b; i++) {
        const c = base + i;
        if ((flags[c]! & CELL_ACTIVE) === 0) continue;
        const vx = xs[i]! - cx;
        const rho2 = vx * vx + vy2;
        let k = 0;
        if (!isClear) {
          k = bucketOf(vx, vy);
          if (rho2 > bucketR2[k]!) continue;
        }
        // densityAt and doriLevel inlined, term for term (the same products summed in the same order).
        const z = vx * fx + zRow + zC;
        if (!(z > 0)) continue;
        const x = vx * rx + xRow + xC;
        if (Math.abs(x) > z * tanH) continue;
        const y = vx * ux + yRow + yC;
        if (Math.abs(y) > z * tanV) continue;
        const px = resW / (2 * z * tanH);
        const level = px >= 250 ? 4 : px >= 125 ? 3 : px >= 62.5 ? 2 : px >= 25 ? 1 : 0;
        if (level === 0) continue;
        if (!isClear && isBlocked(segs, near, nnear, listSeg, listMin, bucketStart[k]!, bucketStart[k + 1]!, cx, cy, vx, vy, Math.sqrt(rho2), mh, th)) continue;
        outCells[n] = c; outLevels[n] = level; n++;
      }
    }
  }
  return n;
}

/** True when a segment near the camera, or one of the bucket's list p0..p1 closer than rho, blocks the sight line. */
function isBlocked(
  segs: Float64Array, near: Int32Array, nnear: number, listSeg: Int32Array, listMin: Float64Array, p0: number, p1: number,
  cx: number, cy: number, vx: number, vy: number, rho: number, mh: number, th: number,
): boolean {
  for (let q = 0; q < nnear; q++) if (segmentBlocks(segs, near[q]! * SEG_STRIDE, cx, cy, vx, vy, rho, mh, th)) return true;
  const reach = rho + DIST_MARGIN_M;
  for (let p = p0; p < p1; p++) {
    if (listMin[p]! > reach) return false;
    if (segmentBlocks(segs, listSeg[p]!, cx, cy, vx, vy, rho, mh, th)) return true;
  }
  return false;
}

/** Number of list entries in buckets lo..hi (unwrapped, lo ≤ hi), from the CSR starts. */
function listCount(start: Int32Array, lo: number, hi: number): number {
  if (hi - lo + 1 >= BUCKETS) return start[BUCKETS]!;
  const a = lo & (BUCKETS - 1), b = hi & (BUCKETS - 1);
  return a <= b ? start[b + 1]! - start[a]! : start[BUCKETS]! - start[a]! + start[b + 1]!;
}

/** `p − ref` taken into [−2, 2) (pseudo-angle units). */
function relativeAngle(p: number, ref: number): number {
  let r = p - ref;
  if (r >= 2) r -= 4; else if (r < -2) r += 4;
  return r;
}

/**
 * Writes to out[o..o+3] the parts of the unwrapped bucket run k0..k1 (shorter
 * than BUCKETS) that fall in the footprint's buckets kf .. kf + nk − 1 (mod
 * BUCKETS), as two runs [a, b] in the same unwrapped numbering (an empty run
 * is [1, 0]); returns how many are non-empty.
 */
function clipToFootprint(k0: number, k1: number, kf: number, nk: number, out: Int32Array, o: number): number {
  const span = k1 - k0, r0 = (k0 - kf) & (BUCKETS - 1);
  let n = 0;
  const b1 = Math.min(r0 + span, nk - 1);
  if (r0 <= b1) { out[o] = k0; out[o + 1] = k0 + (b1 - r0); n++; } else { out[o] = 1; out[o + 1] = 0; }
  const b2 = Math.min(r0 + span - BUCKETS, nk - 1);
  if (b2 >= 0) { out[o + 2] = k0 + (BUCKETS - r0); out[o + 3] = k0 + (b2 + BUCKETS - r0); n++; } else { out[o + 2] = 1; out[o + 3] = 0; }
  return n;
}

/** Columns per run of the chunked shadow test. */
const CHUNK = 16;
const TABLE_LEVELS = Math.log2(BUCKETS) + 1;

/** Bucket of the direction (vx, vy); the camera's own position (NaN angle) goes to bucket 0. */
function bucketOf(vx: number, vy: number): number {
  const k = (diamondAngle(vx, vy) * BUCKET_SCALE) | 0;
  return k >= BUCKETS ? BUCKETS - 1 : k;
}

/** Sparse table of range maxima: level L holds max(v[k .. k + 2^L − 1]). */
function buildMaxTable(v: Float64Array, t: Float64Array): void {
  t.set(v);
  for (let L = 1, half = 1; L < TABLE_LEVELS; L++, half *= 2) {
    const o = L * BUCKETS, p = (L - 1) * BUCKETS;
    for (let k = 0; k + 2 * half <= BUCKETS; k++) {
      const x = t[p + k]!, y = t[p + k + half]!;
      t[o + k] = x > y ? x : y;
    }
  }
}

/** Maximum over buckets lo..hi (unwrapped, lo ≤ hi, either may fall outside 0..BUCKETS−1). */
function rangeMax(t: Float64Array, lo: number, hi: number): number {
  if (hi - lo + 1 >= BUCKETS) return rangeMaxIn(t, 0, BUCKETS - 1);
  const a = lo & (BUCKETS - 1), b = hi & (BUCKETS - 1);
  if (a <= b) return rangeMaxIn(t, a, b);
  const x = rangeMaxIn(t, a, BUCKETS - 1), y = rangeMaxIn(t, 0, b);
  return x > y ? x : y;
}

function rangeMaxIn(t: Float64Array, a: number, b: number): number {
  const L = 31 - Math.clz32(b - a + 1);
  const x = t[L * BUCKETS + a]!, y = t[L * BUCKETS + b - (1 << L) + 1]!;
  return x > y ? x : y;
}

/** Live, exact coverage of a facility; cameras can be moved, added and removed. */
export class CoverageEngine {
  readonly grid: number;
  readonly targetHeight: number;
  private facility: Facility;
  private availability: Map<string, number>;
  private readonly floors: FloorCoverageState[];
  private readonly floorById = new Map<string, FloorCoverageState>();
  private readonly byCamera = new Map<string, { fs: FloorCoverageState; contribution: CameraContribution }>();
  private readonly scratch = new Scratch();

  constructor(facility: Facility, opts?: CoverageOptions) {
    const o = resolveCoverageOptions(opts);
    this.grid = o.grid;
    this.targetHeight = o.targetHeight;
    this.availability = new Map(o.availability);
    this.facility = facility;
    this.floors = facility.floors.map((floor) => buildFloorState(floor, this.grid));
    const total = facility.floors.reduce((n, f) => n + f.cameras.length, 0);
    let done = 0;
    o.onProgress?.(0, total);
    for (const fs of this.floors) {
      this.floorById.set(fs.floor.id, fs);
      checkCameraRoom(fs, fs.floor.cameras.length);
      for (const cam of fs.floor.cameras) {
        const contribution = this.judge(fs, cam);
        fs.contributions.push(contribution);
        this.byCamera.set(cam.id, { fs, contribution });
        applyContribution(fs.counts, contribution, 1);
        o.onProgress?.(++done, total);
      }
    }
  }

  /** The facility as the engine now judges it (cameras moved, added or removed). */
  get currentFacility(): Facility {
    return this.facility;
  }

  /** Re-judges one camera, matched by id on its floor (it may move, turn or change optics; not floors). */
  updateCamera(camera: Camera): void {
    const entry = this.byCamera.get(camera.id);
    if (!entry) throw new Error(`Twinspace: coverage updateCamera: unknown camera "${camera.id}"; use addCamera for a new one`);
    const { fs } = entry;
    applyContribution(fs.counts, entry.contribution, -1);
    const contribution = this.judge(fs, camera);
    applyContribution(fs.counts, contribution, 1);
    fs.contributions[fs.contributions.indexOf(entry.contribution)] = contribution;
    entry.contribution = contribution;
    this.replaceCameras(fs, fs.floor.cameras.map((c) => (c.id === camera.id ? camera : c)));
  }

  /** Adds a camera at the end of a floor's camera list. */
  addCamera(floorId: string, camera: Camera): void {
    const fs = this.floorById.get(floorId);
    if (!fs) throw new Error(`Twinspace: coverage addCamera: unknown floor "${floorId}"`);
    if (this.byCamera.has(camera.id)) throw new Error(`Twinspace: coverage addCamera: camera "${camera.id}" exists; use updateCamera`);
    checkCameraRoom(fs, fs.contributions.length + 1);
    const contribution = this.judge(fs, camera);
    applyContribution(fs.counts, contribution, 1);
    fs.contributions.push(contribution);
    this.byCamera.set(camera.id, { fs, contribution });
    this.replaceCameras(fs, [...fs.floor.cameras, camera]);
  }

  /** Removes a camera. */
  removeCamera(id: string): void {
    const entry = this.byCamera.get(id);
    if (!entry) throw new Error(`Twinspace: coverage removeCamera: unknown camera "${id}"`);
    const { fs } = entry;
    applyContribution(fs.counts, entry.contribution, -1);
    fs.contributions.splice(fs.contributions.indexOf(entry.contribution), 1);
    this.byCamera.delete(id);
    this.replaceCameras(fs, fs.floor.cameras.filter((c) => c.id !== id));
  }

  /** Replaces the availabilities (missing cameras count 1). */
  setAvailability(availability: ReadonlyMap<string, number>): void {
    for (const [id, a] of availability) checkAvailability(id, a);
    this.availability = new Map(availability);
  }

  /** The report of interfaces.md, from the current tallies. */
  report(): CoverageReport {
    const tallies = new Map<string, ZoneTally>();
    const cameraCells = new Map<string, number>();
    for (const fs of this.floors) {
      this.tallyFloor(fs, tallies);
      for (const con of fs.contributions) {
        let n = 0;
        for (const c of con.cells) if (fs.flags[c]! & CELL_FLOOR) n++;
        cameraCells.set(con.camera.id, n);
      }
    }
    return assembleReport(this.facility, this.grid, this.targetHeight, tallies, cameraCells);
  }

  /** The per-floor layers for drawing; fresh arrays, safe to transfer out of a worker. */
  grids(): CoverageGrid[] {
    return this.floors.map((fs) => {
      const { ncells, counts, zoneOfCell } = fs;
      const best = new Uint8Array(ncells), requiredCount = new Uint16Array(ncells);
      const reqOfZone = fs.floor.zones.map((z) => zoneRequirement(z).index);
      for (let c = 0; c < ncells; c++) {
        const b = 4 * c;
        best[c] = counts[b + 3]! > 0 ? 4 : counts[b + 2]! > 0 ? 3 : counts[b + 1]! > 0 ? 2 : counts[b]! > 0 ? 1 : 0;
        const z = zoneOfCell[c]!;
        requiredCount[c] = counts[b + (z >= 0 ? reqOfZone[z]! : 0)]!;
      }
      return {
        floorId: fs.floor.id, x0: fs.g.x0, y0: fs.g.y0, grid: fs.g.grid, nx: fs.g.nx, ny: fs.g.ny,
        best, requiredCount, zone: zoneOfCell.slice(), zoneIds: fs.floor.zones.map((z) => z.id), flags: fs.flags.slice(),
      };
    });
  }

  /** Detection area and exclusive detection area of every camera, model order. */
  exclusiveAreas(): CameraExclusiveArea[] {
    const cell = this.grid * this.grid;
    const out: CameraExclusiveArea[] = [];
    for (const fs of this.floors) {
      for (const con of fs.contributions) {
        let n = 0, only = 0;
        for (const c of con.cells) {
          if ((fs.flags[c]! & CELL_FLOOR) === 0) continue;
          n++;
          if (fs.counts[4 * c] === 1) only++;
        }
        out.push({ id: con.camera.id, floorId: fs.floor.id, areaM2: n * cell, exclusiveAreaM2: only * cell });
      }
    }
    return out;
  }

  /** Cameras flagged `ndaaCompliant: false`, with the area only they cover. */
  nonCompliantCameras(): CameraExclusiveArea[] {
    const flagged = new Set<string>();
    for (const floor of this.facility.floors) for (const c of floor.cameras) if (c.ndaaCompliant === false) flagged.add(c.id);
    return this.exclusiveAreas().filter((e) => flagged.has(e.id));
  }

  /** The cells one camera sees and its level on each (shared arrays: do not modify). */
  contributionOf(cameraId: string): CameraContribution | undefined {
    return this.byCamera.get(cameraId)?.contribution;
  }

  private judge(fs: FloorCoverageState, camera: Camera): CameraContribution {
    const n = judgeCamera(fs, camera, this.targetHeight, this.scratch);
    return { camera, cells: this.scratch.outCells.slice(0, n), levels: this.scratch.outLevels.slice(0, n) };
  }

  private replaceCameras(fs: FloorCoverageState, cameras: Camera[]): void {
    const floor: Floor = { ...fs.floor, cameras };
    this.facility = { ...this.facility, floors: this.facility.floors.map((f) => (f === fs.floor ? floor : f)) };
    fs.floor = floor;
  }

  private tallyFloor(fs: FloorCoverageState, tallies: Map<string, ZoneTally>): void {
    const { counts, zoneCells } = fs;
    const zones = fs.floor.zones;
    const reqs = zones.map((z) => zoneRequirement(z).index);
    // Reliability needs products only where a camera is less than always available.
    const partial = fs.contributions
      .map((con) => ({ con, miss: 1 - (this.availability.get(con.camera.id) ?? 1) }))
      .filter((p) => p.miss > 0);
    const products = new Map<number, { prod: Float64Array; seenBy: Uint16Array }>();
    if (partial.length > 0) {
      for (const req of new Set(reqs)) {
        const prod = new Float64Array(fs.ncells).fill(1), seenBy = new Uint16Array(fs.ncells);
        for (const { con, miss } of partial) {
          const { cells, levels } = con;
          for (let q = 0; q < cells.length; q++) {
            if (levels[q]! > req) { const c = cells[q]!; prod[c]! *= miss; seenBy[c]!++; }
          }
        }
        products.set(req, { prod, seenBy });
      }
    }
    zones.forEach((zone, zi) => {
      const cells = zoneCells[zi]!, req = reqs[zi]!;
      const seen: [number, number, number, number] = [0, 0, 0, 0];
      let redundant = 0;
      for (let q = 0; q < cells.length; q++) {
        const b = 4 * cells[q]!;
        if (counts[b]! > 0) {
          seen[0]++;
          if (counts[b + 1]! > 0) {
            seen[1]++;
            if (counts[b + 2]! > 0) { seen[2]++; if (counts[b + 3]! > 0) seen[3]++; }
          }
        }
        if (counts[b + req]! >= 2) redundant++;
      }
      let reliabilitySum: number;
      const p = products.get(req);
      if (!p) {
        reliabilitySum = seen[req]!; // every term is exactly 1 or 0
      } else {
        reliabilitySum = 0;
        for (let q = 0; q < cells.length; q++) {
          const c = cells[q]!;
          const all = counts[4 * c + req]!, some = p.seenBy[c]!;
          // A fully available camera makes the product 0; otherwise the product of the others' misses.
          reliabilitySum += all > some ? 1 : some > 0 ? 1 - p.prod[c]! : 0;
        }
      }
      tallies.set(zone.id, { cells: cells.length, seen, redundant, reliabilitySum });
    });
  }
}

function checkCameraRoom(fs: FloorCoverageState, cameras: number): void {
  if (cameras > MAX_CAMERAS_PER_FLOOR) {
    throw new Error(`Twinspace: coverage of floor "${fs.floor.id}": ${cameras} cameras, at most ${MAX_CAMERAS_PER_FLOOR} (16-bit per-cell counts)`);
  }
}

function applyContribution(counts: Uint16Array, con: CameraContribution, sign: 1 | -1): void {
  const { cells, levels } = con;
  for (let q = 0; q < cells.length; q++) {
    const b = 4 * cells[q]!, lev = levels[q]!;
    for (let k = 0; k < lev; k++) counts[b + k]! += sign;
  }
}
