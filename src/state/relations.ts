// Which cameras see which zones, by a cheap geometric test (no occlusion):
// a camera sees a zone when some sample points of the zone, raised to the
// target height, lie in its pinhole frustum within detection range
// (metrics.md §2), on the same floor. NOTE: src/core/metrics/coverage.ts is
// the exact engine; this only has to be good enough for the inspector.
import type { Camera, Zone } from '../core/facility/schema.ts';
import type { FacilityIndex } from '../core/facility/model.ts';
import { bounds, type Vec2 } from '../core/geometry.ts';
import { samplePolygon } from './placement.ts';

/** Pixel density at the edge of the drawn frustum: IEC 62676-4 detection, px/m. */
export const DETECTION_PX_PER_M = 25;
/** Height above the slab at which zones are judged, m (metrics.md §2 default). */
export const TARGET_HEIGHT_M = 1.5;
/** Sample points per zone for the test. */
export const ZONE_SAMPLES = 64;

const DEG = Math.PI / 180;

/** Depth at which the camera's pixel density falls to `pxPerM` (default detection, 25 px/m), m. */
export function detectionRange(camera: Camera, pxPerM = DETECTION_PX_PER_M): number {
  return camera.resolution[0] / (2 * pxPerM * Math.tan((camera.hfov * DEG) / 2));
}

/** The camera's pinhole frame in plan coordinates (metrics.md §2): centre, forward, right, up. */
export interface CameraFrame {
  c: [number, number, number];
  f: [number, number, number];
  r: [number, number, number];
  u: [number, number, number];
  tanH: number;
  tanV: number;
  range: number;
}

/** Builds the frame of a camera. */
export function cameraFrame(camera: Camera): CameraFrame {
  const psi = camera.yaw * DEG, th = camera.tilt * DEG;
  const f: [number, number, number] = [Math.cos(th) * Math.cos(psi), Math.cos(th) * Math.sin(psi), -Math.sin(th)];
  const r: [number, number, number] = [Math.sin(psi), -Math.cos(psi), 0];
  const u: [number, number, number] = [r[1] * f[2] - r[2] * f[1], r[2] * f[0] - r[0] * f[2], r[0] * f[1] - r[1] * f[0]];
  return {
    c: [camera.position[0], camera.position[1], camera.mountHeight], f, r, u,
    tanH: Math.tan((camera.hfov * DEG) / 2), tanV: Math.tan((camera.vfov * DEG) / 2), range: detectionRange(camera),
  };
}

/** True when plan point (x, y, z above slab) is in view and within detection range. */
export function inFrustum(fr: CameraFrame, x: number, y: number, z: number): boolean {
  const vx = x - fr.c[0], vy = y - fr.c[1], vz = z - fr.c[2];
  const d = vx * fr.f[0] + vy * fr.f[1] + vz * fr.f[2];
  if (d <= 0 || d > fr.range) return false;
  const px = vx * fr.r[0] + vy * fr.r[1] + vz * fr.r[2];
  const py = vx * fr.u[0] + vy * fr.u[1] + vz * fr.u[2];
  return Math.abs(px) <= d * fr.tanH && Math.abs(py) <= d * fr.tanV;
}

/** True when some of `samples` (plan points of one zone) at target height lie in the camera's frustum and range. */
export function cameraSeesSamples(fr: CameraFrame, samples: readonly Vec2[], targetHeight = TARGET_HEIGHT_M): boolean {
  for (const p of samples) if (inFrustum(fr, p[0], p[1], targetHeight)) return true;
  return false;
}

/** True when the camera sees the zone (both on the same floor is the caller's to ensure). */
export function cameraSeesZone(camera: Camera, zone: Zone, targetHeight = TARGET_HEIGHT_M): boolean {
  return cameraSeesSamples(cameraFrame(camera), samplePolygon(zone.polygon, ZONE_SAMPLES), targetHeight);
}

/** The camera ↔ zone relation of a whole facility, both ways, in model order. */
export interface CameraZoneRelations {
  zonesByCamera: Map<string, string[]>;
  camerasByZone: Map<string, string[]>;
}

/** Computes which cameras see which zones, floor by floor, skipping zones outside a camera's range circle. */
export function buildCameraZoneRelations(ix: FacilityIndex): CameraZoneRelations {
  const zonesByCamera = new Map<string, string[]>();
  const camerasByZone = new Map<string, string[]>();
  for (const floor of ix.facility.floors) {
    const zones = floor.zones.map((zone) => ({ zone, box: bounds(zone.polygon), samples: null as Vec2[] | null }));
    for (const camera of floor.cameras) {
      const fr = cameraFrame(camera);
      const seen: string[] = [];
      for (const z of zones) {
        // Range circle vs the zone's box: a cheap reject before sampling.
        const dx = Math.max(z.box.minX - fr.c[0], 0, fr.c[0] - z.box.maxX);
        const dy = Math.max(z.box.minY - fr.c[1], 0, fr.c[1] - z.box.maxY);
        if (dx * dx + dy * dy > fr.range * fr.range) continue;
        z.samples ??= samplePolygon(z.zone.polygon, ZONE_SAMPLES);
        if (!cameraSeesSamples(fr, z.samples)) continue;
        seen.push(z.zone.id);
        const list = camerasByZone.get(z.zone.id);
        if (list) list.push(camera.id); else camerasByZone.set(z.zone.id, [camera.id]);
      }
      zonesByCamera.set(camera.id, seen);
    }
  }
  return { zonesByCamera, camerasByZone };
}
