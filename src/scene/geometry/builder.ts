// Builders for merged, never-moving geometry: triangles and line segments
// given in plan coordinates (converted in coords.ts), with per-vertex colour
// and a tag per triangle (which zone, unit, … it belongs to) for picking.
import type { Color} from 'three';
import { BufferAttribute, BufferGeometry, ShapeUtils, Vector2 } from 'three';
import type { Polygon, Vec2 } from '../../core/geometry.ts';
import { signedArea } from '../../core/geometry.ts';
import { writePlanPoint } from '../coords.ts';

type P3 = readonly [number, number, number];

/** Triangles with colours and tags. Winding is made counter-clockwise seen from the given outward side. */
export class MeshBuilder {
  private pos: number[] = [];
  private col: number[] = [];
  /** Tag of each triangle, in order. */
  readonly tags: number[] = [];

  get triangleCount(): number { return this.tags.length; }

  /** One triangle facing `normal` (plan direction; null keeps the given order). */
  tri(a: P3, b: P3, c: P3, color: Color, tag: number, normal: P3 | null = null): void {
    let p = b, q = c;
    if (normal) {
      const ux = b[0] - a[0], uy = b[1] - a[1], uz = b[2] - a[2];
      const vx = c[0] - a[0], vy = c[1] - a[1], vz = c[2] - a[2];
      const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
      if (nx * normal[0] + ny * normal[1] + nz * normal[2] < 0) { p = c; q = b; }
    }
    for (const v of [a, p, q]) {
      const i = this.pos.length;
      this.pos.length += 3;
      writePlanPoint(this.pos, i, v[0], v[1], v[2]);
      this.col.push(color.r, color.g, color.b);
    }
    this.tags.push(tag);
  }

  /** A planar quad p0-p1-p2-p3 facing `normal`. */
  quad(p0: P3, p1: P3, p2: P3, p3: P3, color: Color, tag: number, normal: P3): void {
    this.tri(p0, p1, p2, color, tag, normal);
    this.tri(p0, p2, p3, color, tag, normal);
  }

  /** A horizontal polygon at height z, facing up (or down). */
  polygon(poly: Polygon, z: number, color: Color, tag: number, up = true): void {
    const contour = poly.map((p) => new Vector2(p[0], p[1]));
    const tris = ShapeUtils.triangulateShape(contour, []);
    const n: P3 = [0, 0, up ? 1 : -1];
    for (const t of tris) {
      const a = poly[t[0]!]!, b = poly[t[1]!]!, c = poly[t[2]!]!;
      this.tri([a[0], a[1], z], [b[0], b[1], z], [c[0], c[1], z], color, tag, n);
    }
  }

  /** A vertical prism over a polygon from z0 to z1: sides, and optionally top and bottom. */
  prism(poly: Polygon, z0: number, z1: number, color: Color, tag: number, opts: { top?: boolean; bottom?: boolean } = {}): void {
    const ccw = signedArea(poly) > 0;
    for (let i = 0; i < poly.length; i++) {
      const a = poly[i]!, b = poly[(i + 1) % poly.length]!;
      const dx = b[0] - a[0], dy = b[1] - a[1];
      // Outward normal of edge a→b: right of it for a counter-clockwise polygon.
      const n: P3 = ccw ? [dy, -dx, 0] : [-dy, dx, 0];
      this.quad([a[0], a[1], z0], [b[0], b[1], z0], [b[0], b[1], z1], [a[0], a[1], z1], color, tag, n);
    }
    if (opts.top !== false) this.polygon(poly, z1, color, tag, true);
    if (opts.bottom) this.polygon(poly, z0, color, tag, false);
  }

  /** A box along segment a→b of the given thickness, from z0 to z1 (a wall piece). */
  box(a: Vec2, b: Vec2, thickness: number, z0: number, z1: number, color: Color, tag: number): void {
    const dx = b[0] - a[0], dy = b[1] - a[1];
    const len = Math.hypot(dx, dy);
    if (len < 1e-6 || z1 <= z0) return;
    const nx = (-dy / len) * (thickness / 2), ny = (dx / len) * (thickness / 2);
    const poly: Vec2[] = [[a[0] - nx, a[1] - ny], [b[0] - nx, b[1] - ny], [b[0] + nx, b[1] + ny], [a[0] + nx, a[1] + ny]];
    this.prism(poly, z0, z1, color, tag, { top: true });
  }

  /** The merged geometry (flat normals when `normals`). */
  build(normals: boolean): BufferGeometry {
    const g = new BufferGeometry();
    g.setAttribute('position', new BufferAttribute(new Float32Array(this.pos), 3));
    g.setAttribute('color', new BufferAttribute(new Float32Array(this.col), 3));
    if (normals) g.computeVertexNormals(); // non-indexed: one normal per face
    g.computeBoundingSphere();
    g.computeBoundingBox();
    return g;
  }
}

/** Line segments with colours. */
export class LineBuilder {
  private pos: number[] = [];
  private col: number[] = [];

  get segmentCount(): number { return this.pos.length / 6; }

  seg(a: P3, b: P3, color: Color): void {
    const i = this.pos.length;
    this.pos.length += 6;
    writePlanPoint(this.pos, i, a[0], a[1], a[2]);
    writePlanPoint(this.pos, i + 3, b[0], b[1], b[2]);
    this.col.push(color.r, color.g, color.b, color.r, color.g, color.b);
  }

  /** A closed horizontal outline at height z. */
  loop(poly: Polygon, z: number, color: Color): void {
    for (let i = 0; i < poly.length; i++) {
      const a = poly[i]!, b = poly[(i + 1) % poly.length]!;
      this.seg([a[0], a[1], z], [b[0], b[1], z], color);
    }
  }

  build(): BufferGeometry {
    const g = new BufferGeometry();
    g.setAttribute('position', new BufferAttribute(new Float32Array(this.pos), 3));
    g.setAttribute('color', new BufferAttribute(new Float32Array(this.col), 3));
    g.computeBoundingSphere();
    return g;
  }
}
