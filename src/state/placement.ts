// Where things stand in plan, derived once from the model: doors set in their
// walls, sensors without a position placed around their zone, label anchors,
// and the plan bounds of any entity (for fly-to and highlights). Pure.
import type { Door, Floor, Sensor, Zone } from '../core/facility/schema.ts';
import type { FacilityIndex } from '../core/facility/model.ts';
import { bounds, pointInPolygon, pointSegmentDistance, polygonArea, polygonCentroid, type Polygon, type Vec2 } from '../core/geometry.ts';

/** Height of a door opening, m. */
export const DOOR_HEIGHT_M = 2.1;
/** A door belongs to a wall when its centre is this close to the wall's centre line (beyond half the thickness), m. */
export const DOOR_WALL_SNAP_M = 0.35;
/** Height at which sensors without a position are drawn, m above the slab. */
export const UNPLACED_SENSOR_Z_M = 2.4;

/** Height of the door openings of a floor, m: DOOR_HEIGHT_M, lower under a low ceiling. */
export function doorOpeningHeight(floor: Floor): number {
  return Math.min(DOOR_HEIGHT_M, floor.height * 0.85);
}

/** How a door sits in the plan. */
export interface DoorPlacement {
  /** Plan heading of the door leaf (along its wall), degrees. */
  yaw: number;
  /** Thickness of the wall it is set in, m. */
  thickness: number;
  /** Index of its wall in `floor.walls`, or -1 when no wall is near. */
  wall: number;
  /** Opening height, m. */
  height: number;
}

/** Places every door of a floor in the nearest wall (or along the nearest edge of its zones). */
export function placeDoors(floor: Floor): Map<string, DoorPlacement> {
  const out = new Map<string, DoorPlacement>();
  for (const door of floor.doors) out.set(door.id, placeDoor(floor, door));
  return out;
}

function placeDoor(floor: Floor, door: Door): DoorPlacement {
  let best = -1, bestD = Infinity;
  floor.walls.forEach((w, i) => {
    const d = pointSegmentDistance(door.position, w.from, w.to);
    if (d <= w.thickness / 2 + DOOR_WALL_SNAP_M && d < bestD) { best = i; bestD = d; }
  });
  const height = doorOpeningHeight(floor);
  const wall = floor.walls[best];
  if (wall) {
    const yaw = (Math.atan2(wall.to[1] - wall.from[1], wall.to[0] - wall.from[0]) * 180) / Math.PI;
    return { yaw, thickness: wall.thickness, wall: best, height };
  }
  // No wall: align with the nearest edge of the zones it joins.
  let yaw = 0; bestD = Infinity;
  for (const zone of floor.zones) {
    if (zone.id !== door.zones[0] && zone.id !== door.zones[1]) continue;
    const poly = zone.polygon;
    for (let i = 0; i < poly.length; i++) {
      const a = poly[i]!, b = poly[(i + 1) % poly.length]!;
      const d = pointSegmentDistance(door.position, a, b);
      if (d < bestD) { bestD = d; yaw = (Math.atan2(b[1] - a[1], b[0] - a[0]) * 180) / Math.PI; }
    }
  }
  return { yaw, thickness: 0.2, wall: -1, height };
}

/** The openings each wall of a floor has, as sorted, merged [from, to] distances along the wall, m. */
export function wallOpenings(floor: Floor, doors: Map<string, DoorPlacement>): Map<number, Array<[number, number]>> {
  const byWall = new Map<number, Array<[number, number]>>();
  for (const door of floor.doors) {
    const p = doors.get(door.id);
    const wall = p ? floor.walls[p.wall] : undefined;
    if (!p || !wall) continue;
    const dx = wall.to[0] - wall.from[0], dy = wall.to[1] - wall.from[1];
    const len = Math.hypot(dx, dy);
    const t = ((door.position[0] - wall.from[0]) * dx + (door.position[1] - wall.from[1]) * dy) / len;
    const a = Math.max(0, t - door.width / 2), b = Math.min(len, t + door.width / 2);
    if (b <= a) continue;
    const list = byWall.get(p.wall) ?? [];
    list.push([a, b]);
    byWall.set(p.wall, list);
  }
  for (const [k, list] of byWall) {
    list.sort((x, y) => x[0] - y[0]);
    const merged: Array<[number, number]> = [];
    for (const iv of list) {
      const last = merged[merged.length - 1];
      if (last && iv[0] <= last[1]) last[1] = Math.max(last[1], iv[1]);
      else merged.push([iv[0], iv[1]]);
    }
    byWall.set(k, merged);
  }
  return byWall;
}

/**
 * A point well inside a polygon for labels and markers: the centroid when it
 * is inside, else the sample point farthest from the boundary.
 */
export function interiorPoint(poly: Polygon): Vec2 {
  const c = polygonCentroid(poly);
  if (pointInPolygon(c[0], c[1], poly)) return c;
  let best: Vec2 = poly[0]!, bestD = -1;
  for (const p of samplePolygon(poly, 100)) {
    let d = Infinity;
    for (let i = 0; i < poly.length; i++) d = Math.min(d, pointSegmentDistance(p, poly[i]!, poly[(i + 1) % poly.length]!));
    if (d > bestD) { bestD = d; best = p; }
  }
  return best;
}

