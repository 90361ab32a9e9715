// A camera's view frustum as drawn: the pinhole pyramid out to detection
// range (metrics.md §2), clipped to the storey between the slab (z = 0) and
// the ceiling (z = height) and to the floor's plan bounds. Pure: plan
// coordinates, metres.
import type { Camera } from '../../core/facility/schema.ts';
import { cameraFrame } from '../../state/relations.ts';

export type P3 = [number, number, number];

const EPS = 1e-6;

/** A half-space: points with `p[axis] ≥ value` (keep = 1) or `≤ value` (keep = -1). */
interface HalfSpace { axis: 0 | 1 | 2; value: number; keep: 1 | -1 }

function clipFace(poly: P3[], h: HalfSpace): P3[] {
  const out: P3[] = [];
  const inside = (p: P3) => (p[h.axis] - h.value) * h.keep >= -EPS;
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i]!, b = poly[(i + 1) % poly.length]!;
    const ia = inside(a), ib = inside(b);
    if (ia) out.push(a);
    if (ia !== ib) {
      const t = (h.value - a[h.axis]) / (b[h.axis] - a[h.axis]);
      const p: P3 = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
      p[h.axis] = h.value;
      out.push(p);
    }
  }
  return out;
}

/** Convex hull (counter-clockwise in the (u, v) axes) of points, Andrew's monotone chain. */
function hull(points: P3[], u: number, v: number): P3[] {
  const pts = points.slice().sort((a, b) => a[u]! - b[u]! || a[v]! - b[v]!);
  if (pts.length < 3) return pts;
  const cross = (o: P3, a: P3, b: P3) => (a[u]! - o[u]!) * (b[v]! - o[v]!) - (a[v]! - o[v]!) * (b[u]! - o[u]!);
  const lower: P3[] = [], upper: P3[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= EPS) lower.pop();
    lower.push(p);
  }
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= EPS) upper.pop();
    upper.push(p);
  }
  upper.pop(); lower.pop();
  return lower.concat(upper);
}

/** Clips a convex polytope (its faces) by a half-space and closes the cut with a cap face. */
function clipPolytope(faces: P3[][], h: HalfSpace): P3[][] {
  const out: P3[][] = [];
  const onPlane: P3[] = [];
  for (const f of faces) {
    const g = clipFace(f, h);
    if (g.length < 3) continue;
    out.push(g);
    for (const p of g) if (Math.abs(p[h.axis] - h.value) < 1e-4) onPlane.push(p);
  }
  const u = h.axis === 0 ? 1 : 0, v = h.axis === 2 ? 1 : 2;
  const cap = hull(onPlane, u, v);
  if (cap.length >= 3) out.push(cap);
  return out;
}

/**
 * The faces (convex polygons, plan coordinates) of the camera's frustum to
 * detection range, clipped to the storey (0 ≤ z ≤ height) and to `box`
 * (the floor's plan bounds: there is nothing to see beyond them).
 */
export function frustumFaces(camera: Camera, height: number, box?: { minX: number; minY: number; maxX: number; maxY: number }): P3[][] {
  const fr = cameraFrame(camera);
  const d = fr.range, w = d * fr.tanH, h = d * fr.tanV;
  const corner = (sx: number, sy: number): P3 => [
    fr.c[0] + d * fr.f[0] + sx * w * fr.r[0] + sy * h * fr.u[0],
    fr.c[1] + d * fr.f[1] + sx * w * fr.r[1] + sy * h * fr.u[1],
    fr.c[2] + d * fr.f[2] + sx * w * fr.r[2] + sy * h * fr.u[2],
  ];
  const cs = [corner(-1, -1), corner(1, -1), corner(1, 1), corner(-1, 1)];
  const c: P3 = [fr.c[0], fr.c[1], fr.c[2]];
  let faces: P3[][] = [[c, cs[0]!, cs[1]!], [c, cs[1]!, cs[2]!], [c, cs[2]!, cs[3]!], [c, cs[3]!, cs[0]!], [cs[0]!, cs[1]!, cs[2]!, cs[3]!]];
  const planes: HalfSpace[] = [{ axis: 2, value: 0, keep: 1 }, { axis: 2, value: height, keep: -1 }];
  if (box) {
    planes.push({ axis: 0, value: box.minX, keep: 1 }, { axis: 0, value: box.maxX, keep: -1 }, { axis: 1, value: box.minY, keep: 1 }, { axis: 1, value: box.maxY, keep: -1 });
  }
  for (const p of planes) faces = clipPolytope(faces, p);
  return faces;
}

/** The unique edges of a set of faces (shared edges once), as point pairs. */
export function faceEdges(faces: readonly P3[][]): Array<[P3, P3]> {
  const seen = new Set<string>();
  const out: Array<[P3, P3]> = [];
  const key = (p: P3) => `${p[0].toFixed(3)},${p[1].toFixed(3)},${p[2].toFixed(3)}`;
  for (const f of faces) {
    for (let i = 0; i < f.length; i++) {
      const a = f[i]!, b = f[(i + 1) % f.length]!;
      const ka = key(a), kb = key(b);
      if (ka === kb) continue;
      const k = ka < kb ? `${ka}|${kb}` : `${kb}|${ka}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push([a, b]);
    }
  }
  return out;
}
