// The exact predicates of camera coverage (../shared/spec/metrics.md §2):
// the cell grid, the pinhole camera, DORI levels and occlusion by walls and
// obstacles. The fast engine and the brute-force oracle both decide every
// cell through these functions, with the same floating-point expressions in
// the same order, so the two agree bit for bit; the engine only skips work
// whose outcome is certain by a wide margin.
import type { Camera, Floor, Polygon } from '../facility/schema.ts';

/** Pixel densities of the DORI levels (IEC 62676-4), px/m, in level order 1..4. */
export const DORI_PX_PER_M = [25, 62.5, 125, 250] as const;

/**
 * A sight line that meets a wall or obstacle edge within this distance of the
 * camera's plan position meets it "at the camera" and does not count, m.
 * NOTE: not exactly 0: a camera placed on a sloping wall's centre line sits on
 * it only up to rounding, and must still not be blocked by it.
 */
export const AT_CAMERA_EPS_M = 1e-9;

/** Numbers per blocking segment in a floor's segment array: ax, ay, ex, ey, height (e = to − from). */
export const SEG_STRIDE = 5;

/** DORI level of a pixel density: 0 below detection, 1 detection … 4 identification (D ≥ threshold). */
export function doriLevel(pxPerM: number): number {
  return pxPerM >= 250 ? 4 : pxPerM >= 125 ? 3 : pxPerM >= 62.5 ? 2 : pxPerM >= 25 ? 1 : 0;
}

/** A camera's pinhole frame, built once: metrics.md §2 "Camera model". */
export class CameraFrame {
  readonly cx: number;
  readonly cy: number;
  readonly mountHeight: number;
  readonly fx: number; readonly fy: number; readonly fz: number;
  readonly rx: number; readonly ry: number; readonly rz: number;
  readonly ux: number; readonly uy: number; readonly uz: number;
  /** tan(hfov/2), tan(vfov/2). */
  readonly tanH: number;
  readonly tanV: number;
  readonly resW: number;

  constructor(camera: Camera) {
    const psi = (camera.yaw * Math.PI) / 180;
    const theta = (camera.tilt * Math.PI) / 180;
    this.cx = camera.position[0];
    this.cy = camera.position[1];
    this.mountHeight = camera.mountHeight;
    this.fx = Math.cos(theta) * Math.cos(psi);
    this.fy = Math.cos(theta) * Math.sin(psi);
    this.fz = -Math.sin(theta);
    this.rx = Math.sin(psi);
    this.ry = -Math.cos(psi);
    this.rz = 0;
    // u = r × f, literally: at tilt 90 f is (≈0, ≈0, −1) and u stays well defined
    // because r does not depend on the tilt.
    this.ux = this.ry * this.fz - this.rz * this.fy;
    this.uy = this.rz * this.fx - this.rx * this.fz;
    this.uz = this.rx * this.fy - this.ry * this.fx;
    this.tanH = Math.tan((camera.hfov * Math.PI) / 360);
    this.tanV = Math.tan((camera.vfov * Math.PI) / 360);
    this.resW = camera.resolution[0];
  }
}

/**
 * Pixel density D (px/m) of the point C + v, or 0 when it is not in view
 * (z > 0, |x| ≤ z·tan(hfov/2), |y| ≤ z·tan(vfov/2)).
 */
export function densityAt(f: CameraFrame, vx: number, vy: number, vz: number): number {
  const z = vx * f.fx + vy * f.fy + vz * f.fz;
  if (!(z > 0)) return 0;
  const x = vx * f.rx + vy * f.ry + vz * f.rz;
  if (Math.abs(x) > z * f.tanH) return 0;
  const y = vx * f.ux + vy * f.uy + vz * f.uz;
  if (Math.abs(y) > z * f.tanV) return 0;
  return f.resW / (2 * z * f.tanH);
}

/**
 * True when segment `o` of `segs` blocks the sight line from the camera at
 * plan (cx, cy), height mh, to the point at plan (cx + dx, cy + dy), height th:
 * the plan projection meets the segment (end points included) at a point
 * other than the camera's own plan position where the sight line is below
 * the segment's height. `rho` is hypot(dx, dy), computed by the caller as
 * `Math.sqrt(dx * dx + dy * dy)`.
 */
export function segmentBlocks(
  segs: Float64Array, o: number,
  cx: number, cy: number, dx: number, dy: number, rho: number, mh: number, th: number,
): boolean {
  if (dx === 0 && dy === 0) return false; // a vertical sight line meets walls only at the camera
  const ax = segs[o]!, ay = segs[o + 1]!, ex = segs[o + 2]!, ey = segs[o + 3]!, height = segs[o + 4]!;
  const wx = ax - cx, wy = ay - cy;
  const denom = dx * ey - dy * ex;
  if (denom !== 0) {
    const s = (wx * ey - wy * ex) / denom;
    if (s < 0 || s > 1) return false;
    const t = (wx * dy - wy * dx) / denom;
    if (t < 0 || t > 1) return false;
    if (s * rho <= AT_CAMERA_EPS_M) return false;
    return mh + s * (th - mh) < height;
  }
  if (wx * dy - wy * dx !== 0) return false; // parallel, apart
  // Collinear: the meeting is an interval of the sight line; the height is
  // linear along it, so it dips below the wall iff it does at an end.
  const dd = dx * dx + dy * dy;
  const sa = (wx * dx + wy * dy) / dd;
  const sb = ((wx + ex) * dx + (wy + ey) * dy) / dd;
  const lo = Math.max(0, Math.min(sa, sb)), hi = Math.min(1, Math.max(sa, sb));
  if (lo > hi || hi * rho <= AT_CAMERA_EPS_M) return false;
  return mh + lo * (th - mh) < height || mh + hi * (th - mh) < height;
}