/**
 * About `target` points spread over a polygon on a square grid (cell centres
 * inside it); never empty: a sliver too thin for the grid yields its edge midpoints' mean.
 */
export function samplePolygon(poly: Polygon, target = 64): Vec2[] {
  const b = bounds(poly);
  const w = b.maxX - b.minX, h = b.maxY - b.minY;
  const area = Math.max(polygonArea(poly), 1e-6);
  let step = Math.sqrt(area / target);
  const out: Vec2[] = [];
  for (let attempt = 0; attempt < 4 && out.length === 0; attempt++, step /= 2) {
    const nx = Math.max(1, Math.round(w / step)), ny = Math.max(1, Math.round(h / step));
    const sx = w / nx, sy = h / ny;
    for (let i = 0; i < nx; i++) {
      for (let j = 0; j < ny; j++) {
        const x = b.minX + (i + 0.5) * sx, y = b.minY + (j + 0.5) * sy;
        if (pointInPolygon(x, y, poly)) out.push([x, y]);
      }
    }
  }
  if (out.length === 0) out.push(polygonCentroid(poly));
  return out;
}

/** Plan positions [x, y, z above slab] of a floor's sensors; unplaced ones ring their zone's interior point. */
export function sensorPositions(floor: Floor): Map<string, [number, number, number]> {
  const out = new Map<string, [number, number, number]>();
  const zones = new Map<string, Zone>(floor.zones.map((z) => [z.id, z]));
  const unplaced = new Map<string, Sensor[]>();
  for (const s of floor.sensors) {
    if (s.position) out.set(s.id, [s.position[0], s.position[1], s.position[2]]);
    else {
      const list = unplaced.get(s.zone) ?? [];
      list.push(s);
      unplaced.set(s.zone, list);
    }
  }
  for (const [zoneId, list] of unplaced) {
    const zone = zones.get(zoneId);
    const c = zone ? interiorPoint(zone.polygon) : ([0, 0] as Vec2);
    const r = list.length > 1 ? 0.8 : 0;
    list.forEach((s, k) => {
      const a = (k / list.length) * Math.PI * 2;
      out.set(s.id, [c[0] + r * Math.cos(a), c[1] + r * Math.sin(a), UNPLACED_SENSOR_Z_M]);
    });
  }
  return out;
}

/** Axis-aligned plan box [min x, y, z above slab] – [max …] of an entity, with its floor (null for none). */
export interface PlanBox { floorId: string; min: [number, number, number]; max: [number, number, number] }

/** The plan boxes an entity occupies (an HVAC unit: one per floor it serves). Empty for unknown ids. */
export function entityBoxes(ix: FacilityIndex, id: string, sensorPos?: (floor: Floor, id: string) => [number, number, number] | undefined): PlanBox[] {
  const e = ix.byId.get(id);
  if (!e) return [];
  const polyBox = (floor: Floor, poly: Polygon, h: number): PlanBox => {
    const b = bounds(poly);
    return { floorId: floor.id, min: [b.minX, b.minY, 0], max: [b.maxX, b.maxY, h] };
  };
  switch (e.kind) {
    case 'floor': return [polyBox(e.floor, e.floor.outline, e.floor.height)];
    case 'zone': return [polyBox(e.floor, e.item.polygon, e.floor.height)];
    case 'door': {
      const [x, y] = e.item.position, r = e.item.width / 2 + 0.5;
      return [{ floorId: e.floor.id, min: [x - r, y - r, 0], max: [x + r, y + r, DOOR_HEIGHT_M] }];
    }
    case 'camera': {
      const [x, y] = e.item.position, z = e.item.mountHeight;
      return [{ floorId: e.floor.id, min: [x - 1, y - 1, Math.max(0, z - 1)], max: [x + 1, y + 1, z + 0.5] }];
    }
    case 'sensor': {
      const p = sensorPos?.(e.floor, id) ?? sensorPositions(e.floor).get(id) ?? [0, 0, 0];
      return [{ floorId: e.floor.id, min: [p[0] - 1, p[1] - 1, Math.max(0, p[2] - 1)], max: [p[0] + 1, p[1] + 1, p[2] + 1] }];
    }
    case 'hvac': {
      const byFloor = new Map<string, PlanBox>();
      for (const zid of e.item.serves) {
        const z = ix.zones.get(zid);
        if (!z) continue;
        const box = polyBox(z.floor, z.zone.polygon, z.floor.height);
        const prev = byFloor.get(z.floor.id);
        if (!prev) byFloor.set(z.floor.id, box);
        else {
          for (let k = 0; k < 3; k++) {
            prev.min[k] = Math.min(prev.min[k]!, box.min[k]!);
            prev.max[k] = Math.max(prev.max[k]!, box.max[k]!);
          }
        }
      }
      return [...byFloor.values()];
    }
  }
}

/** The floor an entity is best shown on: its own, or for an HVAC unit the floor of its first served zone. */
export function entityFloorId(ix: FacilityIndex, id: string): string | null {
  const e = ix.byId.get(id);
  if (!e) return null;
  if (e.kind !== 'hvac') return e.floor.id;
  for (const zid of e.item.serves) {
    const z = ix.zones.get(zid);
    if (z) return z.floor.id;
  }
  return null;
}
