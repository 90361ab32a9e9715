// Plan geometry in metres: x east, y north (facility-format.md, Conventions).
// Pure and allocation-light: used by validation, metrics and the scene.

/** A plan point `[x, y]` in metres. */
export type Vec2 = readonly [number, number];
/** A polygon as its vertices, without a repeated closing point. */
export type Polygon = readonly Vec2[];

/** Tolerance for "on the boundary" tests, in metres. */
export const GEOMETRY_EPS_M = 1e-9;

/** Signed area (positive when counter-clockwise), shoelace formula, m². */
export function signedArea(poly: Polygon): number {
  let s = 0;
  for (let i = 0, n = poly.length; i < n; i++) {
    const a = poly[i]!;
    const b = poly[(i + 1) % n]!;
    s += a[0] * b[1] - b[0] * a[1];
  }
  return s / 2;
}

/** Area of a simple polygon, m². */
export function polygonArea(poly: Polygon): number {
  return Math.abs(signedArea(poly));
}

/** Area-weighted centroid of a simple polygon (vertex mean when degenerate). */
export function polygonCentroid(poly: Polygon): Vec2 {
  let a = 0, cx = 0, cy = 0;
  for (let i = 0, n = poly.length; i < n; i++) {
    const p = poly[i]!;
    const q = poly[(i + 1) % n]!;
    const cross = p[0] * q[1] - q[0] * p[1];
    a += cross;
    cx += (p[0] + q[0]) * cross;
    cy += (p[1] + q[1]) * cross;
  }
  if (Math.abs(a) < GEOMETRY_EPS_M) {
    let sx = 0, sy = 0;
    for (const p of poly) { sx += p[0]; sy += p[1]; }
    return [sx / poly.length, sy / poly.length];
  }
  return [cx / (3 * a), cy / (3 * a)];
}

/** Axis-aligned bounds `{minX, minY, maxX, maxY}` of a point set. */
export interface Bounds { minX: number; minY: number; maxX: number; maxY: number }

export function bounds(points: Iterable<Vec2>): Bounds {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const p of points) {
    if (p[0] < minX) minX = p[0];
    if (p[1] < minY) minY = p[1];
    if (p[0] > maxX) maxX = p[0];
    if (p[1] > maxY) maxY = p[1];
  }
  return { minX, minY, maxX, maxY };
}

/**
 * Even–odd point-in-polygon test (metrics.md §2). Points exactly on an edge
 * fall on one side or the other consistently (half-open crossing rule), so a
 * grid of cell centres is partitioned without double counting.
 */
export function pointInPolygon(x: number, y: number, poly: Polygon): boolean {
  let inside = false;
  for (let i = 0, n = poly.length, j = n - 1; i < n; j = i++) {
    const xi = poly[i]![0], yi = poly[i]![1];
    const xj = poly[j]![0], yj = poly[j]![1];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Distance from point p to segment ab, m. */
export function pointSegmentDistance(p: Vec2, a: Vec2, b: Vec2): number {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2;
  t = Math.max(0, Math.min(1, t));
  const x = a[0] + t * dx - p[0], y = a[1] + t * dy - p[1];
  return Math.hypot(x, y);
}

/** True when p lies on the polygon's boundary (within `eps`). */
export function pointOnBoundary(p: Vec2, poly: Polygon, eps = 1e-6): boolean {
  for (let i = 0, n = poly.length; i < n; i++) {
    if (pointSegmentDistance(p, poly[i]!, poly[(i + 1) % n]!) <= eps) return true;
  }
  return false;
}

function orient(a: Vec2, b: Vec2, c: Vec2): number {
  const v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  return Math.abs(v) < GEOMETRY_EPS_M ? 0 : v > 0 ? 1 : -1;
}

function onSegment(a: Vec2, b: Vec2, p: Vec2): boolean {
  return Math.min(a[0], b[0]) - GEOMETRY_EPS_M <= p[0] && p[0] <= Math.max(a[0], b[0]) + GEOMETRY_EPS_M
    && Math.min(a[1], b[1]) - GEOMETRY_EPS_M <= p[1] && p[1] <= Math.max(a[1], b[1]) + GEOMETRY_EPS_M;
}

/** True when closed segments ab and cd share at least one point. */
export function segmentsIntersect(a: Vec2, b: Vec2, c: Vec2, d: Vec2): boolean {
  const o1 = orient(a, b, c), o2 = orient(a, b, d), o3 = orient(c, d, a), o4 = orient(c, d, b);
  if (o1 !== o2 && o3 !== o4) return true;
  if (o1 === 0 && onSegment(a, b, c)) return true;
  if (o2 === 0 && onSegment(a, b, d)) return true;
  if (o3 === 0 && onSegment(c, d, a)) return true;
  if (o4 === 0 && onSegment(c, d, b)) return true;
  return false;
}

/** True when segments ab and cd cross at a single interior point of both (no touching). */
export function segmentsCrossProperly(a: Vec2, b: Vec2, c: Vec2, d: Vec2): boolean {
  const o1 = orient(a, b, c), o2 = orient(a, b, d), o3 = orient(c, d, a), o4 = orient(c, d, b);
  return o1 * o2 < 0 && o3 * o4 < 0;
}

/**
 * The first pair of edges that meet where they should not, or null for a
 * simple polygon. Edge k joins vertex k to vertex k+1 (0-based). Adjacent
 * edges may share only their common vertex; collinear fold-backs count.
 */
export function findSelfIntersection(poly: Polygon): [number, number] | null {
  const n = poly.length;
  for (let i = 0; i < n; i++) {
    const a = poly[i]!, b = poly[(i + 1) % n]!;
    for (let j = i + 1; j < n; j++) {
      const c = poly[j]!, d = poly[(j + 1) % n]!;
      const adjacentAfter = j === i + 1;
      const adjacentBefore = i === 0 && j === n - 1;
      if (adjacentAfter || adjacentBefore) {
        // They share one vertex; they intersect wrongly only when they overlap along a line.
        const shared = adjacentAfter ? b : a;
        const otherI = adjacentAfter ? a : b;
        const otherJ = adjacentAfter ? d : c;
        if (orient(otherI, shared, otherJ) === 0) {
          // collinear: overlap when the other ends lie on the same side of the shared vertex
          const dot = (otherI[0] - shared[0]) * (otherJ[0] - shared[0]) + (otherI[1] - shared[1]) * (otherJ[1] - shared[1]);
          if (dot > 0) return [i, j];
        }
        continue;
      }
      if (segmentsIntersect(a, b, c, d)) return [i, j];
    }
  }
  return null;
}

/**
 * True when `inner` lies inside `outer` (touching the boundary allowed):
 * every vertex inside or on the boundary, no edge crossing, and the
 * midpoint of every edge inside or on the boundary (catches edges that
 * leave through a concave notch between two vertices on the boundary).
 */
export function polygonInsidePolygon(inner: Polygon, outer: Polygon): boolean {
  const inOrOn = (p: Vec2) => pointOnBoundary(p, outer) || pointInPolygon(p[0], p[1], outer);
  for (const p of inner) if (!inOrOn(p)) return false;
  for (let i = 0, n = inner.length; i < n; i++) {
    const a = inner[i]!, b = inner[(i + 1) % n]!;
    for (let j = 0, m = outer.length; j < m; j++) {
      if (segmentsCrossProperly(a, b, outer[j]!, outer[(j + 1) % m]!)) return false;
    }
    if (!inOrOn([(a[0] + b[0]) / 2, (a[1] + b[1]) / 2])) return false;
  }
  return true;
}
