// Everything static on one floor, merged into a handful of geometries (one
// draw call each): slab and zone floors, walls (with door openings) and
// obstacles, edges, zone volumes, the HVAC overlay and the camera frusta.
import { Color, type BufferGeometry } from 'three';
import type { Floor, HvacUnit } from '../../core/facility/schema.ts';
import { bounds, type Vec2 } from '../../core/geometry.ts';
import { doorOpeningHeight, wallOpenings, type DoorPlacement } from '../../state/placement.ts';
import { EDGE, OBSTACLE, SLAB, WALL, ZONE_KIND_COLORS, hvacFloorHex, zoneFloorHex } from '../palette.ts';
import { LineBuilder, MeshBuilder } from './builder.ts';
import { faceEdges, frustumFaces } from './frustum.ts';

/** Slab thickness as drawn, m. */
export const SLAB_THICKNESS_M = 0.3;
/** Lift of the HVAC overlay above the zone floors, m (above them so it wins the depth test). */
export const HVAC_LIFT_M = 0.02;

/** The merged geometries of one floor, with tags mapping triangles back to entities. */
export interface FloorGeometries {
  /** The slab under the floor. */
  slab: BufferGeometry;
  /** Zone floor polygons; `zoneOfTriangle[i]` is the zone id of triangle i. */
  zoneFloors: BufferGeometry;
  zoneOfTriangle: string[];
  /** Zone outlines (lines, kind colour). */
  zoneEdges: BufferGeometry;
  /** Walls with their door openings, and obstacles (lit). */
  walls: BufferGeometry;
  /** Wall tops, obstacle tops and the slab outline (lines): also what a cut-away floor shows. */
  wallEdges: BufferGeometry;
  /** Zone prisms, drawn translucent. */
  volumes: BufferGeometry;
  /** Zones coloured by the HVAC unit serving them; `unitOfTriangle[i]` is the unit id. */
  hvac: BufferGeometry;
  unitOfTriangle: string[];
  /** Camera frusta to detection range, as edges. */
  frustumEdges: BufferGeometry;
  dispose(): void;
}

/** Builds the merged geometries of a floor; `units` are the facility's HVAC units in model order. */
export function buildFloorGeometries(floor: Floor, doors: Map<string, DoorPlacement>, units: readonly HvacUnit[]): FloorGeometries {
  const c = new Color();
  const zoneIds = floor.zones.map((z) => z.id);

  // Slab and zone floors.
  const slab = new MeshBuilder();
  slab.prism(floor.outline, -SLAB_THICKNESS_M, -0.02, c.set(SLAB), -1, { top: true });
  const zoneFloors = new MeshBuilder();
  floor.zones.forEach((z, i) => zoneFloors.polygon(z.polygon, 0, c.set(zoneFloorHex(z.kind)), i));

  // Walls, cut where doors are; lintels above the openings.
  const walls = new MeshBuilder();
  const edges = new LineBuilder();
  const zoneEdges = new LineBuilder();
  const openings = wallOpenings(floor, doors);
  const wallColor = new Color(WALL), edgeColor = new Color(EDGE);
  floor.walls.forEach((w, wi) => {
    const h = w.height ?? floor.height;
    const dx = w.to[0] - w.from[0], dy = w.to[1] - w.from[1];
    const len = Math.hypot(dx, dy);
    const at = (t: number): Vec2 => [w.from[0] + (dx * t) / len, w.from[1] + (dy * t) / len];
    const doorTop = Math.min(h, doorOpeningHeight(floor));
    let t0 = 0;
    const cut = openings.get(wi) ?? [];
    for (const [a, b] of cut) {
      if (a > t0) walls.box(at(t0), at(a), w.thickness, 0, h, wallColor, -1);
      if (h > doorTop) walls.box(at(a), at(b), w.thickness, doorTop, h, wallColor, -1);
      t0 = b;
    }
    if (t0 < len) walls.box(at(t0), at(len), w.thickness, 0, h, wallColor, -1);
    edges.seg([w.from[0], w.from[1], h], [w.to[0], w.to[1], h], edgeColor);
  });
  const obstacleColor = new Color(OBSTACLE);
  for (const o of floor.obstacles) {
    walls.prism(o.polygon, 0, o.height, obstacleColor, -1, { top: true });
    edges.loop(o.polygon, o.height, obstacleColor);
  }
  edges.loop(floor.outline, 0, edgeColor);
  for (const z of floor.zones) zoneEdges.loop(z.polygon, 0.03, c.set(ZONE_KIND_COLORS[z.kind]));

  // Zone volumes: sides and top, slightly under the ceiling.
  const volumes = new MeshBuilder();
  // NOTE: no top faces: from above they would cover the whole floor a second time (SwiftShader pays per pixel).
  floor.zones.forEach((z, i) => volumes.prism(z.polygon, 0.04, floor.height * 0.97, c.set(ZONE_KIND_COLORS[z.kind]), i, { top: false }));

  // HVAC overlay: each served zone in its (first) unit's colour.
  const hvac = new MeshBuilder();
  const unitOfTriangle: string[] = [];
  const zoneIndex = new Map(floor.zones.map((z) => [z.id, z]));
  const done = new Set<string>();
  units.forEach((u, ui) => {
    c.set(hvacFloorHex(ui));
    for (const zid of u.serves) {
      const z = zoneIndex.get(zid);
      if (!z || done.has(zid)) continue;
      done.add(zid);
      const before = hvac.triangleCount;
      hvac.polygon(z.polygon, HVAC_LIFT_M, c, ui);
      for (let k = before; k < hvac.triangleCount; k++) unitOfTriangle.push(u.id);
    }
  });

  // Camera frusta.
  const fEdges = new LineBuilder();
  const white = new Color(1, 1, 1);
  const box = bounds(floor.outline);
  for (const cam of floor.cameras) {
    for (const [a, b] of faceEdges(frustumFaces(cam, floor.height, box))) fEdges.seg(a, b, white);
  }

  const out: FloorGeometries = {
    slab: slab.build(false),
    zoneFloors: zoneFloors.build(false),
    zoneOfTriangle: zoneFloors.tags.map((t) => zoneIds[t]!),
    zoneEdges: zoneEdges.build(),
    walls: walls.build(true),
    wallEdges: edges.build(),
    volumes: volumes.build(false),
    hvac: hvac.build(false),
    unitOfTriangle,
    frustumEdges: fEdges.build(),
    dispose() {
      for (const g of [out.slab, out.zoneFloors, out.zoneEdges, out.walls, out.wallEdges, out.volumes, out.hvac, out.frustumEdges]) g.dispose();
    },
  };
  return out;
}