/**
 * A floor's blocking segments: its walls (height defaulting to the floor's),
 * then every obstacle edge with the obstacle's height. NOTE: an obstacle's
 * outline is judged like walls, so a sight line that touches it (a corner,
 * or running along an edge) below its top is blocked: "crosses" in §2 is
 * read as "meets", the same closed rule as for walls.
 */
export function floorSegments(floor: Floor): Float64Array {
  let n = floor.walls.length;
  for (const ob of floor.obstacles) n += ob.polygon.length;
  const segs = new Float64Array(n * SEG_STRIDE);
  let o = 0;
  const put = (ax: number, ay: number, bx: number, by: number, h: number) => {
    segs[o] = ax; segs[o + 1] = ay; segs[o + 2] = bx - ax; segs[o + 3] = by - ay; segs[o + 4] = h;
    o += SEG_STRIDE;
  };
  for (const w of floor.walls) put(w.from[0], w.from[1], w.to[0], w.to[1], w.height ?? floor.height);
  for (const ob of floor.obstacles) {
    const p = ob.polygon;
    for (let i = 0; i < p.length; i++) {
      const a = p[i]!, b = p[(i + 1) % p.length]!;
      put(a[0], a[1], b[0], b[1], ob.height);
    }
  }
  return segs;
}

/** The cell grid of a floor: origin at the outline's bounding-box minimum, `nx × ny` cells of side `grid`. */
export interface GridFrame {
  x0: number;
  y0: number;
  grid: number;
  nx: number;
  ny: number;
  /** Cell centre x of column i: `x0 + (i + 0.5) · grid`. */
  xs: Float64Array;
  /** Cell centre y of row j: `y0 + (j + 0.5) · grid`. */
  ys: Float64Array;
}

/** Upper bound on cells per floor; beyond it the grid is refused rather than exhausting memory. */
export const MAX_CELLS_PER_FLOOR = 64_000_000;

/** Lays the grid of metrics.md §2 over a floor outline. */
export function gridFrame(outline: Polygon, grid: number, floorId: string): GridFrame {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const p of outline) {
    if (p[0] < x0) x0 = p[0];
    if (p[1] < y0) y0 = p[1];
    if (p[0] > x1) x1 = p[0];
    if (p[1] > y1) y1 = p[1];
  }
  // Every centre inside the outline has (i + ½)·grid < width; one spare column is harmless (outside).
  const nx = Math.max(1, Math.ceil((x1 - x0) / grid));
  const ny = Math.max(1, Math.ceil((y1 - y0) / grid));
  if (nx * ny > MAX_CELLS_PER_FLOOR) {
    throw new Error(`Twinspace: coverage of floor "${floorId}": ${nx} × ${ny} cells at grid ${grid} m is too many; use a coarser grid`);
  }
  const xs = new Float64Array(nx), ys = new Float64Array(ny);
  for (let i = 0; i < nx; i++) xs[i] = x0 + (i + 0.5) * grid;
  for (let j = 0; j < ny; j++) ys[j] = y0 + (j + 0.5) * grid;
  return { x0, y0, grid, nx, ny, xs, ys };
}

/**
 * Calls `fill(i0, i1)` for each run of columns [i0, i1) of row j whose
 * centres lie inside `poly`, deciding exactly as geometry.ts pointInPolygon
 * does (same crossing expression, even–odd count), in one pass per row.
 */
export function scanPolygonRow(poly: Polygon, g: GridFrame, j: number, xints: Float64Array, fill: (i0: number, i1: number) => void): void {
  const y = g.ys[j]!;
  let m = 0;
  for (let i = 0, n = poly.length, k = n - 1; i < n; k = i++) {
    const xi = poly[i]![0], yi = poly[i]![1];
    const xk = poly[k]![0], yk = poly[k]![1];
    if ((yi > y) !== (yk > y)) xints[m++] = ((xk - xi) * (y - yi)) / (yk - yi) + xi;
  }
  if (m === 0) return;
  const sorted = xints.subarray(0, m).sort();
  // pointInPolygon counts crossings with x < xint: a centre is inside when an
  // odd number of crossings lie strictly to its right, i.e. x ∈ [X0, X1) ∪ [X2, X3) …
  for (let k = 0; k + 1 < m; k += 2) {
    const i0 = firstColumnAtOrRight(g, sorted[k]!), i1 = firstColumnAtOrRight(g, sorted[k + 1]!);
    if (i1 > i0) fill(i0, i1);
  }
}

/** The first column whose centre x is ≥ x (nx when none). */
function firstColumnAtOrRight(g: GridFrame, x: number): number {
  const { xs, nx } = g;
  let i = Math.ceil((x - g.x0) / g.grid - 0.5);
  if (!(i >= 0)) i = 0;
  if (i > nx) i = nx;
  while (i > 0 && xs[i - 1]! >= x) i--;
  while (i < nx && xs[i]! < x) i++;
  return i;
}

/** Pseudo-angle of direction (x, y) in [0, 4): monotone in the true angle, no trigonometry. */
export function diamondAngle(x: number, y: number): number {
  if (y >= 0) return x >= 0 ? y / (x + y) : 1 - x / (-x + y);
  return x < 0 ? 2 - y / (-x - y) : 3 + x / (x - y);
}

/** A unit direction whose pseudo-angle is p (taken modulo 4). */
export function diamondDirection(p: number): [number, number] {
  const q = ((p % 4) + 4) % 4;
  let x: number, y: number;
  if (q < 1) { x = 1 - q; y = q; } else if (q < 2) { x = 1 - q; y = 2 - q; } else if (q < 3) { x = q - 3; y = 2 - q; } else { x = q - 3; y = q - 4; }
  const len = Math.hypot(x, y);
  return [x / len, y / len];
}
